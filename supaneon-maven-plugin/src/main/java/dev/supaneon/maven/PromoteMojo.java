package dev.supaneon.maven;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.report.PromoteReport;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.standby.PromoteRun;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The failover: promotes the standby (no backup refreshes it again), starts its compute, and prints
 * the {@code DATABASE_URL} to switch the application to, without the password. Never touches the
 * source, so it works while Supabase is down. Promoting twice is harmless.
 */
@Mojo(name = "promote", requiresProject = false, threadSafe = true)
public final class PromoteMojo extends AbstractSupaneonMojo {

  /** The standby branch's name (env SUPANEON_STANDBY_BRANCH); default standby. */
  @Parameter(property = "supaneon.standbyBranch")
  String standbyBranch;

  @Inject
  public PromoteMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  void addSettings(SettingsBuilder builder) {
    builder.set(Setting.STANDBY_BRANCH, standbyBranch);
  }

  @Override
  void run(SettingsBuilder builder, MavenRunListener listener) {
    PromoteReport report = new PromoteRun(builder.promote(), listener).execute();
    printSummary(RecoverySummary.promote(report));
    getLog().info("supaneon: DATABASE_URL=" + report.databaseUrl());
  }

  @Override
  String goal() {
    return "promote";
  }
}
