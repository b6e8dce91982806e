package dev.supaneon.neonlocal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LocalPostgresClusterTest {

  @Test
  void startsAnSslOnlyServerAndDeletesEverythingOnClose() throws Exception {
    PostgresInstallation installation =
        PostgresInstallation.locate(Optional.empty(), OptionalInt.empty());
    Path dataDirectory;
    try (LocalPostgresCluster cluster = LocalPostgresCluster.start(installation)) {
      dataDirectory = Path.of(queryString(cluster, "SHOW data_directory"));
      assertTrue(Files.isDirectory(dataDirectory));
      assertEquals("on", queryString(cluster, "SHOW ssl"));
      assertEquals(
          "true",
          queryString(cluster, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertEquals(installation.majorVersion(), cluster.majorVersion());
      assertTrue(cluster.startupTime().toMillis() > 0);

      Properties plain = new Properties();
      plain.setProperty("user", cluster.superuser());
      plain.setProperty("password", cluster.superuserPassword());
      plain.setProperty("sslmode", "disable");
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  DriverManager.getConnection(
                      "jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres", plain));
      assertTrue(refused.getMessage().contains("no encryption"), refused.getMessage());
    }
    assertFalse(Files.exists(dataDirectory), "the data directory is deleted on close");
  }

  @Test
  void runsAsAnUnprivilegedUserWhenRoot() throws Exception {
    Optional<String> osUser = ClusterSetup.unprivilegedUserWhenRoot();
    assumeTrue(osUser.isPresent(), "this JVM does not run as root");
    try (PostgresServer server = PostgresServers.start()) {
      String owner = Files.getOwner(Path.of(queryString(server, "SHOW data_directory"))).getName();
      assertEquals(osUser.get(), owner);
    }
  }

  @Test
  void anInstallationThatIsNotThereIsAnActionableError() {
    PostgresLaunchException error =
        assertThrows(
            PostgresLaunchException.class,
            () ->
                PostgresInstallation.locate(
                    Optional.of(Path.of("/nonexistent")), OptionalInt.empty()));
    assertTrue(error.getMessage().contains("SUPANEON_PG_BIN"), error.getMessage());
    PostgresLaunchException wrongVersion =
        assertThrows(
            PostgresLaunchException.class,
            () -> PostgresInstallation.locate(Optional.empty(), OptionalInt.of(3)));
    assertTrue(wrongVersion.getMessage().contains("version 3"), wrongVersion.getMessage());
  }

  static String queryString(PostgresServer server, String sql) throws SQLException {
    try (Connection connection = server.connectAsSuperuser("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
