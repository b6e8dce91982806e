package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a restore test ended. */
public enum RestoreTestOutcome {
  PASSED("passed"),
  FAILED("failed");

  private final String label;

  RestoreTestOutcome(String label) {
    this.label = label;
  }

  /** The word used in reports and logs. */
  @JsonValue
  @Override
  public String toString() {
    return label;
  }
}
