package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the restored copy was proven equal to the source. */
public enum Verification {
  PASSED("passed"),
  FAILED("failed"),
  NOT_RUN("not run");

  private final String label;

  Verification(String label) {
    this.label = label;
  }

  /** The word used in reports and logs. */
  @JsonValue
  @Override
  public String toString() {
    return label;
  }
}
