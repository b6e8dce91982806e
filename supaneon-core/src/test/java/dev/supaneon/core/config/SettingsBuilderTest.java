package dev.supaneon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsBuilderTest {

  private static final String KEY = "canary-key-7f3e";
  private static final String SOURCE =
      "postgresql://postgres:canary-pw-91@db.example.com:5432/postgres?sslmode=require";

  private static Map<String, String> environment() {
    return Map.of(
        "SUPABASE_DATABASE_URL", SOURCE,
        "NEON_API_KEY", KEY,
        "NEON_PROJECT_ID", "autumn-frost-123456");
  }

  @Test
  void theEnvironmentFillsWhatIsNotSetExplicitly() {
    BackupSettings settings =
        new SettingsBuilder()
            .set(Setting.NEON_DATABASE, "appdb")
            .fromEnvironment(environment())
            .backup();
    assertEquals("appdb", settings.neon().database());
    assertEquals("neondb_owner", settings.neon().role());
    assertEquals(NeonSettings.DEFAULT_API_URL, settings.neon().apiUrl().toString());
    assertEquals(Duration.ofHours(3), settings.runTimeout());
    assertEquals(7, settings.retention().daily());
    assertFalse(settings.neon().toString().contains(KEY));
  }

  @Test
  void aMissingSettingIsNamedWithItsFix() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> new SettingsBuilder().fromEnvironment(Map.of("NEON_PROJECT_ID", "p-1")).neon());
    assertEquals(Setting.NEON_API_KEY, error.setting());
    assertTrue(
        error.getMessage().contains("NEON_API_KEY (supaneon.neonApiKey)"), error.getMessage());
    assertTrue(error.getMessage().contains("API key"), error.getMessage());
  }

  @Test
  void theTransactionPoolerIsRefusedWithTheReason() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                new SettingsBuilder()
                    .set(Setting.SOURCE_URL, SOURCE.replace(":5432", ":6543"))
                    .fromEnvironment(environment())
                    .backup());
    assertTrue(error.getMessage().contains("transaction pooler"), error.getMessage());
    assertTrue(error.getMessage().contains("session"), error.getMessage());
    assertFalse(error.getMessage().contains("canary-pw-91"));
  }

  @Test
  void plainHttpIsOnlyForLocalhost() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                new SettingsBuilder()
                    .set(Setting.NEON_API_URL, "http://console.neon.tech/api/v2")
                    .fromEnvironment(environment())
                    .neon());
    assertTrue(error.getMessage().contains("https"), error.getMessage());
    assertEquals(
        "http://127.0.0.1:8080/api/v2",
        new SettingsBuilder()
            .set(Setting.NEON_API_URL, "http://127.0.0.1:8080/api/v2/")
            .fromEnvironment(environment())
            .neon()
            .apiUrl()
            .toString());
  }

  @Test
  void badValuesNameTheSettingAndNeverEchoSecrets() {
    for (Map.Entry<Setting, String> bad :
        Map.of(
                Setting.NEON_PROJECT_ID, "Not A Project!",
                Setting.KEEP_DAILY, "seven",
                Setting.RUN_TIMEOUT, "forever",
                Setting.DRY_RUN, "maybe",
                Setting.BRANCH_LIMIT, "2")
            .entrySet()) {
      ConfigException error =
          assertThrows(
              ConfigException.class,
              () ->
                  new SettingsBuilder()
                      .set(bad.getKey(), bad.getValue())
                      .fromEnvironment(environment())
                      .backup(),
              bad.getKey().name());
      assertEquals(bad.getKey(), error.setting());
      assertFalse(error.getMessage().contains(KEY));
      assertFalse(error.getMessage().contains("canary-pw-91"));
    }
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertEquals(
        Duration.ofHours(26), SettingsBuilder.parseDuration("26h", Setting.MAX_BACKUP_AGE));
    assertEquals(
        Duration.ofMinutes(90), SettingsBuilder.parseDuration("90m", Setting.MAX_BACKUP_AGE));
    assertEquals(
        Duration.ofHours(3), SettingsBuilder.parseDuration("PT3H", Setting.MAX_BACKUP_AGE));
    assertEquals(Duration.ofDays(2), SettingsBuilder.parseDuration("2d", Setting.MAX_BACKUP_AGE));
  }

  @Test
  void copyStreamsDefaultToTheCoresAtMostFourAndOtherCountsAreRefused() {
    assertEquals(
        Math.min(4, Runtime.getRuntime().availableProcessors()),
        new SettingsBuilder().fromEnvironment(environment()).backup().jobs());
    assertEquals(
        3,
        new SettingsBuilder()
            .set(Setting.JOBS, "3")
            .fromEnvironment(environment())
            .backup()
            .jobs());
    for (String wrong : new String[] {"0", "5", "two"}) {
      ConfigException error =
          assertThrows(
              ConfigException.class,
              () ->
                  new SettingsBuilder()
                      .set(Setting.JOBS, wrong)
                      .fromEnvironment(environment())
                      .backup(),
              wrong);
      assertEquals(Setting.JOBS, error.setting());
      assertTrue(error.getMessage().contains("SUPANEON_JOBS (supaneon.jobs)"), error.getMessage());
    }
  }
}
