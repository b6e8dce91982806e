package dev.supaneon.core.retention;

import dev.supaneon.core.neon.Branch;
import java.util.List;

/**
 * What retention decided: the branches to delete and why, the backups kept and why, and whether the
 * project then has room for what comes next.
 */
public record RetentionPlan(
    List<Decision> deletions, List<Decision> kept, boolean fits, String explanation) {

  /** One branch and the reason for what happens to it. */
  public record Decision(Branch branch, String reason) {}

  public RetentionPlan {
    deletions = List.copyOf(deletions);
    kept = List.copyOf(kept);
  }
}
