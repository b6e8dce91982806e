package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * What {@code supaneon:status} found: the verified backups, unfinished branches and the standby,
 * read without changing anything. Holds no secret: connection strings come without the password.
 *
 * @param newestBackupAgeMinutes since the newest verified backup was taken, or since a later run
 *     confirmed it current (the source unchanged), whichever is later
 * @param newestBackupConfirmedCurrentAt the source instant a run last found equal to the newest
 *     backup; null when none did
 * @param stale whether the newest verified backup is older than {@code maxBackupAge} (or missing)
 */
@JsonPropertyOrder({"kind"})
public record StatusReport(
    Instant generatedAt,
    String neonProjectId,
    List<BackupEntry> backups,
    List<UnfinishedBranch> unfinished,
    StandbyStatus standby,
    Long newestBackupAgeMinutes,
    Instant newestBackupConfirmedCurrentAt,
    String maxBackupAge,
    boolean stale,
    String problem,
    ProjectStorage storage,
    PlanUsage usage) {

  /**
   * The project's storage as Neon reports it, and its limit; either is null when Neon reported
   * none.
   */
  public record ProjectStorage(Long usedBytes, Long limitBytes) {}

  /**
   * This consumption period's compute and data transfer, as Neon reports them, beside the Free
   * plan's allowances (100 CU-hours, 5 GB of public transfer a month); a figure is null when Neon
   * reported none.
   */
  public record PlanUsage(
      Instant periodStart,
      Long computeSeconds,
      long freeComputeSeconds,
      Long dataTransferBytes,
      long freeDataTransferBytes) {

    public static final long FREE_COMPUTE_SECONDS = 100L * 3600;
    public static final long FREE_DATA_TRANSFER_BYTES = 5_000_000_000L;

    /** The figures beside the Free plan's allowances. */
    public static PlanUsage againstFreePlan(
        Instant periodStart, Long computeSeconds, Long dataTransferBytes) {
      return new PlanUsage(
          periodStart,
          computeSeconds,
          FREE_COMPUTE_SECONDS,
          dataTransferBytes,
          FREE_DATA_TRANSFER_BYTES);
    }
  }

  /**
   * A verified backup.
   *
   * @param storageBytes what it adds to the project's storage (Neon's rule for child branches);
   *     null when Neon reported no sizes
   * @param computeSeconds the CU-seconds its computes have used (the copy, restore tests and
   *     confirmations); null when Neon reported none
   * @param dataTransferBytes what left Neon from it; null when Neon reported none
   * @param restoreTestPassed whether a restore test passed on it; null when not known
   */
  public record BackupEntry(
      String name,
      String id,
      Instant takenAt,
      long ageMinutes,
      Long logicalSizeBytes,
      Long storageBytes,
      Long computeSeconds,
      Long dataTransferBytes,
      Boolean restoreTestPassed) {}

  /** A branch supaneon made that has not finished (it still expires). */
  public record UnfinishedBranch(String name, String id, String kind, Instant expiresAt) {}

  /**
   * The standby: which backup it holds and so how old its data is (the recovery point), and how to
   * reach it.
   */
  public record StandbyStatus(
      String name,
      String id,
      boolean exists,
      boolean promoted,
      Instant promotedAt,
      String holdsBackup,
      Instant dataAsOf,
      Long rpoMinutes,
      String connectionString,
      String pooledConnectionString,
      String detail) {}

  public StatusReport {
    backups = List.copyOf(backups);
    unfinished = List.copyOf(unfinished);
  }

  @JsonProperty("kind")
  public String kind() {
    return "status";
  }
}
