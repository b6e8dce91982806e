package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a backup run, filled in as the run goes and written as JSON and Markdown. It holds
 * no secret: the source appears as host, port, database and user only.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder(alphabetic = false)
public final class BackupReport {

  /** One table: rows at the snapshot, checksum, whether rows were backed up and verified. */
  public record TableResult(
      String schema,
      String table,
      long rows,
      String checksum,
      boolean dataIncluded,
      boolean verified) {}

  /** Something left out of the backup, and why. */
  public record LeftOut(String kind, String name, String reason) {}

  /** A branch retention deleted (or would delete, in a dry run), or kept. */
  public record RetentionAction(String branchId, String branchName, String action, String reason) {}

  public final String kind = "backup";
  public String runId;
  public Instant startedAt;
  public Instant finishedAt;
  public long durationMs;

  /** {@code verified}, {@code failed} or {@code dry-run}. */
  public String outcome;

  public String failure;
  public String finalState;

  public String sourceHost;
  public int sourcePort;
  public String sourceDatabase;
  public String sourceUser;
  public String sourceServerVersion;

  public String neonProjectId;
  public String parentBranch;
  public String branchId;
  public String branchName;
  public String targetDatabase;
  public String targetServerVersion;
  public String pgToolsVersion;

  /** The instant of the source snapshot the backup holds. */
  public Instant snapshotAt;

  public long archiveBytes;
  public String archiveSha256;
  public long dumpRestoreMs;
  public long sourceFingerprintMs;
  public long verifyMs;

  /** {@code passed}, {@code failed} or {@code not run}. */
  public String verification = "not run";

  public boolean checksumsCompared;
  public int tableCount;

  /** Large objects backed up (compared by count; their contents are not checksummed). */
  public long largeObjects;

  public long rowCount;
  public List<String> mismatches = new ArrayList<>();
  public List<TableResult> tables = new ArrayList<>();
  public List<String> schemas = new ArrayList<>();
  public List<LeftOut> leftOut = new ArrayList<>();
  public List<String> targetActions = new ArrayList<>();
  public List<RetentionAction> retention = new ArrayList<>();
  public List<PhaseTiming> phases = new ArrayList<>();
}
