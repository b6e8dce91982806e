package dev.supaneon.core.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.SourceScope;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.supabase.ResolvedScope.Dependent;
import dev.supaneon.core.supabase.ResolvedScope.ExtensionNeed;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scope decisions on real catalogs: what is in, what is out, and what cannot work. */
class ScopeTest {

  static final PostgresServer SERVER = TestDatabases.sourceServer();

  static ResolvedScope resolve(String database, SourceScope scope) throws SQLException {
    try (Connection connection = SERVER.connectAsSuperuser(database)) {
      return ScopeResolver.resolve(connection, scope);
    }
  }

  @Test
  void aPlainDatabaseBacksUpEveryUserSchema() throws SQLException {
    String database = TestDatabases.trickyDatabase(SERVER);
    ResolvedScope scope = resolve(database, SourceScope.defaults());
    assertEquals(
        List.of("My Schema", "Weird.\"Dotted\".*?", "public", "ünïcödé_スキーマ"), scope.schemas());
    assertTrue(
        scope.dumpArguments().contains("--schema=\"Weird.\"\"Dotted\"\".*?\""),
        scope.dumpArguments().toString());
  }

  @Test
  void includesAndExcludesArePatternsAndAPatternThatMatchesNothingIsAnError() throws SQLException {
    String database = TestDatabases.trickyDatabase(SERVER);
    ResolvedScope scope =
        resolve(
            database,
            new SourceScope(
                List.of("My*", "public"), List.of("public"), List.of(), List.of(), false));
    assertEquals(List.of("My Schema"), scope.schemas());
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                resolve(
                    database,
                    new SourceScope(List.of("nope*"), List.of(), List.of(), List.of(), false)));
    assertTrue(error.getMessage().contains("'nope*', which matches no schema"), error.getMessage());
  }

  @Test
  void leavingOutRowsThatKeptRowsReferenceIsRefusedBeforeAnythingIsMade() throws SQLException {
    String database = TestDatabases.sampleDatabase(SERVER);
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                resolve(
                    database,
                    new SourceScope(
                        List.of(), List.of(), List.of("public.customers"), List.of(), false)));
    assertTrue(error.getMessage().contains("rows of public.orders"), error.getMessage());
    assertTrue(
        error.getMessage().contains("supaneon.includeTableData=public.customers"),
        error.getMessage());
  }

  @Test
  void anObjectThatUsesALeftOutSchemaIsNamedBeforeAnythingIsMade() throws SQLException {
    String database = TestDatabases.supabaseDatabase(SERVER);
    TestDatabases.execute(
        SERVER,
        database,
        "CREATE VIEW public.recent_messages AS SELECT topic, inserted_at FROM realtime.messages");
    ConfigException error =
        assertThrows(ConfigException.class, () -> resolve(database, SourceScope.defaults()));
    assertTrue(error.getMessage().contains("view public.recent_messages"), error.getMessage());
    assertTrue(error.getMessage().contains("realtime"), error.getMessage());
    ResolvedScope withRealtime =
        resolve(
            database,
            new SourceScope(
                List.of("public", "auth", "storage", "realtime"),
                List.of(),
                List.of(),
                List.of(),
                false));
    assertTrue(withRealtime.schemas().contains("realtime"));
  }

  @Test
  void anExtensionTheTargetLacksIsAClearFailureOrLeavesOutItsTablesWhenAskedTo()
      throws SQLException {
    String database = TestDatabases.createDatabase(SERVER, "target");
    TableRef table = new TableRef("public", "places");
    ResolvedScope scope =
        new ResolvedScope(
            List.of("public"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(
                new ExtensionNeed(
                    "postgis_not_installed",
                    "extensions",
                    List.of(new Dependent("column geom of table public.places", table)))));
    try (Connection target = SERVER.connectAsSuperuser(database)) {
      SupaneonException failure =
          assertThrows(SupaneonException.class, () -> RestoreTarget.prepare(target, scope, false));
      assertTrue(
          failure
              .getMessage()
              .contains("postgis_not_installed (used by column geom of table public.places)"),
          failure.getMessage());
      assertTrue(
          failure.getMessage().contains("supaneon.skipUnavailableExtensions"),
          failure.getMessage());
    }
    String other = TestDatabases.createDatabase(SERVER, "target");
    try (Connection target = SERVER.connectAsSuperuser(other)) {
      RestoreTarget.Prepared prepared = RestoreTarget.prepare(target, scope, true);
      assertEquals(List.of(table), prepared.scope().tablesLeftOut());
      assertTrue(
          prepared.scope().dumpArguments().contains("--exclude-table=\"public\".\"places\""));
      assertTrue(prepared.scope().extensions().isEmpty());
      assertTrue(
          prepared.scope().leftOut().stream()
              .anyMatch(l -> l.kind().equals("table") && l.name().equals("public.places")));
    }
  }
}
