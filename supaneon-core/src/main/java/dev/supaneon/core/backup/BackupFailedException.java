package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.report.BackupReport;

/** A backup run failed; no verified backup came of it. Carries the run's report. */
public final class BackupFailedException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final transient BackupReport report;

  public BackupFailedException(String message, BackupReport report, Throwable cause) {
    super(message, cause);
    this.report = report;
  }

  public BackupReport report() {
    return report;
  }
}
