package dev.supaneon.core.retention;

import static dev.supaneon.core.retention.RetentionPlannerTest.NOW;
import static dev.supaneon.core.retention.RetentionPlannerTest.backup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.retention.RetentionPlan.Decision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two plans at once: the branch count's and the storage budget's. */
class RetentionPlanTest {

  static final Branch A = backup(NOW.minus(Duration.ofDays(3)), true);
  static final Branch B = backup(NOW.minus(Duration.ofDays(2)), true);
  static final Branch C = backup(NOW.minus(Duration.ofDays(1)), true);

  @Test
  void bothPlansDeletionsInOrderAndKeptOnlyWhatNeitherDeletes() {
    RetentionPlan count =
        new RetentionPlan(
            List.of(new Decision(A, "count")),
            List.of(new Decision(B, "kept"), new Decision(C, "kept")),
            true,
            "count fits");
    RetentionPlan storage =
        new RetentionPlan(List.of(new Decision(B, "storage")), List.of(), true, "storage fits");
    RetentionPlan both = count.and(storage);
    assertEquals(List.of(A, B), both.deletions().stream().map(Decision::branch).toList());
    assertEquals(List.of(C), both.kept().stream().map(Decision::branch).toList());
    assertTrue(both.fits());
    assertEquals("count fits; storage fits", both.explanation());
  }

  @Test
  void theyFitOnlyWhenBothFit() {
    RetentionPlan fits = new RetentionPlan(List.of(), List.of(), true, "yes");
    RetentionPlan not = new RetentionPlan(List.of(), List.of(), false, "no");
    assertFalse(fits.and(not).fits());
    assertFalse(not.and(fits).fits());
    assertTrue(fits.and(fits).fits());
  }
}
