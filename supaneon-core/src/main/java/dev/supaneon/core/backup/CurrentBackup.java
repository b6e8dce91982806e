package dev.supaneon.core.backup;

import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.PhaseTimer;
import java.sql.Connection;

/**
 * A backup run's shortcut (supaneon.skipUnchanged): when the source still equals the newest
 * verified backup, that backup is confirmed current and no branch is made.
 */
final class CurrentBackup {

  private final BackupSettings settings;
  private final RunListener listener;
  private final BranchLifecycle branches;

  CurrentBackup(BackupSettings settings, RunListener listener, BranchLifecycle branches) {
    this.settings = settings;
    this.listener = listener;
    this.branches = branches;
  }

  /**
   * Compares the source with the newest verified backup from digests alone; when they are equal,
   * records on the backup that it is current and returns true: nothing else is done.
   */
  boolean confirm(
      Backup newest, BackupPreflight preflight, PhaseTimer phases, BackupRecorder report)
      throws Exception {
    PostgresUrl backupUrl =
        branches.connectionUrl(newest.branch(), settings.neon().database(), settings.neon().role());
    UnchangedSource.Verdict verdict =
        phases.run(
            Phase.COMPARE,
            () ->
                new UnchangedSource(
                        preflight.tools(),
                        settings.source(),
                        backupUrl,
                        listener,
                        settings.runTimeout())
                    .compare(preflight.scope()),
            v ->
                v.difference()
                    .map(d -> "changed since " + newest.branch().name() + ": " + d)
                    .orElse(
                        "equal to "
                            + newest.branch().name()
                            + ": schema, sequences and "
                            + v.tablesCompared()
                            + " table(s) by digest"));
    if (!verdict.unchanged()) {
      return false;
    }
    phases.run(
        Phase.CONFIRM,
        () -> {
          try (Connection backup = PgConnections.open(backupUrl, "the newest verified backup")) {
            ManifestStore.confirm(backup, report.runId, verdict.snapshotAt());
          }
          return branches.suspendEndpoints(newest.branch());
        },
        n -> newest.branch().name() + " confirmed current at " + verdict.snapshotAt());
    report.confirmedCurrent = true;
    report.branchId = newest.branch().id();
    report.branchName = newest.branch().name();
    report.snapshotAt = verdict.snapshotAt();
    report.finalState =
        "The source equals verified backup "
            + newest.branch().name()
            + " ("
            + newest.branch().id()
            + "), now confirmed current at "
            + verdict.snapshotAt()
            + ": no branch was created and no row was copied.";
    return true;
  }
}
