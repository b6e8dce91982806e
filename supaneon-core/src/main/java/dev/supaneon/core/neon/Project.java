package dev.supaneon.core.neon;

import java.util.OptionalInt;

/** The parts of a Neon project that a run needs: its PostgreSQL version and branch limit. */
public record Project(String id, String name, int pgVersion, Owner owner) {

  /** The project owner's plan limits. */
  public record Owner(Integer branchesLimit) {}

  public OptionalInt branchesLimit() {
    return owner == null || owner.branchesLimit() == null
        ? OptionalInt.empty()
        : OptionalInt.of(owner.branchesLimit());
  }
}
