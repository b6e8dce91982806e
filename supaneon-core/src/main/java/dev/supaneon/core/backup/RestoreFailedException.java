package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.report.RestoreReport;

/** A restore failed or was refused; the target is not to be used. Carries the run's report. */
public final class RestoreFailedException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final transient RestoreReport report;

  public RestoreFailedException(String message, RestoreReport report, Throwable cause) {
    super(message, cause);
    this.report = report;
  }

  public RestoreReport report() {
    return report;
  }
}
