package dev.supaneon.core.restoretest;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.report.RestoreTestReport;

/** A restore test failed: the backup could not be shown to be usable. Carries the report. */
public final class RestoreTestFailedException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final transient RestoreTestReport report;

  public RestoreTestFailedException(String message, RestoreTestReport report, Throwable cause) {
    super(message, cause);
    this.report = report;
  }

  public RestoreTestReport report() {
    return report;
  }
}
