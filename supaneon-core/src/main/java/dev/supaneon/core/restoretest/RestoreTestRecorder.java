package dev.supaneon.core.restoretest;

import dev.supaneon.core.report.PhaseTiming;
import dev.supaneon.core.report.RestoreTestOutcome;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.RestoreTestReport.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restore test has found out so far; only the test writes to it. When the test ends it
 * becomes an immutable {@link RestoreTestReport}.
 */
final class RestoreTestRecorder {

  String runId;
  Instant startedAt;
  String failure;
  String finalState;
  String mode;
  String neonProjectId;
  String backupBranchId;
  String backupBranchName;
  Instant backupTakenAt;
  long backupAgeMinutes;
  Instant backupConfirmedCurrentAt;
  String maxBackupAge;
  String testBranchId;
  String testBranchName;
  boolean testBranchKept;
  String connectHint;
  int tableCount;
  long rowCount;
  long logicalArchiveBytes;
  String logicalArchiveSha256;
  final List<Check> checks = new ArrayList<>();

  long failedChecks() {
    return checks.stream().filter(c -> !c.passed()).count();
  }

  RestoreTestReport toReport(
      RestoreTestOutcome outcome, Instant finishedAt, List<PhaseTiming> phases) {
    return new RestoreTestReport(
        runId,
        startedAt,
        finishedAt,
        Duration.between(startedAt, finishedAt).toMillis(),
        outcome,
        failure,
        finalState,
        mode,
        neonProjectId,
        backupBranchId,
        backupBranchName,
        backupTakenAt,
        backupAgeMinutes,
        backupConfirmedCurrentAt,
        maxBackupAge,
        testBranchId,
        testBranchName,
        testBranchKept,
        connectHint,
        tableCount,
        rowCount,
        logicalArchiveBytes,
        logicalArchiveSha256,
        checks,
        phases);
  }
}
