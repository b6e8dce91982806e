package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schema fingerprint sees objects, not owners, privileges or the dump's own run details. */
class SchemaFingerprintTest {

  @Test
  void linesThatChangeWithEveryRunOrServerDoNotCount() {
    for (String line :
        List.of(
            "",
            "-- Dumped from database version 15.8",
            "\\restrict G6k3Q53qlkLbFEOznPztQFeqWvqb9COcNcxlcaEI1XKPFSkjCz7qlqpS6Q7tSuq",
            "\\unrestrict G6k3Q53qlkLbFEOznPztQFeqWvqb9COcNcxlcaEI1XKPFSkjCz7qlqpS6Q7tSuq",
            "SET statement_timeout = 0;",
            "SELECT pg_catalog.set_config('search_path', '', false);")) {
      assertFalse(SchemaFingerprint.significant(line), line);
    }
    assertTrue(SchemaFingerprint.significant("CREATE TABLE public.t ("));
    assertTrue(SchemaFingerprint.significant("    id integer NOT NULL"));
  }

  @Test
  void equalSchemasMatchWhateverTheirOwnersAndAnyChangeDoesNot() throws Exception {
    PostgresServer server = TestDatabases.sourceServer();
    PgClientTools tools =
        PgClientTools.choose(Optional.empty(), server.majorVersion(), server.majorVersion());
    String ddl =
        "CREATE TABLE public.t (id int PRIMARY KEY, note text DEFAULT 'x');"
            + " CREATE INDEX ON public.t (note)";
    String first = TestDatabases.createDatabase(server, "schema");
    String second = TestDatabases.createDatabase(server, "schema");
    TestDatabases.execute(server, first, ddl);
    String role = "schema_owner_" + Long.toHexString(System.nanoTime());
    TestDatabases.execute(server, "postgres", "CREATE ROLE " + role);
    TestDatabases.execute(
        server,
        second,
        ddl + "; ALTER TABLE public.t OWNER TO " + role + "; GRANT SELECT ON public.t TO PUBLIC");
    assertEquals(fingerprint(tools, server, first), fingerprint(tools, server, second));

    TestDatabases.execute(server, second, "ALTER TABLE public.t ALTER COLUMN note SET DEFAULT 'y'");
    assertNotEquals(fingerprint(tools, server, first), fingerprint(tools, server, second));
  }

  private static String fingerprint(PgClientTools tools, PostgresServer server, String database)
      throws InterruptedException {
    return SchemaFingerprint.of(
        tools,
        PostgresUrl.parse(TestDatabases.url(server, database), Setting.SOURCE_URL),
        List.of(),
        RunListener.SILENT,
        Duration.ofMinutes(1));
  }
}
