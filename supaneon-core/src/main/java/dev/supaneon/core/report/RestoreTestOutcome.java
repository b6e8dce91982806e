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

  @JsonValue
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
