package dev.supaneon.core.backup;

import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.PhaseTiming;
import dev.supaneon.core.report.StandbyAction;
import dev.supaneon.core.report.StandbyReport;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.supabase.ResolvedScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup run has found out so far. Only the run writes to it, phase by phase; when the run
 * ends it becomes an immutable {@link BackupReport}.
 */
final class BackupRecorder {

  String runId;
  Instant startedAt;
  String failure;
  String finalState;
  String sourceHost;
  int sourcePort;
  String sourceDatabase;
  String sourceUser;
  String sourceServerVersion;
  String neonProjectId;
  String parentBranch;
  String branchId;
  String branchName;
  String targetDatabase;
  String targetServerVersion;
  String pgToolsVersion;
  Instant snapshotAt;

  /** Whether the source equalled the newest backup, which the run then confirmed current. */
  boolean confirmedCurrent;

  /** Whether the copy began writing to the target. */
  boolean copyStarted;

  long archiveBytes;
  String archiveSha256;
  long dumpRestoreMs;
  BackupReport.CopyTimings copy;
  long verifyMs;
  Verification verification = Verification.NOT_RUN;
  boolean checksumsCompared;
  int tableCount;
  long largeObjects;
  long rowCount;
  final List<String> mismatches = new ArrayList<>();
  final List<BackupReport.TableResult> tables = new ArrayList<>();
  List<String> schemas = List.of();
  final List<BackupReport.LeftOut> leftOut = new ArrayList<>();

  /** Records what the scope leaves out, and why. */
  void addLeftOut(ResolvedScope scope) {
    scope
        .leftOut()
        .forEach(l -> leftOut.add(new BackupReport.LeftOut(l.kind(), l.name(), l.reason())));
  }

  final List<String> targetActions = new ArrayList<>();
  final List<BackupReport.RetentionAction> retention = new ArrayList<>();
  StandbyReport standby =
      new StandbyReport(StandbyAction.NOT_REACHED, null, null, null, null, null, null);
  BackupReport.Storage storage;
  StatusReport.PlanUsage usage;

  void retention(String branchId, String branchName, String action, String reason) {
    retention.add(new BackupReport.RetentionAction(branchId, branchName, action, reason));
  }

  BackupReport toReport(BackupOutcome outcome, Instant finishedAt, List<PhaseTiming> phases) {
    return new BackupReport(
        runId,
        startedAt,
        finishedAt,
        Duration.between(startedAt, finishedAt).toMillis(),
        outcome,
        failure,
        finalState,
        sourceHost,
        sourcePort,
        sourceDatabase,
        sourceUser,
        sourceServerVersion,
        neonProjectId,
        parentBranch,
        branchId,
        branchName,
        targetDatabase,
        targetServerVersion,
        pgToolsVersion,
        snapshotAt,
        archiveBytes,
        archiveSha256,
        dumpRestoreMs,
        copy,
        verifyMs,
        verification,
        checksumsCompared,
        tableCount,
        largeObjects,
        rowCount,
        mismatches,
        tables,
        schemas,
        leftOut,
        targetActions,
        retention,
        standby,
        storage,
        usage,
        phases);
  }
}
