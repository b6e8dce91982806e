package dev.supaneon.core.neon;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The parts of a Neon project that a run needs: its PostgreSQL version, its plan's branch limit,
 * its storage (in use, and the limit Neon reports for it), and this consumption period's compute
 * time (CU-seconds) and data transfer.
 */
public record Project(
    String id,
    String name,
    int pgVersion,
    Owner owner,
    Long syntheticStorageSize,
    Long branchLogicalSizeLimitBytes,
    Settings settings,
    Long computeTimeSeconds,
    Long dataTransferBytes,
    Instant consumptionPeriodStart) {

  /** The project owner's plan limits. */
  public record Owner(Integer branchesLimit) {}

  /** The project's settings; only the quota matters here. */
  public record Settings(Quota quota) {}

  /** Per-project quotas; zero or absent means unlimited. */
  public record Quota(Long logicalSizeBytes) {}

  public Project(String id, String name, int pgVersion, Owner owner) {
    this(id, name, pgVersion, owner, null, null, null, null, null, null);
  }

  public OptionalInt branchesLimit() {
    return owner == null || owner.branchesLimit() == null
        ? OptionalInt.empty()
        : OptionalInt.of(owner.branchesLimit());
  }

  /** Bytes of storage the project uses, as Neon reports them (with some lag). */
  public OptionalLong storageUsed() {
    return syntheticStorageSize == null
        ? OptionalLong.empty()
        : OptionalLong.of(syntheticStorageSize);
  }

  /**
   * The storage limit Neon reports: the project's logical-size quota when one is set, else the
   * branch size limit of its plan (512 MiB on the Free plan, the same as its project limit).
   */
  public OptionalLong storageLimit() {
    if (settings != null
        && settings.quota() != null
        && settings.quota().logicalSizeBytes() != null
        && settings.quota().logicalSizeBytes() > 0) {
      return OptionalLong.of(settings.quota().logicalSizeBytes());
    }
    return branchLogicalSizeLimitBytes == null || branchLogicalSizeLimitBytes <= 0
        ? OptionalLong.empty()
        : OptionalLong.of(branchLogicalSizeLimitBytes);
  }
}
