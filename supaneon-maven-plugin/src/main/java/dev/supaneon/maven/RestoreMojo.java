package dev.supaneon.maven;

import dev.supaneon.core.backup.RestoreFailedException;
import dev.supaneon.core.backup.RestoreRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.report.RestoreReport;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fail-back and rebuilds: copies a Neon branch (the promoted standby by default, so the writes made
 * during a failover come back; else the newest verified backup; or {@code restoreFrom}) into any
 * PostgreSQL database, such as a new Supabase project, and verifies every table. The target must be
 * empty in the restored schemas unless {@code targetClean}.
 */
@Mojo(name = "restore", requiresProject = false, threadSafe = true)
public final class RestoreMojo extends AbstractScopedMojo {

  /** The database to restore into (env SUPANEON_TARGET_URL); must carry sslmode=require. */
  @Parameter(property = "supaneon.targetUrl")
  String targetUrl;

  /** The branch to restore from, by id or name (env SUPANEON_RESTORE_FROM). */
  @Parameter(property = "supaneon.restoreFrom")
  String restoreFrom;

  /** Drops the target's schemas that the restore fills, instead of refusing a non-empty target. */
  @Parameter(property = "supaneon.targetClean")
  Boolean targetClean;

  /** The standby branch's name (env SUPANEON_STANDBY_BRANCH); default standby. */
  @Parameter(property = "supaneon.standbyBranch")
  String standbyBranch;

  /**
   * Parallel copy streams (env SUPANEON_JOBS), 1 to 4; default: the number of cores, at most 4.
   * Each stream holds one session on each side.
   */
  @Parameter(property = "supaneon.jobs")
  Integer jobs;

  @Inject
  public RestoreMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void addSettings(SettingsBuilder builder) {
    builder
        .set(Setting.TARGET_URL, targetUrl)
        .set(Setting.RESTORE_FROM, restoreFrom)
        .set(Setting.TARGET_CLEAN, text(targetClean))
        .set(Setting.JOBS, text(jobs))
        .set(Setting.STANDBY_BRANCH, standbyBranch);
    addScope(builder);
    warnIfGivenOnCommandLine(
        "supaneon.targetUrl", "the target URL", "the SUPANEON_TARGET_URL environment variable");
  }

  @Override
  void run(SettingsBuilder builder, MavenRunListener listener) {
    RestoreReport report;
    try {
      report = new RestoreRun(builder.restore(), listener).execute();
    } catch (RestoreFailedException e) {
      printSummary(RecoverySummary.restore(e.report()));
      throw e;
    }
    printSummary(RecoverySummary.restore(report));
    getLog().info("supaneon: " + report.finalState());
  }

  @Override
  String goal() {
    return "restore";
  }
}
