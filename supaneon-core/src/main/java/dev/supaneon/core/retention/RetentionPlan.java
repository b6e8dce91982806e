package dev.supaneon.core.retention;

import dev.supaneon.core.neon.Branch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

  /**
   * Both plans at once: every deletion of either (this one's first), kept what neither deletes; it
   * fits when both do.
   */
  public RetentionPlan and(RetentionPlan other) {
    List<Decision> allDeletions = new ArrayList<>(deletions);
    allDeletions.addAll(other.deletions());
    Set<String> deleted =
        allDeletions.stream().map(d -> d.branch().id()).collect(Collectors.toSet());
    List<Decision> allKept = new ArrayList<>();
    for (Decision decision : kept) {
      if (!deleted.contains(decision.branch().id())) {
        allKept.add(decision);
      }
    }
    return new RetentionPlan(
        allDeletions, allKept, fits && other.fits(), explanation + "; " + other.explanation());
  }
}
