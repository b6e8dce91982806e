package dev.supaneon.core.backup;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.branch.TimestampedName;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.retention.RetentionPlan;
import dev.supaneon.core.retention.RetentionPlanner;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Retention's part in a backup: making room before it, pruning after it, planning a dry run. */
final class RetentionSteps {

  private final BranchLifecycle branches;
  private final RunListener listener;
  private final Clock clock;

  RetentionSteps(BranchLifecycle branches, RunListener listener, Clock clock) {
    this.branches = branches;
    this.listener = listener;
    this.clock = clock;
  }

  void dryRun(
      BackupRecorder report,
      BackupPreflight preflight,
      RetentionPlan prune,
      RetentionPlanner planner) {
    for (RetentionPlan.Decision decision : prune.deletions()) {
      report.retention(
          decision.branch().id(),
          decision.branch().name(),
          "would delete before the backup",
          decision.reason());
    }
    // Plan the second pass on the project as the run would leave it: pruned, with the new backup.
    Instant now = clock.instant();
    Branch newBackup =
        new Branch(
            "(new)",
            TimestampedName.BACKUP.format(now),
            preflight.parent().id(),
            "ready",
            null,
            false,
            false,
            now,
            now,
            null,
            Map.of(NeonClient.RUN_ID_ANNOTATION, report.runId),
            null);
    BackupInventory projected =
        preflight
            .inventory()
            .projected(
                prune.deletions().stream().map(RetentionPlan.Decision::branch).toList(), newBackup);
    for (RetentionPlan.Decision decision : planner.afterBackup(projected, now).deletions()) {
      report.retention(
          decision.branch().id(),
          decision.branch().name(),
          "would delete after the backup",
          decision.reason());
    }
    BackupRun.addLeftOut(report, preflight.scope());
    report.finalState =
        "Dry run: nothing was created or deleted. A backup would be made from branch "
            + preflight.parent().name()
            + " as "
            + TimestampedName.BACKUP.format(now)
            + (prune.fits() ? "" : "; but " + prune.explanation())
            + ".";
  }

  int deleteAll(RetentionPlan plan, BackupRecorder report, String action) {
    int deleted = 0;
    for (RetentionPlan.Decision decision : plan.deletions()) {
      branches.delete(decision.branch());
      report.retention(decision.branch().id(), decision.branch().name(), action, decision.reason());
      listener.info(
          "retention: deleted " + decision.branch().name() + " (" + decision.reason() + ")");
      deleted++;
    }
    for (RetentionPlan.Decision decision : plan.kept()) {
      report.retention(decision.branch().id(), decision.branch().name(), "kept", decision.reason());
    }
    return deleted;
  }
}
