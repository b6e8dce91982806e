package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The outcome of a restore test, written as JSON and Markdown. Holds no secret. */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RestoreTestReport {

  /** One check and what it found. */
  public record Check(String name, boolean passed, String detail) {}

  public final String kind = "restore-test";
  public String runId;
  public Instant startedAt;
  public Instant finishedAt;
  public long durationMs;

  /** {@code passed} or {@code failed}. */
  public String outcome;

  public String failure;
  public String finalState;
  public String mode;

  public String neonProjectId;
  public String backupBranchId;
  public String backupBranchName;
  public Instant backupTakenAt;
  public long backupAgeMinutes;
  public String maxBackupAge;

  public String testBranchId;
  public String testBranchName;

  /** Whether the test branch was kept for inspection (it is, when a check fails). */
  public boolean testBranchKept;

  /** How to reach the kept branch, without the password. */
  public String connectHint;

  public int tableCount;
  public long rowCount;
  public long logicalArchiveBytes;
  public String logicalArchiveSha256;

  public List<Check> checks = new ArrayList<>();
  public List<PhaseTiming> phases = new ArrayList<>();

  public long failedChecks() {
    return checks.stream().filter(c -> !c.passed()).count();
  }
}
