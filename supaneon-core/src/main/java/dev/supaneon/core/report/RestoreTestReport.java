package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a restore test, built once when the test ends and written as JSON and Markdown.
 * Holds no secret.
 *
 * @param testBranchKept whether the test branch was kept for inspection (it is, when a check fails)
 * @param connectHint how to reach the kept branch, without the password
 */
@JsonPropertyOrder({"kind"})
public record RestoreTestReport(
    String runId,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    RestoreTestOutcome outcome,
    String failure,
    String finalState,
    String mode,
    String neonProjectId,
    String backupBranchId,
    String backupBranchName,
    Instant backupTakenAt,
    long backupAgeMinutes,
    Instant backupConfirmedCurrentAt,
    String maxBackupAge,
    String testBranchId,
    String testBranchName,
    boolean testBranchKept,
    String connectHint,
    int tableCount,
    long rowCount,
    long logicalArchiveBytes,
    String logicalArchiveSha256,
    List<Check> checks,
    List<PhaseTiming> phases) {

  /** One check and what it found. */
  public record Check(String name, boolean passed, String detail) {}

  public RestoreTestReport {
    checks = List.copyOf(checks);
    phases = List.copyOf(phases);
  }

  /** What the JSON calls this report. */
  @JsonProperty("kind")
  public String kind() {
    return "restore-test";
  }

  public long failedChecks() {
    return checks.stream().filter(c -> !c.passed()).count();
  }
}
