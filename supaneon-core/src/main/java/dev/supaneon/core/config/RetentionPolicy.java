package dev.supaneon.core.config;

/**
 * How many verified backups to keep: the newest of each of the last {@code daily} days, {@code
 * weekly} ISO weeks and {@code monthly} months (UTC), within the project's branch limit.
 */
public record RetentionPolicy(int daily, int weekly, int monthly) {

  public static final RetentionPolicy DEFAULT = new RetentionPolicy(7, 4, 3);

  public RetentionPolicy {
    if (daily < 1 || weekly < 0 || monthly < 0) {
      throw new IllegalArgumentException(
          "keep at least one daily backup; weekly and monthly counts cannot be negative");
    }
  }
}
