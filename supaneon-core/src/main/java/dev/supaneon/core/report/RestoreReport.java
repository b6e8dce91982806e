package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of {@code supaneon:restore}: a Neon branch copied into a PostgreSQL database and
 * proven equal, table by table. Holds no secret: the target appears as host, port, database and
 * user only.
 *
 * @param sourceKind what the source branch is: a promoted standby, a verified backup, or a named
 *     branch
 */
@JsonPropertyOrder({"kind"})
public record RestoreReport(
    String runId,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    Verification verification,
    String failure,
    String finalState,
    String neonProjectId,
    String sourceBranchId,
    String sourceBranchName,
    String sourceKind,
    String targetHost,
    int targetPort,
    String targetDatabase,
    String targetUser,
    String pgToolsVersion,
    Instant snapshotAt,
    long archiveBytes,
    String archiveSha256,
    int tableCount,
    long rowCount,
    List<String> mismatches,
    List<BackupReport.TableResult> tables,
    List<BackupReport.LeftOut> leftOut,
    List<String> targetActions,
    List<PhaseTiming> phases) {

  public RestoreReport {
    mismatches = List.copyOf(mismatches);
    tables = List.copyOf(tables);
    leftOut = List.copyOf(leftOut);
    targetActions = List.copyOf(targetActions);
    phases = List.copyOf(phases);
  }

  @JsonProperty("kind")
  public String kind() {
    return "restore";
  }
}
