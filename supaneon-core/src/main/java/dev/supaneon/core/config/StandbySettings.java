package dev.supaneon.core.config;

/**
 * The standby: a branch with a connection string that never changes, refreshed from each new
 * verified backup; {@code enabled} false leaves it alone.
 */
public record StandbySettings(boolean enabled, String branchName) {

  public static final String DEFAULT_BRANCH = "standby";
}
