package dev.supaneon.maven;

import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.BackupSummary;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Backs up the source database into a new {@code backup-<UTC>} Neon branch, verifies the copy table
 * by table, and keeps it as an immutable backup; then applies retention.
 *
 * <p>Runs without a project: {@code mvn dev.supaneon:supaneon-maven-plugin:<version>:backup}.
 */
@Mojo(name = "backup", requiresProject = false, threadSafe = true)
public final class BackupMojo extends AbstractScopedMojo {

  /** The source database URL (env SUPABASE_DATABASE_URL); must carry sslmode=require. */
  @Parameter(property = "supaneon.sourceUrl")
  String sourceUrl;

  /** Daily backups to keep (env SUPANEON_KEEP_DAILY); default 7. */
  @Parameter(property = "supaneon.keepDaily")
  Integer keepDaily;

  /** Weekly backups to keep (env SUPANEON_KEEP_WEEKLY); default 4. */
  @Parameter(property = "supaneon.keepWeekly")
  Integer keepWeekly;

  /** Monthly backups to keep (env SUPANEON_KEEP_MONTHLY); default 3. */
  @Parameter(property = "supaneon.keepMonthly")
  Integer keepMonthly;

  /** The project's branch limit, when Neon does not report it (default 10, the free plan's). */
  @Parameter(property = "supaneon.branchLimit")
  Integer branchLimit;

  /**
   * The storage the project may use, such as 450MiB (env SUPANEON_STORAGE_BUDGET); default: the
   * limit Neon reports for the project, 512 MiB on the Free plan.
   */
  @Parameter(property = "supaneon.storageBudget")
  String storageBudget;

  /** Checks and plans, and lists what retention would delete, but creates and deletes nothing. */
  @Parameter(property = "supaneon.dryRun")
  Boolean dryRun;

  /** Compares content checksums, not only row counts (default true). */
  @Parameter(property = "supaneon.verifyChecksums")
  Boolean verifyChecksums;

  /**
   * Parallel copy streams (env SUPANEON_JOBS), 1 to 4; default: the number of cores, at most 4.
   * Each stream holds one session on each side.
   */
  @Parameter(property = "supaneon.jobs")
  Integer jobs;

  /**
   * When the source equals the newest verified backup (compared by digests: schema, sequences,
   * every table's rows), confirms that backup current instead of copying again (env
   * SUPANEON_SKIP_UNCHANGED); default true.
   */
  @Parameter(property = "supaneon.skipUnchanged")
  Boolean skipUnchanged;

  /** Refreshes the standby after each verified backup (env SUPANEON_STANDBY); default true. */
  @Parameter(property = "supaneon.standby")
  Boolean standby;

  /** The standby branch's name (env SUPANEON_STANDBY_BRANCH); default standby. */
  @Parameter(property = "supaneon.standbyBranch")
  String standbyBranch;

  @Inject
  public BackupMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void addSettings(SettingsBuilder builder) {
    addScope(builder);
    builder
        .set(Setting.SOURCE_URL, sourceUrl)
        .set(Setting.KEEP_DAILY, text(keepDaily))
        .set(Setting.KEEP_WEEKLY, text(keepWeekly))
        .set(Setting.KEEP_MONTHLY, text(keepMonthly))
        .set(Setting.BRANCH_LIMIT, text(branchLimit))
        .set(Setting.STORAGE_BUDGET, storageBudget)
        .set(Setting.DRY_RUN, text(dryRun))
        .set(Setting.VERIFY_CHECKSUMS, text(verifyChecksums))
        .set(Setting.JOBS, text(jobs))
        .set(Setting.SKIP_UNCHANGED, text(skipUnchanged))
        .set(Setting.STANDBY, text(standby))
        .set(Setting.STANDBY_BRANCH, standbyBranch);
    warnIfGivenOnCommandLine(
        "supaneon.sourceUrl", "the source URL", "the SUPABASE_DATABASE_URL environment variable");
  }

  @Override
  void run(SettingsBuilder builder, MavenRunListener listener) {
    var settings = builder.backup();
    getLog()
        .info(
            "supaneon: backing up "
                + settings.source()
                + " into Neon project "
                + settings.neon().projectId());
    BackupReport report;
    try {
      report = new BackupRun(settings, listener).execute();
    } catch (BackupFailedException e) {
      printSummary(BackupSummary.markdown(e.report()));
      throw e;
    }
    printSummary(BackupSummary.markdown(report));
    getLog().info("supaneon: " + report.outcome() + ": " + report.finalState());
  }

  @Override
  String goal() {
    return "backup";
  }
}
