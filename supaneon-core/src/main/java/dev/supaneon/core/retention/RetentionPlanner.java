package dev.supaneon.core.retention;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.config.RetentionPolicy;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.retention.RetentionPlan.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which branches retention deletes. Pure: it reads a branch listing and returns a plan.
 *
 * <p>It never deletes the newest verified backup, the default branch, a protected branch, a branch
 * with children, or a branch supaneon did not make. {@code backup-*} branches that still carry an
 * expiry are deleted only once they are older than the longest a run may take, so a run in progress
 * is never touched.
 */
public final class RetentionPlanner {

  private final RetentionPolicy policy;
  private final int branchLimit;
  private final int headroom;
  private final Duration staleAfter;

  /**
   * @param branchLimit branches the project may hold, the default branch included
   * @param headroom branches to leave free after a backup (for a restore test, a test branch)
   * @param staleAfter age after which an unfinished backup branch belongs to a dead run
   */
  public RetentionPlanner(
      RetentionPolicy policy, int branchLimit, int headroom, Duration staleAfter) {
    this.policy = policy;
    this.branchLimit = branchLimit;
    this.headroom = headroom;
    this.staleAfter = staleAfter;
  }

  /** Before a backup: room for one more branch, pruning only as much as that needs. */
  public RetentionPlan beforeBackup(BackupInventory inventory, Instant now) {
    List<Decision> deletions = new ArrayList<>(deadRuns(inventory, now));
    int allowed = branchLimit - 1;
    int excess = inventory.branches().size() - deletions.size() - allowed;
    List<Decision> kept = new ArrayList<>();
    Set<String> policyKeeps = policyKeeps(inventory);
    List<Backup> oldestFirst = reversed(inventory.verifiedBackups());
    // Outside the policy first, then the oldest of those it keeps; never the newest backup.
    for (boolean insidePolicy : new boolean[] {false, true}) {
      for (Backup backup : oldestFirst) {
        if (excess <= 0) {
          break;
        }
        boolean keptByPolicy = policyKeeps.contains(backup.branch().id());
        if (keptByPolicy != insidePolicy || !deletable(backup.branch(), inventory)) {
          continue;
        }
        deletions.add(
            new Decision(
                backup.branch(),
                "makes room for the new backup (branch limit " + branchLimit + ")"));
        excess--;
      }
    }
    for (Backup backup : inventory.verifiedBackups()) {
      if (deletions.stream().noneMatch(d -> d.branch().id().equals(backup.branch().id()))) {
        kept.add(new Decision(backup.branch(), keepReason(backup, inventory, policyKeeps)));
      }
    }
    boolean fits = excess <= 0;
    String explanation =
        fits
            ? "room for the new backup: "
                + (inventory.branches().size() - deletions.size())
                + " of "
                + branchLimit
                + " branches in use before it"
            : "the project holds "
                + inventory.branches().size()
                + " branches (limit "
                + branchLimit
                + ") and none of the others may be deleted by supaneon: delete a branch in the Neon"
                + " Console, raise the plan's limit, or set supaneon.branchLimit";
    return new RetentionPlan(deletions, kept, fits, explanation);
  }

  /** After a verified backup: the policy, then the cap that leaves {@code headroom} free. */
  public RetentionPlan afterBackup(BackupInventory inventory, Instant now) {
    List<Decision> deletions = new ArrayList<>(deadRuns(inventory, now));
    Set<String> policyKeeps = policyKeeps(inventory);
    List<Backup> newestFirst = inventory.verifiedBackups();
    List<Backup> keptBackups = new ArrayList<>();
    for (Backup backup : newestFirst) {
      if (policyKeeps.contains(backup.branch().id()) || !deletable(backup.branch(), inventory)) {
        keptBackups.add(backup);
      } else {
        deletions.add(
            new Decision(backup.branch(), "outside the retention policy (" + describe() + ")"));
      }
    }
    int cap = branchLimit - headroom;
    int total = inventory.branches().size() - deletions.size();
    for (int i = keptBackups.size() - 1; i > 0 && total > cap; i--) {
      Backup oldest = keptBackups.get(i);
      if (!deletable(oldest.branch(), inventory)) {
        continue;
      }
      deletions.add(
          new Decision(
              oldest.branch(),
              "over the cap of "
                  + cap
                  + " branches (limit "
                  + branchLimit
                  + " minus "
                  + headroom
                  + " free)"));
      keptBackups.remove(i);
      total--;
    }
    List<Decision> kept = new ArrayList<>();
    for (Backup backup : keptBackups) {
      kept.add(new Decision(backup.branch(), keepReason(backup, inventory, policyKeeps)));
    }
    return new RetentionPlan(
        deletions,
        kept,
        total <= branchLimit,
        total + " of " + branchLimit + " branches in use after retention");
  }

  private List<Decision> deadRuns(BackupInventory inventory, Instant now) {
    List<Decision> dead = new ArrayList<>();
    for (Branch branch : inventory.incompleteBackups()) {
      if (BackupInventory.madeBySupaneon(branch)
          && branch.createdAt() != null
          && branch.createdAt().isBefore(now.minus(staleAfter))
          && deletable(branch, inventory)) {
        dead.add(
            new Decision(
                branch,
                "unfinished backup older than the longest a run may take ("
                    + staleAfter.toMinutes()
                    + " min): its run died"));
      }
    }
    return dead;
  }

  /** The newest backup of each of the last N days, weeks and months, and the newest of all. */
  Set<String> policyKeeps(BackupInventory inventory) {
    List<Backup> newestFirst = inventory.verifiedBackups();
    Set<String> keep = new LinkedHashSet<>();
    if (!newestFirst.isEmpty()) {
      keep.add(newestFirst.get(0).branch().id());
    }
    keep.addAll(
        newestPerPeriod(
            newestFirst, b -> LocalDate.ofInstant(b.takenAt(), ZoneOffset.UTC), policy.daily()));
    keep.addAll(newestPerPeriod(newestFirst, RetentionPlanner::isoWeek, policy.weekly()));
    keep.addAll(
        newestPerPeriod(
            newestFirst,
            b -> YearMonth.from(LocalDate.ofInstant(b.takenAt(), ZoneOffset.UTC)),
            policy.monthly()));
    return keep;
  }

  private static List<String> newestPerPeriod(
      List<Backup> newestFirst, Function<Backup, Object> period, int count) {
    Map<Object, String> newestOfPeriod = new LinkedHashMap<>();
    for (Backup backup : newestFirst) {
      if (newestOfPeriod.size() >= count && !newestOfPeriod.containsKey(period.apply(backup))) {
        break;
      }
      newestOfPeriod.putIfAbsent(period.apply(backup), backup.branch().id());
    }
    return new ArrayList<>(newestOfPeriod.values());
  }

  private static String isoWeek(Backup backup) {
    LocalDate date = LocalDate.ofInstant(backup.takenAt(), ZoneOffset.UTC);
    return date.get(IsoFields.WEEK_BASED_YEAR) + "-W" + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
  }

  private String keepReason(Backup backup, BackupInventory inventory, Set<String> policyKeeps) {
    if (inventory
        .newestVerifiedBackup()
        .map(n -> n.branch().id().equals(backup.branch().id()))
        .orElse(false)) {
      return "newest verified backup";
    }
    if (!BackupInventory.madeBySupaneon(backup.branch())) {
      return "not made by supaneon";
    }
    if (!deletable(backup.branch(), inventory)) {
      return "protected, default, or has child branches";
    }
    return policyKeeps.contains(backup.branch().id())
        ? "kept by the retention policy (" + describe() + ")"
        : "within the cap";
  }

  static boolean deletable(Branch branch, BackupInventory inventory) {
    boolean newest =
        inventory
            .newestVerifiedBackup()
            .map(n -> n.branch().id().equals(branch.id()))
            .orElse(false);
    boolean hasChildren =
        inventory.branches().stream().anyMatch(b -> branch.id().equals(b.parentId()));
    return !newest
        && !branch.isDefault()
        && !branch.isProtected()
        && !hasChildren
        && BackupInventory.madeBySupaneon(branch);
  }

  private String describe() {
    return "daily "
        + policy.daily()
        + ", weekly "
        + policy.weekly()
        + ", monthly "
        + policy.monthly();
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
