package dev.supaneon.core.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.TimestampedName;
import dev.supaneon.core.config.RetentionPolicy;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {

  static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
  static final Branch MAIN =
      new Branch(
          "br-main",
          "main",
          null,
          "ready",
          null,
          true,
          false,
          NOW.minus(Duration.ofDays(400)),
          NOW,
          null,
          Map.of(),
          null);

  static Branch backup(Instant at, boolean verified) {
    return new Branch(
        "br-" + at.getEpochSecond(),
        TimestampedName.BACKUP.format(at),
        "br-main",
        "ready",
        null,
        false,
        false,
        at,
        at,
        verified ? null : at.plus(Duration.ofHours(4)),
        Map.of(NeonClient.RUN_ID_ANNOTATION, "run-" + at.getEpochSecond()),
        null);
  }

  /** The branch with another protection and other sizes. */
  static Branch copy(Branch b, boolean isProtected, Long logicalSize, Long writtenDataBytes) {
    return new Branch(
        b.id(),
        b.name(),
        b.parentId(),
        b.currentState(),
        b.pendingState(),
        b.isDefault(),
        isProtected,
        b.createdAt(),
        b.updatedAt(),
        b.expiresAt(),
        b.annotation(),
        logicalSize,
        writtenDataBytes);
  }

  static Set<String> ids(List<RetentionPlan.Decision> decisions) {
    return decisions.stream().map(d -> d.branch().name()).collect(Collectors.toSet());
  }

  @Test
  void keepsTheNewestOfEachDayWeekAndMonth() {
    List<Branch> branches = new ArrayList<>(List.of(MAIN));
    for (int day = 0; day < 100; day++) {
      branches.add(backup(NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(1)), true));
      branches.add(backup(NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(5)), true));
    }
    RetentionPlanner planner =
        new RetentionPlanner(RetentionPolicy.DEFAULT, 200, 1, Duration.ofHours(3));
    RetentionPlan plan = planner.afterBackup(new BackupInventory(branches), NOW);
    Set<String> kept = ids(plan.kept());
    // 7 days, plus the newest of 4 weeks and 3 months, some of which coincide with those days.
    assertTrue(
        kept.contains(TimestampedName.BACKUP.format(NOW.minus(Duration.ofHours(1)))), "the newest");
    assertFalse(
        kept.contains(TimestampedName.BACKUP.format(NOW.minus(Duration.ofHours(5)))),
        "an older one of today");
    for (int day = 0; day < 7; day++) {
      assertTrue(
          kept.contains(
              TimestampedName.BACKUP.format(
                  NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(1)))),
          "day " + day);
    }
    assertTrue(
        kept.contains(TimestampedName.BACKUP.format(Instant.parse("2026-02-28T11:00:00Z"))),
        "newest of February");
    assertTrue(
        kept.contains(TimestampedName.BACKUP.format(Instant.parse("2026-01-31T11:00:00Z"))),
        "newest of January");
    assertTrue(kept.size() >= 7 && kept.size() <= 14, kept.toString());
    assertEquals(200 - kept.size(), plan.deletions().size(), "every other backup goes");
  }

  @Test
  void theCapFromTheBranchLimitWinsButNeverTakesTheNewest() {
    List<Branch> branches = new ArrayList<>(List.of(MAIN));
    for (int day = 0; day < 20; day++) {
      branches.add(backup(NOW.minus(Duration.ofDays(day)), true));
    }
    RetentionPlan plan =
        new RetentionPlanner(RetentionPolicy.DEFAULT, 10, 1, Duration.ofHours(3))
            .afterBackup(new BackupInventory(branches), NOW);
    assertEquals(9, branches.size() - plan.deletions().size(), "limit 10 minus 1 free");
    assertTrue(ids(plan.kept()).contains(TimestampedName.BACKUP.format(NOW)));
  }

  @Test
  void beforeABackupPrunesOnlyWhatIsNeededOldestFirst() {
    List<Branch> branches = new ArrayList<>(List.of(MAIN));
    for (int day = 0; day < 9; day++) {
      branches.add(backup(NOW.minus(Duration.ofDays(day * 10L)), true));
    }
    RetentionPlanner planner =
        new RetentionPlanner(RetentionPolicy.DEFAULT, 10, 1, Duration.ofHours(3));
    RetentionPlan plan = planner.beforeBackup(new BackupInventory(branches), NOW);
    assertTrue(plan.fits());
    assertEquals(
        Set.of(TimestampedName.BACKUP.format(NOW.minus(Duration.ofDays(80)))),
        ids(plan.deletions()),
        "one branch frees the one slot needed; the oldest goes");
    RetentionPlan roomy = planner.beforeBackup(new BackupInventory(branches.subList(0, 5)), NOW);
    assertTrue(roomy.deletions().isEmpty(), "nothing is pruned when there is room");
  }

  @Test
  void neverDeletesWhatSupaneonDidNotMakeTheDefaultBranchOrARunInProgress() {
    Branch foreign =
        new Branch(
            "br-x",
            "backup-20260101T000000Z",
            "br-main",
            "ready",
            null,
            false,
            false,
            NOW.minus(Duration.ofDays(90)),
            NOW,
            null,
            Map.of(),
            null);
    Branch userBranch =
        new Branch(
            "br-dev", "dev", "br-main", "ready", null, false, false, NOW, NOW, null, Map.of(),
            null);
    Branch inProgress = backup(NOW.minus(Duration.ofMinutes(10)), false);
    Branch dead = backup(NOW.minus(Duration.ofHours(5)), false);
    Branch newest = backup(NOW.minus(Duration.ofHours(1)), true);
    List<Branch> branches = List.of(MAIN, foreign, userBranch, inProgress, dead, newest);
    RetentionPlanner planner =
        new RetentionPlanner(new RetentionPolicy(1, 0, 0), 6, 1, Duration.ofHours(3));
    RetentionPlan plan = planner.beforeBackup(new BackupInventory(branches), NOW);
    assertEquals(Set.of(dead.name()), ids(plan.deletions()), "only the dead run's branch may go");
    assertTrue(plan.fits());
    RetentionPlan full =
        new RetentionPlanner(new RetentionPolicy(1, 0, 0), 5, 1, Duration.ofHours(3))
            .beforeBackup(
                new BackupInventory(List.of(MAIN, foreign, userBranch, inProgress, newest)), NOW);
    assertFalse(full.fits(), "no branch may be deleted, so there is no room");
    assertTrue(full.explanation().contains("limit 5"), full.explanation());
  }

  static Branch protectedCopy(Branch b) {
    return RetentionSafetyRulesTest.with(b, true);
  }

  static Branch foreign(Instant at) {
    Branch b = backup(at, true);
    return new Branch(
        "br-foreign-" + at.getEpochSecond(),
        b.name(),
        b.parentId(),
        b.currentState(),
        b.pendingState(),
        false,
        false,
        at,
        at,
        null,
        Map.of(),
        null);
  }

  static Map<String, String> reasons(List<RetentionPlan.Decision> decisions) {
    return decisions.stream()
        .collect(Collectors.toMap(d -> d.branch().name(), RetentionPlan.Decision::reason));
  }

  static String name(Instant at) {
    return TimestampedName.BACKUP.format(at);
  }

  @Test
  void beforeABackupEveryBackupNotDeletedIsKeptWithItsReason() {
    Instant newest = NOW.minus(Duration.ofHours(1));
    Instant inPolicy = NOW.minus(Duration.ofDays(1));
    Instant outside = NOW.minus(Duration.ofDays(3));
    Instant guarded = NOW.minus(Duration.ofDays(4));
    Instant notOurs = NOW.minus(Duration.ofDays(5));
    List<Branch> branches =
        List.of(
            MAIN,
            backup(newest, true),
            backup(inPolicy, true),
            backup(outside, true),
            protectedCopy(backup(guarded, true)),
            foreign(notOurs));
    RetentionPlan plan =
        new RetentionPlanner(new RetentionPolicy(2, 0, 0), 10, 1, Duration.ofHours(3))
            .beforeBackup(new BackupInventory(branches), NOW);
    assertEquals(List.of(), plan.deletions(), "there is room: nothing goes before the backup");
    assertEquals(
        Map.of(
            name(newest), "newest verified backup",
            name(inPolicy), "kept by the retention policy (daily 2, weekly 0, monthly 0)",
            name(outside), "within the cap",
            name(guarded), "protected, default, or has child branches",
            name(notOurs), "not made by supaneon"),
        reasons(plan.kept()));
    assertEquals("room for the new backup: 6 of 10 branches in use before it", plan.explanation());
  }

  @Test
  void beforeABackupTheDeletedOnesAreNotAlsoListedAsKept() {
    List<Branch> branches = new ArrayList<>(List.of(MAIN));
    for (int day = 0; day < 9; day++) {
      branches.add(backup(NOW.minus(Duration.ofDays(day)), true));
    }
    RetentionPlan plan =
        new RetentionPlanner(new RetentionPolicy(1, 0, 0), 10, 1, Duration.ofHours(3))
            .beforeBackup(new BackupInventory(branches), NOW);
    assertEquals(Set.of(name(NOW.minus(Duration.ofDays(8)))), ids(plan.deletions()));
    assertEquals(8, plan.kept().size());
    assertFalse(ids(plan.kept()).contains(name(NOW.minus(Duration.ofDays(8)))));
    assertEquals("room for the new backup: 9 of 10 branches in use before it", plan.explanation());
  }

  @Test
  void afterABackupThePolicyKeepsExactlyTheNewestOfEachOfItsDays() {
    List<Branch> branches = new ArrayList<>(List.of(MAIN));
    for (int day = 0; day < 5; day++) {
      branches.add(backup(NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(1)), true));
      branches.add(backup(NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(2)), true));
    }
    RetentionPlan plan =
        new RetentionPlanner(new RetentionPolicy(2, 0, 0), 50, 1, Duration.ofHours(3))
            .afterBackup(new BackupInventory(branches), NOW);
    assertEquals(
        Set.of(
            name(NOW.minus(Duration.ofHours(1))),
            name(NOW.minus(Duration.ofDays(1)).minus(Duration.ofHours(1)))),
        ids(plan.kept()));
    assertEquals(
        Set.of("outside the retention policy (daily 2, weekly 0, monthly 0)"),
        plan.deletions().stream().map(RetentionPlan.Decision::reason).collect(Collectors.toSet()));
    assertEquals(8, plan.deletions().size());
  }

  @Test
  void afterABackupAProjectAtItsLimitFitsAndOneOverItDoesNot() {
    List<Branch> atLimit =
        List.of(
            MAIN, backup(NOW, true), protectedCopy(backup(NOW.minus(Duration.ofDays(1)), true)));
    RetentionPlanner planner =
        new RetentionPlanner(new RetentionPolicy(1, 0, 0), 3, 1, Duration.ofHours(3));
    RetentionPlan fits = planner.afterBackup(new BackupInventory(atLimit), NOW);
    assertTrue(fits.fits());
    assertEquals("3 of 3 branches in use after retention", fits.explanation());
    List<Branch> over = new ArrayList<>(atLimit);
    over.add(protectedCopy(backup(NOW.minus(Duration.ofDays(2)), true)));
    RetentionPlan tooMany = planner.afterBackup(new BackupInventory(over), NOW);
    assertFalse(tooMany.fits());
    assertEquals("4 of 3 branches in use after retention", tooMany.explanation());
  }

  @Test
  void aProjectWithoutBackupsPlansNothing() {
    RetentionPlanner planner =
        new RetentionPlanner(RetentionPolicy.DEFAULT, 10, 1, Duration.ofHours(3));
    RetentionPlan after = planner.afterBackup(new BackupInventory(List.of(MAIN)), NOW);
    assertEquals(List.of(), after.deletions());
    assertEquals(List.of(), after.kept());
    assertTrue(after.fits());
    RetentionPlan before = planner.beforeBackup(new BackupInventory(List.of(MAIN)), NOW);
    assertEquals(List.of(), before.deletions());
    assertTrue(before.fits());
  }
}
