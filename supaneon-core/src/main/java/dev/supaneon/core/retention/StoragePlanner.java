package dev.supaneon.core.retention;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.config.DataSize;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.retention.RetentionPlan.Decision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Retention's storage side. A kept backup costs about the database's size (a restore writes all of
 * its data), and Neon's Free plan gives a project 0.5 GB, so the branch count alone does not keep a
 * project within its plan. Pure, like {@link RetentionPlanner}: it reads a listing and Neon's
 * figures and returns a plan.
 *
 * <p>It deletes oldest first, backups outside the retention policy before the policy's own points,
 * and never anything {@link RetentionPlanner} protects: the newest verified backup, the default
 * branch, protected branches, branches with children, the standby, branches supaneon did not make.
 */
public final class StoragePlanner {

  private final RetentionPlanner retention;
  private final long budgetBytes;

  public StoragePlanner(RetentionPlanner retention, long budgetBytes) {
    this.retention = retention;
    this.budgetBytes = budgetBytes;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** What a branch adds to the project's storage; 0 when Neon reported nothing for it. */
  public static long cost(Branch branch) {
    return branch.storageBytes().orElse(0L);
  }

  /**
   * Before a backup: frees what the new backup will need, beyond what {@code leaving} (the branch
   * count's pruning) frees already. When even deleting every backup that may go leaves no room, the
   * plan does not fit and says what uses the storage.
   *
   * @param usedBytes the project's storage now, as Neon reports it
   * @param newBackupBytes the new backup's estimated size
   */
  public RetentionPlan beforeBackup(
      BackupInventory inventory, long usedBytes, long newBackupBytes, Collection<Branch> leaving) {
    Set<String> gone = leaving.stream().map(Branch::id).collect(Collectors.toSet());
    long projected =
        usedBytes + newBackupBytes - leaving.stream().mapToLong(StoragePlanner::cost).sum();
    List<Decision> deletions = new ArrayList<>();
    for (Backup backup : candidates(inventory, gone)) {
      if (projected <= budgetBytes) {
        break;
      }
      deletions.add(
          new Decision(
              backup.branch(),
              "frees "
                  + new DataSize(cost(backup.branch()))
                  + " for the new backup (storage budget "
                  + new DataSize(budgetBytes)
                  + ")"));
      projected -= cost(backup.branch());
    }
    boolean fits = projected <= budgetBytes;
    gone.addAll(deletions.stream().map(d -> d.branch().id()).toList());
    String explanation =
        fits
            ? "storage: about "
                + new DataSize(Math.max(0, projected))
                + " of the "
                + new DataSize(budgetBytes)
                + " budget with the new backup"
            : "the new backup needs about "
                + new DataSize(newBackupBytes)
                + ", but what must stay already uses "
                + new DataSize(Math.max(0, projected - newBackupBytes))
                + " of the "
                + new DataSize(budgetBytes)
                + " budget ("
                + largestRemaining(inventory, gone)
                + ")";
    return new RetentionPlan(deletions, List.of(), fits, explanation);
  }

  /** After a backup: deletes the oldest backups that may go until the project is within budget. */
  public RetentionPlan afterBackup(BackupInventory inventory, long usedBytes) {
    long projected = usedBytes;
    List<Decision> deletions = new ArrayList<>();
    for (Backup backup : candidates(inventory, Set.of())) {
      if (projected <= budgetBytes) {
        break;
      }
      deletions.add(
          new Decision(
              backup.branch(),
              "over the storage budget of "
                  + new DataSize(budgetBytes)
                  + " (the project uses "
                  + new DataSize(projected)
                  + ")"));
      projected -= cost(backup.branch());
    }
    return new RetentionPlan(
        deletions,
        List.of(),
        projected <= budgetBytes,
        "storage: about "
            + new DataSize(Math.max(0, projected))
            + " of the "
            + new DataSize(budgetBytes)
            + " budget after retention");
  }

  /**
   * How many backups of {@code backupBytes} the budget holds beside everything that is not a
   * backup: the projection reports give.
   */
  public long backupsThatFit(BackupInventory inventory, long usedBytes, long backupBytes) {
    long backups = inventory.verifiedBackups().stream().mapToLong(b -> cost(b.branch())).sum();
    long rest = Math.max(0, usedBytes - backups);
    return backupBytes <= 0 ? 0 : Math.max(0, (budgetBytes - rest) / backupBytes);
  }

  /** Deletable backups, oldest first: those outside the policy, then the policy's own points. */
  private List<Backup> candidates(BackupInventory inventory, Set<String> gone) {
    Set<String> policyKeeps = retention.policyKeeps(inventory);
    return inventory.verifiedBackups().stream()
        .filter(b -> !gone.contains(b.branch().id()))
        .filter(b -> RetentionPlanner.deletable(b.branch(), inventory))
        .sorted(
            Comparator.comparing((Backup b) -> policyKeeps.contains(b.branch().id()))
                .thenComparing(Backup::takenAt))
        .toList();
  }

  /** The largest branches left, for the message that says why nothing fits. */
  private static String largestRemaining(BackupInventory inventory, Set<String> gone) {
    return inventory.branches().stream()
        .filter(b -> !gone.contains(b.id()))
        .sorted(Comparator.comparingLong(StoragePlanner::cost).reversed())
        .limit(4)
        .map(b -> b.name() + " " + new DataSize(cost(b)))
        .collect(Collectors.joining(", "));
  }
}
