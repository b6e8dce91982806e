package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PgConnectionsTest {

  @Test
  void serverErrorsDoNotQuoteRowValues() throws Exception {
    PostgresServer server = TestDatabases.sourceServer();
    String database = TestDatabases.createDatabase(server, "errors");
    TestDatabases.execute(
        server,
        database,
        "CREATE TABLE people (email text UNIQUE);"
            + " INSERT INTO people VALUES ('private.person@example.com')");
    PostgresUrl url = PostgresUrl.parse(TestDatabases.url(server, database), Setting.SOURCE_URL);
    try (Connection connection = PgConnections.open(url, "the test database");
        Statement statement = connection.createStatement()) {
      SQLException error =
          assertThrows(
              SQLException.class,
              () -> statement.execute("INSERT INTO people VALUES ('private.person@example.com')"));
      assertTrue(error.getMessage().contains("people_email_key"), error.getMessage());
      assertFalse(error.getMessage().contains("private.person"), error.getMessage());
    }
  }

  @Test
  void aWrongPasswordIsNamedWithoutShowingIt() {
    PostgresServer server = TestDatabases.sourceServer();
    String database = TestDatabases.createDatabase(server, "wrongpw");
    PostgresUrl url =
        PostgresUrl.parse(
            TestDatabases.url(server, database, "nobody_here", "canary-pw-123"),
            Setting.SOURCE_URL);
    DatabaseConnectionException error =
        assertThrows(DatabaseConnectionException.class, () -> PgConnections.open(url, "the db"));
    assertTrue(error.getMessage().contains("Check the user name and password"), error.getMessage());
    assertFalse(error.getMessage().contains("canary-pw-123"), error.getMessage());
  }

  @Test
  void anIpv6OnlyHostWithoutAnIpv6RouteSuggestsTheSessionPooler() {
    // What the driver reports when the machine has no route to the host's only (IPv6) address,
    // as on GitHub's runners for Supabase's direct host; made here so no network decides.
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://postgres:pw@[2001:db8::1]:5432/postgres?sslmode=require",
            Setting.SOURCE_URL);
    SQLException unreachable =
        new SQLException(
            "The connection attempt failed.",
            "08001",
            new java.net.NoRouteToHostException("No route to host"));
    String message = PgConnections.describe(url, "the source", unreachable);
    assertTrue(message.contains("no IPv6 route"), message);
    assertTrue(message.contains("session pooler"), message);
    assertFalse(message.contains(":pw@"), "no password: " + message);
  }

  @Test
  void aReachableFailureIsNotTakenForAMissingIpv6Route() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://postgres:pw@127.0.0.1:1/postgres?sslmode=require", Setting.SOURCE_URL);
    String message =
        PgConnections.describe(
            url,
            "the source",
            new SQLException(
                "Connection refused",
                "08001",
                new java.net.ConnectException("Connection refused")));
    assertFalse(message.contains("IPv6"), message);
  }
}
