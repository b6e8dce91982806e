package dev.supaneon.core.retention;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.RetentionPolicy;
import dev.supaneon.core.neon.Branch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules retention never breaks, each on its own: whatever the policy and the branch limit, it
 * deletes no protected branch, no branch with children and never the newest verified backup.
 */
class RetentionSafetyRulesTest {

  static final Instant NOW = RetentionPlannerTest.NOW;

  /** Thirty daily backups under a policy that keeps one, so all but the newest are candidates. */
  static List<Branch> thirtyDays() {
    List<Branch> branches = new ArrayList<>(List.of(RetentionPlannerTest.MAIN));
    for (int day = 0; day < 30; day++) {
      branches.add(RetentionPlannerTest.backup(NOW.minus(Duration.ofDays(day)), true));
    }
    return branches;
  }

  static RetentionPlan plan(List<Branch> branches) {
    return new RetentionPlanner(new RetentionPolicy(1, 0, 0), 10, 1, Duration.ofHours(3))
        .afterBackup(new BackupInventory(branches), NOW);
  }

  static Branch with(Branch b, boolean isProtected) {
    return RetentionPlannerTest.copy(b, isProtected, b.logicalSize(), b.writtenDataBytes());
  }

  static boolean deletes(RetentionPlan plan, Branch branch) {
    return plan.deletions().stream().anyMatch(d -> d.branch().id().equals(branch.id()));
  }

  @Test
  void aProtectedBackupIsNeverDeleted() {
    List<Branch> branches = thirtyDays();
    Branch old = branches.get(20);
    branches.set(20, with(old, true));
    RetentionPlan plan = plan(branches);
    assertTrue(deletes(plan, branches.get(19)), "its unprotected neighbour goes");
    assertFalse(deletes(plan, branches.get(20)), "the protected one stays");
  }

  @Test
  void aBackupWithAChildIsNeverDeleted() {
    List<Branch> branches = thirtyDays();
    Branch parent = branches.get(20);
    branches.add(
        new Branch(
            "br-child",
            "someones-branch",
            parent.id(),
            "ready",
            null,
            false,
            false,
            NOW,
            NOW,
            null,
            Map.of(),
            null));
    RetentionPlan plan = plan(branches);
    assertTrue(deletes(plan, branches.get(19)), "its childless neighbour goes");
    assertFalse(deletes(plan, parent), "Neon cannot delete a parent, and retention does not try");
  }

  @Test
  void theNewestVerifiedBackupIsNeverDeletedEvenWhenTheLimitIsTight() {
    List<Branch> branches = thirtyDays();
    RetentionPlan plan =
        new RetentionPlanner(new RetentionPolicy(1, 0, 0), 3, 1, Duration.ofHours(3))
            .afterBackup(new BackupInventory(branches), NOW);
    assertTrue(deletes(plan, branches.get(2)), "older ones go");
    assertFalse(deletes(plan, branches.get(1)), "the newest stays");
  }

  @Test
  void onlyBranchesSupaneonMadeAreEverDeleted() {
    List<Branch> branches = thirtyDays();
    Branch old = branches.get(20);
    branches.set(
        20,
        new Branch(
            old.id(),
            old.name(),
            old.parentId(),
            old.currentState(),
            old.pendingState(),
            false,
            false,
            old.createdAt(),
            old.updatedAt(),
            null,
            Map.of(),
            null));
    RetentionPlan plan = plan(branches);
    assertTrue(deletes(plan, branches.get(19)));
    assertFalse(deletes(plan, branches.get(20)), "a backup-named branch without supaneon's run id");
  }
}
