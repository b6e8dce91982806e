package dev.supaneon.core.retention;

import static dev.supaneon.core.retention.RetentionPlannerTest.MAIN;
import static dev.supaneon.core.retention.RetentionPlannerTest.NOW;
import static dev.supaneon.core.retention.RetentionPlannerTest.backup;
import static dev.supaneon.core.retention.RetentionPlannerTest.ids;
import static dev.supaneon.core.retention.RetentionPlannerTest.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.RetentionPolicy;
import dev.supaneon.core.neon.Branch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The storage side of retention: room for the new backup is made oldest first, outside the policy
 * before its points, never from the newest verified backup; what cannot fit is refused with the
 * figures.
 */
class StoragePlannerTest {

  static final long MIB = 1024 * 1024;

  static Branch sized(Branch b, long logical, long written) {
    return RetentionPlannerTest.copy(b, b.isProtected(), logical, written);
  }

  /** The default branch (10 MiB) and one 20 MiB backup a day for {@code days} days. */
  static List<Branch> dailyBackups(int days) {
    List<Branch> branches = new ArrayList<>(List.of(sized(MAIN, 10 * MIB, 10 * MIB)));
    for (int day = 0; day < days; day++) {
      branches.add(sized(backup(NOW.minus(Duration.ofDays(day)), true), 20 * MIB, 20 * MIB));
    }
    return branches;
  }

  static long used(List<Branch> branches) {
    return branches.stream().mapToLong(StoragePlanner::cost).sum();
  }

  static StoragePlanner planner(RetentionPolicy policy, long budget) {
    return new StoragePlanner(new RetentionPlanner(policy, 100, 1, Duration.ofHours(3)), budget);
  }

  @Test
  void aChildBranchCostsTheSmallerOfWrittenAndLogicalARootItsLogicalSize() {
    assertEquals(5 * MIB, StoragePlanner.cost(sized(backup(NOW, true), 20 * MIB, 5 * MIB)));
    assertEquals(20 * MIB, StoragePlanner.cost(sized(backup(NOW, true), 20 * MIB, 30 * MIB)));
    assertEquals(10 * MIB, StoragePlanner.cost(sized(MAIN, 10 * MIB, 1)));
    assertEquals(0, StoragePlanner.cost(backup(NOW, true)), "nothing reported: nothing counted");
  }

  @Test
  void roomForTheNewBackupIsMadeOldestFirstAndNoMoreThanNeeded() {
    List<Branch> branches = dailyBackups(5); // 10 + 5 x 20 = 110 MiB
    RetentionPlan plan =
        planner(new RetentionPolicy(1, 0, 0), 100 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of());
    assertTrue(plan.fits());
    assertEquals(
        Set.of(name(NOW.minus(Duration.ofDays(4))), name(NOW.minus(Duration.ofDays(3)))),
        ids(plan.deletions()),
        "130 MiB projected: the two oldest go, and only they");
    assertEquals(
        "storage: about 90.0 MiB of the 100.0 MiB budget with the new backup", plan.explanation());
    assertTrue(plan.deletions().get(0).reason().startsWith("frees 20.0 MiB for the new backup"));
  }

  @Test
  void backupsOutsideThePolicyGoBeforeThePolicysOwnPoints() {
    // Daily 1, monthly 2: the newest, and the newest of last month, are the policy's points.
    List<Branch> branches = new ArrayList<>(List.of(sized(MAIN, 10 * MIB, 10 * MIB)));
    Instant lastMonth = Instant.parse("2026-02-27T12:00:00Z");
    branches.add(sized(backup(lastMonth, true), 20 * MIB, 20 * MIB));
    branches.add(sized(backup(NOW.minus(Duration.ofDays(2)), true), 20 * MIB, 20 * MIB));
    branches.add(sized(backup(NOW, true), 20 * MIB, 20 * MIB));
    RetentionPlan plan =
        planner(new RetentionPolicy(1, 0, 2), 70 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of());
    assertEquals(
        List.of(name(NOW.minus(Duration.ofDays(2)))),
        plan.deletions().stream().map(d -> d.branch().name()).toList(),
        "90 MiB projected, 20 to free: the newer backup outside the policy goes, not last"
            + " month's point");
  }

  @Test
  void whatTheBranchCountAlreadyDeletesIsCountedAsFreed() {
    List<Branch> branches = dailyBackups(5);
    Branch oldest = branches.get(branches.size() - 1);
    RetentionPlan plan =
        planner(new RetentionPolicy(1, 0, 0), 110 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of(oldest));
    assertTrue(plan.fits());
    assertEquals(List.of(), plan.deletions(), "the count's deletion already made the room");
  }

  @Test
  void theNewestVerifiedBackupIsNeverDeletedAndANewBackupThatCannotFitBesideItIsRefused() {
    List<Branch> branches = dailyBackups(3);
    RetentionPlan plan =
        planner(new RetentionPolicy(1, 0, 0), 45 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of());
    assertFalse(plan.fits());
    assertFalse(
        ids(plan.deletions()).contains(name(NOW)), "the newest verified backup stays, always");
    assertTrue(
        plan.explanation()
            .startsWith(
                "the new backup needs about 20.0 MiB, but what must stay already uses 30.0 MiB of"
                    + " the 45.0 MiB budget ("),
        plan.explanation());
    assertTrue(plan.explanation().contains(name(NOW) + " 20.0 MiB"), plan.explanation());
  }

  @Test
  void afterABackupTheOldestGoUntilTheProjectIsWithinBudget() {
    List<Branch> branches = dailyBackups(6); // 130 MiB
    RetentionPlan plan =
        planner(RetentionPolicy.DEFAULT, 75 * MIB)
            .afterBackup(new BackupInventory(branches), used(branches));
    assertTrue(plan.fits());
    assertEquals(3, plan.deletions().size(), "130 - 3 x 20 = 70 MiB <= 75");
    assertFalse(ids(plan.deletions()).contains(name(NOW)));
    assertEquals(
        "storage: about 70.0 MiB of the 75.0 MiB budget after retention", plan.explanation());
    assertTrue(plan.deletions().get(0).reason().startsWith("over the storage budget of 75.0 MiB"));
  }

  @Test
  void theProjectionCountsHowManyBackupsOfThisSizeFitBesideTheRest() {
    List<Branch> branches = dailyBackups(2); // 10 MiB that is not a backup
    StoragePlanner planner = planner(RetentionPolicy.DEFAULT, 100 * MIB);
    assertEquals(
        4, planner.backupsThatFit(new BackupInventory(branches), used(branches), 20 * MIB));
    assertEquals(0, planner.backupsThatFit(new BackupInventory(branches), used(branches), 0));
  }

  @Test
  void whatTheCountDeletesIsNotDeletedTwiceNorListedAsStaying() {
    List<Branch> branches = dailyBackups(5); // 110 MiB
    Branch oldest = branches.get(branches.size() - 1);
    RetentionPlan plan =
        planner(new RetentionPolicy(1, 0, 0), 90 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of(oldest));
    assertEquals(
        List.of(name(NOW.minus(Duration.ofDays(3)))),
        plan.deletions().stream().map(d -> d.branch().name()).toList(),
        "110 + 20 - 20 = 110: one more goes, the next oldest");

    RetentionPlan refused =
        planner(new RetentionPolicy(1, 0, 0), 35 * MIB)
            .beforeBackup(new BackupInventory(branches), used(branches), 20 * MIB, List.of(oldest));
    assertFalse(refused.fits());
    for (RetentionPlan.Decision decision : refused.deletions()) {
      assertFalse(
          refused.explanation().contains(decision.branch().name()),
          "what goes is not among what stays: " + refused.explanation());
    }
    assertFalse(refused.explanation().contains(oldest.name()), refused.explanation());
  }

  @Test
  void aProjectExactlyAtItsBudgetFitsAndLosesNothing() {
    List<Branch> branches = dailyBackups(3); // 70 MiB
    StoragePlanner planner = planner(RetentionPolicy.DEFAULT, 70 * MIB);
    assertEquals(70 * MIB, planner.budgetBytes());
    RetentionPlan after = planner.afterBackup(new BackupInventory(branches), used(branches));
    assertTrue(after.fits());
    assertEquals(List.of(), after.deletions());
    RetentionPlan before =
        planner.beforeBackup(new BackupInventory(branches), 50 * MIB, 20 * MIB, List.of());
    assertTrue(before.fits());
    assertEquals(List.of(), before.deletions());
  }
}
