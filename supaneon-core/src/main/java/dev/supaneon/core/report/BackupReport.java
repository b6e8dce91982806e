package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a backup run, built once when the run ends and written as JSON and Markdown. It
 * holds no secret: the source appears as host, port, database and user only.
 *
 * @param snapshotAt the instant of the source snapshot the backup holds
 * @param largeObjects large objects backed up (compared by count; their contents are not
 *     checksummed)
 * @param copy how the copy's time was spent; null when the run stopped before it
 * @param usage the project's compute and data transfer this period after the run, beside the Free
 *     plan's allowances; null when the run stopped before
 */
@JsonPropertyOrder({"kind"})
public record BackupReport(
    String runId,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    BackupOutcome outcome,
    String failure,
    String finalState,
    String sourceHost,
    int sourcePort,
    String sourceDatabase,
    String sourceUser,
    String sourceServerVersion,
    String neonProjectId,
    String parentBranch,
    String branchId,
    String branchName,
    String targetDatabase,
    String targetServerVersion,
    String pgToolsVersion,
    Instant snapshotAt,
    long archiveBytes,
    String archiveSha256,
    long dumpRestoreMs,
    CopyTimings copy,
    long verifyMs,
    Verification verification,
    boolean checksumsCompared,
    int tableCount,
    long largeObjects,
    long rowCount,
    List<String> mismatches,
    List<TableResult> tables,
    List<String> schemas,
    List<LeftOut> leftOut,
    List<String> targetActions,
    List<RetentionAction> retention,
    StandbyReport standby,
    Storage storage,
    StatusReport.PlanUsage usage,
    List<PhaseTiming> phases) {

  /** One table: rows at the snapshot, checksum, whether rows were backed up and verified. */
  public record TableResult(
      String schema,
      String table,
      long rows,
      String checksum,
      boolean dataIncluded,
      boolean verified) {}

  /**
   * The copy's steps: the schema before the rows, the rows (streamed in {@code jobs} parallel
   * streams and read back as each table is loaded), then indexes and constraints.
   */
  public record CopyTimings(int jobs, long schemaMs, long rowsMs, long indexesMs) {}

  /** Something left out of the backup, and why. */
  public record LeftOut(String kind, String name, String reason) {}

  /**
   * The project's storage against its budget, in bytes: what the run found, what it expected the
   * new backup to need, and what was left after retention.
   *
   * @param budgetSource where the budget came from: supaneon.storageBudget, or Neon's limit
   * @param sourceBytes the in-scope source's size on disk (tables and their indexes)
   * @param estimatedBytes what the new backup was expected to add
   * @param usedAfterBytes the project's storage after retention; null when the run stopped before
   * @param backupsThatFit how many backups of this size the budget holds beside the rest
   */
  public record Storage(
      long budgetBytes,
      String budgetSource,
      long usedBeforeBytes,
      long sourceBytes,
      long estimatedBytes,
      Long usedAfterBytes,
      long backupsThatFit) {}

  /** A branch retention deleted (or would delete, in a dry run), or kept. */
  public record RetentionAction(String branchId, String branchName, String action, String reason) {}

  public BackupReport {
    mismatches = List.copyOf(mismatches);
    tables = List.copyOf(tables);
    schemas = List.copyOf(schemas);
    leftOut = List.copyOf(leftOut);
    targetActions = List.copyOf(targetActions);
    retention = List.copyOf(retention);
    phases = List.copyOf(phases);
  }

  /** What the JSON calls this report. */
  @JsonProperty("kind")
  public String kind() {
    return "backup";
  }

  /** Whether the run left a verified backup of the source as it is now: new, or confirmed. */
  @JsonIgnore
  public boolean isCurrent() {
    return outcome == BackupOutcome.VERIFIED || outcome == BackupOutcome.CONFIRMED_CURRENT;
  }

  /** Whether a new verified backup exists. */
  @JsonIgnore
  public boolean isVerified() {
    return outcome == BackupOutcome.VERIFIED;
  }
}
