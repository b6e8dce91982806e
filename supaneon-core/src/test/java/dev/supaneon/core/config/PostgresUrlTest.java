package dev.supaneon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

  private static final String SECRET = "s3cr3t-P@ss/word";

  @Test
  void parsesASupabaseSessionPoolerUrl() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://postgres.abcdefghijkl:"
                + SECRET.replace("@", "%40").replace("/", "%2F")
                + "@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require",
            Setting.SOURCE_URL);
    assertEquals("postgres.abcdefghijkl", url.user());
    assertEquals(SECRET, url.password().reveal());
    assertEquals("aws-0-eu-central-1.pooler.supabase.com", url.host());
    assertEquals(5432, url.port());
    assertEquals("postgres", url.database());
    assertEquals("require", url.sslMode());
  }

  @Test
  void acceptsNeonsConnectionStringWithChannelBinding() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://neondb_owner:npg_x@ep-cool-darkness-123456.eu-central-1.aws.neon.tech/neondb"
                + "?sslmode=require&channel_binding=require",
            Setting.SOURCE_URL);
    assertEquals("require", url.libpqEnvironment().get("PGCHANNELBINDING"));
    assertEquals("require", url.jdbcProperties().getProperty("channelBinding"));
    assertEquals(5432, url.port());
  }

  @Test
  void aPasswordWithUnencodedAtSignsAndSlashesStillParses() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgres://me:" + SECRET + "@db.example.com/app?sslmode=verify-full",
            Setting.SOURCE_URL);
    assertEquals(SECRET, url.password().reveal());
    assertEquals("db.example.com", url.host());
    assertEquals("app", url.database());
  }

  @Test
  void theMaskedFormAndTheChildEnvironmentNeverShowThePasswordInTheWrongPlace() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://me:" + SECRET.replace("@", "%40") + "@h:6000/db?sslmode=require",
            Setting.SOURCE_URL);
    assertFalse(url.toString().contains(SECRET));
    assertEquals("postgresql://me:****@h:6000/db?sslmode=require", url.toString());
    Map<String, String> environment = url.libpqEnvironment();
    assertEquals(SECRET, environment.get("PGPASSWORD"));
    assertEquals("require", environment.get("PGSSLMODE"));
    assertFalse(url.jdbcUrl().contains(SECRET));
  }

  @Test
  void theRevealedUriParsesBackToTheSameConnection() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://me:"
                + SECRET.replace("@", "%40").replace("/", "%2F")
                + "@[::1]:6000/my%20db?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                + "&channel_binding=require",
            Setting.SOURCE_URL);
    assertEquals(
        "postgresql://me:****@[::1]:6000/my%20db?sslmode=verify-full&sslrootcert=/etc/ca.pem"
            + "&channel_binding=require",
        url.toString(), "the parameters keep the order the URL gave them");
    PostgresUrl again = PostgresUrl.parse(url.revealedUri(), Setting.SOURCE_URL);
    assertEquals(SECRET, again.password().reveal());
    assertEquals("::1", again.host());
    assertEquals("my db", again.database());
    assertEquals(url.toString(), again.toString());
    assertEquals(url.libpqEnvironment(), again.libpqEnvironment());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://me:pw@h/db",
        "postgresql://me:pw@h/db?sslmode=disable",
        "postgresql://me:pw@h/db?sslmode=prefer",
        "postgresql://me:pw@h/db?sslmode=allow"
      })
  void aUrlThatDoesNotRequireSslIsRefusedWithTheFix(String url) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> PostgresUrl.parse(url, Setting.SOURCE_URL));
    assertTrue(
        error.getMessage().startsWith("SUPABASE_DATABASE_URL (supaneon.sourceUrl)"),
        error.getMessage());
    assertTrue(error.getMessage().contains("sslmode=require"), error.getMessage());
    assertFalse(error.getMessage().contains("pw@"), "the value is never echoed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://me:" + SECRET + "@h/db?sslmode=require",
        "postgresql://h/db?sslmode=require",
        "postgresql://me:" + SECRET + "@h:notaport/db?sslmode=require",
        "postgresql://me:" + SECRET + "@h1,h2/db?sslmode=require",
        "postgresql://me:" + SECRET + "@h/db?sslmode=require&pgbouncer=true",
        "postgresql://me:%ZZ@h/db?sslmode=require"
      })
  void malformedUrlsAreRefusedWithoutEchoingThem(String url) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> PostgresUrl.parse(url, Setting.SOURCE_URL));
    assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    assertTrue(error.getMessage().length() > 40, error.getMessage());
  }

  static ConfigException refused(String url) {
    ConfigException failure =
        assertThrows(ConfigException.class, () -> PostgresUrl.parse(url, Setting.SOURCE_URL));
    assertFalse(failure.getMessage().contains("P@ss"), failure.getMessage());
    return failure;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://u:P@ss@/db?sslmode=require",
        "postgresql://u:P@ss@:5432/db?sslmode=require",
        "postgresql://u:P@ss@?sslmode=require&options=-c%20a/b"
      })
  void aUrlWithoutAHostIsRefusedAsSuch(String url) {
    assertTrue(refused(url).getMessage().endsWith("has no host name"), url);
  }

  @Test
  void aUrlWithoutAUserNameIsRefusedAsSuch() {
    assertTrue(
        refused("postgresql://:P@ss@host/db?sslmode=require")
            .getMessage()
            .contains("has no user name"));
    assertTrue(
        refused("postgresql://host/db?sslmode=require").getMessage().contains("has no user name"));
  }

  @Test
  void aUrlWithoutAPathConnectsToTheUsersDatabase() {
    PostgresUrl url =
        PostgresUrl.parse("postgresql://app:pw@host?sslmode=require", Setting.SOURCE_URL);
    assertEquals("host", url.host());
    assertEquals("app", url.database());
    assertEquals(5432, url.port());
  }

  @Test
  void portsOutsideOneTo65535AreRefusedAndTheEndsOfTheRangeAccepted() {
    for (int port : new int[] {0, 65536, -1}) {
      assertTrue(
          refused("postgresql://u:P@ss@host:" + port + "/db?sslmode=require")
              .getMessage()
              .contains("port that is not a number between 1 and 65535"),
          "port " + port);
    }
    for (int port : new int[] {1, 65535}) {
      assertEquals(
          port,
          PostgresUrl.parse(
                  "postgresql://u:p@host:" + port + "/db?sslmode=require", Setting.SOURCE_URL)
              .port());
    }
  }

  @Test
  void aParameterWithoutANameIsRefused() {
    assertTrue(
        refused("postgresql://u:P@ss@host/db?=x&sslmode=require")
            .getMessage()
            .contains("a parameter without a name"));
  }

  @Test
  void theSslRefusalSaysWhetherSslmodeIsMissingOrWeak() {
    assertTrue(
        refused("postgresql://u:P@ss@host/db").getMessage().contains("has no sslmode; supaneon"));
    assertTrue(
        refused("postgresql://u:P@ss@host/db?sslmode=prefer")
            .getMessage()
            .contains("has sslmode=prefer; supaneon"));
  }

  @Test
  void theUriWithoutPasswordKeepsEverythingButThePassword() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://app:"
                + SECRET.replace("@", "%40").replace("/", "%2F")
                + "@db.example.com:6543/shop?sslmode=require",
            Setting.SOURCE_URL);
    String shown = url.withoutPassword();
    assertFalse(shown.contains("s3cr3t"), shown);
    assertTrue(shown.startsWith("postgresql://app@db.example.com:6543/shop"), shown);
    assertTrue(shown.contains("sslmode=require"), shown);
  }

  @Test
  void withoutAPasswordTheChildGetsNoPgpassword() {
    PostgresUrl url =
        PostgresUrl.parse("postgresql://app@host/db?sslmode=require", Setting.SOURCE_URL);
    assertTrue(url.password().isEmpty());
    assertFalse(url.libpqEnvironment().containsKey("PGPASSWORD"));
    assertEquals("require", url.libpqEnvironment().get("PGSSLMODE"));
  }
}
