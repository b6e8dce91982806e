package dev.supaneon.core.status;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.report.StatusReport;

/** The newest verified backup is older than allowed, or there is none: a monitor's alarm. */
public final class StaleBackupException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final transient StatusReport report;

  public StaleBackupException(StatusReport report) {
    super(
        "Backups are stale: " + report.problem(),
        "Check the backup job's last runs (GitHub Actions > the backup workflow), then run"
            + " supaneon:backup.",
        null);
    this.report = report;
  }

  public StatusReport report() {
    return report;
  }
}
