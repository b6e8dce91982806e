package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a failover: the promoted standby and the {@code DATABASE_URL} to switch to,
 * without its password. Holds no secret.
 *
 * @param alreadyPromoted whether an earlier promote had done it (promoting is idempotent)
 * @param passwordHint where to get the password that the URL leaves out
 */
@JsonPropertyOrder({"kind"})
public record PromoteReport(
    Instant startedAt,
    long durationMs,
    String neonProjectId,
    String branchId,
    String branchName,
    Instant promotedAt,
    boolean alreadyPromoted,
    String databaseUrl,
    String pooledDatabaseUrl,
    String passwordHint,
    List<PhaseTiming> phases) {

  public PromoteReport {
    phases = List.copyOf(phases);
  }

  @JsonProperty("kind")
  public String kind() {
    return "promote";
  }
}
