package dev.supaneon.maven;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.status.StaleBackupException;
import dev.supaneon.core.status.StatusRun;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Shows the verified backups, unfinished branches and the standby (which backup it holds, its
 * connection string without the password), and writes {@code status.json} and {@code status.md}.
 * Read-only. Fails the build when the newest verified backup is older than {@code maxBackupAge}, so
 * that a scheduled run is a monitor.
 */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public final class StatusMojo extends AbstractSupaneonMojo {

  /** The oldest acceptable newest backup, such as 26h (env SUPANEON_MAX_BACKUP_AGE). */
  @Parameter(property = "supaneon.maxBackupAge")
  String maxBackupAge;

  /** The standby branch's name (env SUPANEON_STANDBY_BRANCH); default standby. */
  @Parameter(property = "supaneon.standbyBranch")
  String standbyBranch;

  @Inject
  public StatusMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void addSettings(SettingsBuilder builder) {
    builder.set(Setting.MAX_BACKUP_AGE, maxBackupAge).set(Setting.STANDBY_BRANCH, standbyBranch);
  }

  @Override
  void run(SettingsBuilder builder, MavenRunListener listener) {
    StatusReport report;
    try {
      report = new StatusRun(builder.status(), listener).execute();
    } catch (StaleBackupException e) {
      printSummary(RecoverySummary.status(e.report()));
      throw e;
    }
    printSummary(RecoverySummary.status(report));
  }

  @Override
  String goal() {
    return "status";
  }
}
