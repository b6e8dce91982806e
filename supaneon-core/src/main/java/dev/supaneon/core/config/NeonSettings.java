package dev.supaneon.core.config;

import java.net.URI;
import java.util.Optional;

/** Where the backups live: the Neon API, the project, and the database and role to restore as. */
public record NeonSettings(
    URI apiUrl,
    Secret apiKey,
    String projectId,
    Optional<String> parentBranch,
    String database,
    String role) {

  public static final String DEFAULT_API_URL = "https://console.neon.tech/api/v2";
  public static final String DEFAULT_DATABASE = "neondb";
  public static final String DEFAULT_ROLE = "neondb_owner";

  @Override
  public String toString() {
    return "NeonSettings[apiUrl="
        + apiUrl
        + ", apiKey=****, projectId="
        + projectId
        + ", parentBranch="
        + parentBranch.orElse("(default branch)")
        + ", database="
        + database
        + ", role="
        + role
        + "]";
  }
}
