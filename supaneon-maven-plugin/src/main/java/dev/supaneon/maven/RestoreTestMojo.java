package dev.supaneon.maven;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.RestoreTestSummary;
import dev.supaneon.core.restoretest.RestoreTestFailedException;
import dev.supaneon.core.restoretest.RestoreTestRun;
import java.io.File;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Restores the newest verified backup into a throw-away {@code restore-test-<UTC>} branch and
 * proves it usable: connectivity, an intact manifest, every schema and table, exact row counts, and
 * a backup no older than {@code maxBackupAge}. A failure keeps the branch for inspection and fails
 * the build.
 */
@Mojo(name = "restore-test", requiresProject = false, threadSafe = true)
public final class RestoreTestMojo extends AbstractSupaneonMojo {

  /** The oldest acceptable backup, such as 26h (env SUPANEON_MAX_BACKUP_AGE); default 26h. */
  @Parameter(property = "supaneon.maxBackupAge")
  String maxBackupAge;

  /**
   * {@code smoke} (default) or {@code logical}: also pg_dump the backup out of Neon and restore it.
   */
  @Parameter(property = "supaneon.restoreTestMode")
  String restoreTestMode;

  /** A SQL file of queries that must return true, or a count (see the README). */
  @Parameter(property = "supaneon.assertions")
  File assertions;

  /** Test this backup (id or name) instead of the newest. */
  @Parameter(property = "supaneon.backupBranch")
  String backupBranch;

  /**
   * Parallel copy streams (env SUPANEON_JOBS), 1 to 4; default: the number of cores, at most 4.
   * Each stream holds one session on each side.
   */
  @Parameter(property = "supaneon.jobs")
  Integer jobs;

  @Inject
  public RestoreTestMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void addSettings(SettingsBuilder builder) {
    builder
        .set(Setting.MAX_BACKUP_AGE, maxBackupAge)
        .set(Setting.RESTORE_TEST_MODE, restoreTestMode)
        .set(Setting.ASSERTIONS_FILE, assertions == null ? null : assertions.getPath())
        .set(Setting.BACKUP_BRANCH, backupBranch)
        .set(Setting.JOBS, text(jobs));
  }

  @Override
  void run(SettingsBuilder builder, MavenRunListener listener) {
    var settings = builder.restoreTest();
    getLog()
        .info(
            "supaneon: restore test ("
                + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
                + ") of the newest verified backup in Neon project "
                + settings.neon().projectId());
    RestoreTestReport report;
    try {
      report = new RestoreTestRun(settings, listener).execute();
    } catch (RestoreTestFailedException e) {
      printSummary(RestoreTestSummary.markdown(e.report()));
      throw e;
    }
    printSummary(RestoreTestSummary.markdown(report));
    getLog().info("supaneon: " + report.outcome() + ": " + report.finalState());
  }

  @Override
  String goal() {
    return "restore-test";
  }
}
