package dev.supaneon.core.backup;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.branch.TimestampedName;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.DataSize;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.retention.RetentionPlan;
import dev.supaneon.core.retention.RetentionPlanner;
import dev.supaneon.core.retention.StoragePlanner;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Retention's part in a backup: making room before it (branches and storage), pruning after it,
 * planning a dry run.
 */
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
    report.addLeftOut(preflight.scope());
    report.finalState =
        "Dry run: nothing was created or deleted. A backup would be made from branch "
            + preflight.parent().name()
            + " as "
            + TimestampedName.BACKUP.format(now)
            + (prune.fits() ? "" : "; but " + prune.explanation())
            + ".";
  }

  /** The budget: the setting, else Neon's limit for the project, else the Free plan's. */
  static StoragePlanner storagePlanner(
      BackupSettings settings, BackupPreflight preflight, RetentionPlanner planner) {
    long budget =
        settings
            .storageBudget()
            .map(DataSize::bytes)
            .orElseGet(
                () ->
                    preflight.project().storageLimit().orElse(BackupRun.FREE_PLAN_STORAGE.bytes()));
    return new StoragePlanner(planner, budget);
  }

  /**
   * What must go for the new backup to fit the budget, beside what the branch count deletes
   * already; records the storage figures in the report.
   */
  static RetentionPlan makeRoomInStorage(
      StoragePlanner storage,
      BackupSettings settings,
      BackupPreflight preflight,
      RetentionPlan countPrune,
      BackupRecorder report) {
    long used = storageUsed(preflight.project(), preflight.inventory());
    long estimate = preflight.estimatedBackupBytes();
    report.storage =
        new BackupReport.Storage(
            storage.budgetBytes(),
            settings.storageBudget().isPresent()
                ? "supaneon.storageBudget"
                : "the project's limit as Neon reports it",
            used,
            preflight.sourceBytes(),
            estimate,
            null,
            storage.backupsThatFit(preflight.inventory(), used, estimate));
    return storage.beforeBackup(
        preflight.inventory(),
        used,
        estimate,
        countPrune.deletions().stream().map(RetentionPlan.Decision::branch).toList());
  }

  /**
   * After a verified backup: the branch count's plan and the storage budget's, deleted together;
   * records what the project uses afterwards.
   */
  int afterBackup(
      RetentionPlanner planner, StoragePlanner storage, Project project, BackupRecorder report) {
    BackupInventory now = branches.inventory();
    RetentionPlan byCount = planner.afterBackup(now, clock.instant());
    List<Branch> leaving =
        byCount.deletions().stream().map(RetentionPlan.Decision::branch).toList();
    long used = storageUsed(project, now) - leaving.stream().mapToLong(StoragePlanner::cost).sum();
    RetentionPlan byStorage = storage.afterBackup(now.without(leaving), used);
    long usedAfter =
        used - byStorage.deletions().stream().mapToLong(d -> StoragePlanner.cost(d.branch())).sum();
    BackupReport.Storage before = report.storage;
    report.storage =
        new BackupReport.Storage(
            before.budgetBytes(),
            before.budgetSource(),
            before.usedBeforeBytes(),
            before.sourceBytes(),
            before.estimatedBytes(),
            Math.max(0, usedAfter),
            before.backupsThatFit());
    return deleteAll(byCount.and(byStorage), report, "deleted");
  }

  /** Neon's figure for the project; without one, the sum of what its branches report. */
  static long storageUsed(Project project, BackupInventory inventory) {
    return project
        .storageUsed()
        .orElseGet(() -> inventory.branches().stream().mapToLong(StoragePlanner::cost).sum());
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
