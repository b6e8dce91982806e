package dev.supaneon.core.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a run did with the standby. */
public enum StandbyAction {
  /** The first run made the standby and filled it from the new backup. */
  CREATED("created"),
  /** The standby now holds exactly the new backup's data. */
  REFRESHED("refreshed"),
  /** The standby was promoted: it is the live database and no run touches it again. */
  LEFT_ALONE_PROMOTED("left alone: promoted"),
  /** {@code supaneon.standby=false}. */
  DISABLED("disabled"),
  /** The run failed before it reached the standby. */
  NOT_REACHED("not reached");

  private final String label;

  StandbyAction(String label) {
    this.label = label;
  }

  @JsonValue
  @Override
  public String toString() {
    return label;
  }
}
