package dev.supaneon.core.testing;

import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** neon-local projects and settings for core tests. */
public final class CoreTestEnvironment {

  private CoreTestEnvironment() {}

  /** A fresh project on the shared backing server. */
  public static NeonLocal neonLocal(int branchLimit) {
    return neonLocal(branchLimit, Clock.systemUTC());
  }

  public static NeonLocal neonLocal(int branchLimit, Clock clock) {
    return NeonLocal.builder()
        .backingServer(PostgresServers.shared())
        .projectId("core-" + UUID.randomUUID().toString().substring(0, 8))
        .branchLimit(branchLimit)
        .operationDelay(Duration.ofMillis(10))
        .expirySweepInterval(Duration.ofSeconds(1))
        .clock(clock)
        .start();
  }

  /** The Neon settings that reach {@code neon}: its key, project and API URL. */
  public static NeonSettings neonSettings(NeonLocal neon) {
    return new SettingsBuilder()
        .set(Setting.NEON_API_KEY, neon.apiKey())
        .set(Setting.NEON_PROJECT_ID, neon.projectId())
        .set(Setting.NEON_API_URL, neon.apiUrl())
        .neon();
  }

  /**
   * Settings for a backup of {@code sourceUrl} into {@code neon}, reports under {@code reports}.
   */
  public static SettingsBuilder settings(NeonLocal neon, String sourceUrl, Path reports) {
    return new SettingsBuilder()
        // The scenarios take backup after backup of one source to exercise copies, retention and
        // the standby; skipping an unchanged source has tests of its own (UnchangedSourceTest).
        .set(Setting.SKIP_UNCHANGED, "false")
        .set(Setting.SOURCE_URL, sourceUrl)
        .set(Setting.NEON_API_KEY, neon.apiKey())
        .set(Setting.NEON_PROJECT_ID, neon.projectId())
        .set(Setting.NEON_API_URL, neon.apiUrl())
        .set(Setting.REPORT_DIRECTORY, reports.toString());
  }
}
