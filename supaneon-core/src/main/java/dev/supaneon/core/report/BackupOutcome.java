package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a backup run ended. */
public enum BackupOutcome {
  /** A new verified backup exists. */
  VERIFIED("verified"),
  /**
   * The source equals the newest verified backup, which is now recorded as current; nothing was
   * created, copied or deleted.
   */
  CONFIRMED_CURRENT("confirmed-current"),
  /** Nothing was created or deleted; the report says what would have been. */
  DRY_RUN("dry-run"),
  /** No verified backup came of the run. */
  FAILED("failed");

  private final String label;

  BackupOutcome(String label) {
    this.label = label;
  }

  /** The word used in reports and logs. */
  @JsonValue
  @Override
  public String toString() {
    return label;
  }
}
