package dev.supaneon.core.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Supabase-shaped source backs up into a Neon target where the restoring role is not a superuser
 * and none of Supabase's roles exist, with zero errors, and the report says what was left out and
 * why.
 */
class SupabaseFidelityTest {

  @TempDir static Path reports;
  static PostgresServer source;
  static String database;
  static PostgresServer freshBacking;
  static NeonLocal neon;
  static BackupReport report;
  static RecordingListener listener = new RecordingListener();

  @BeforeAll
  static void backUp() {
    source = TestDatabases.sourceServer();
    database = TestDatabases.supabaseDatabase(source);
    freshBacking = PostgresServers.start();
    neon =
        NeonLocal.builder()
            .backingServer(freshBacking)
            .operationDelay(Duration.ofMillis(10))
            .start();
    report =
        new BackupRun(
                CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                    .backup(),
                new RunContext(listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
            .execute();
  }

  @AfterAll
  static void stop() {
    neon.close();
    freshBacking.close();
  }

  static <T> T onBackup(SqlWork<T> work) throws SQLException {
    try (NeonClient client =
        new NeonClient(CoreTestEnvironment.settings(neon, "", reports).neon())) {
      PostgresUrl url = NeonConnections.url(client, report.branchId(), "neondb", "neondb_owner");
      try (Connection connection = PgConnections.open(url, "backup");
          Statement statement = connection.createStatement()) {
        return work.run(statement);
      }
    }
  }

  interface SqlWork<T> {
    T run(Statement statement) throws SQLException;
  }

  static Set<String> strings(Statement statement, String sql) throws SQLException {
    Set<String> values = new HashSet<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  @Test
  void theBackupIsVerifiedWithZeroRestoreErrors() {
    assertEquals(BackupOutcome.VERIFIED, report.outcome(), listener.text());
    assertEquals(Verification.PASSED, report.verification());
    assertFalse(listener.text().contains("pg_restore: error"), listener.text());
    assertFalse(listener.text().contains("pg_restore: warning"), listener.text());
  }

  @Test
  void theRestoreRanAsARoleThatIsNotASuperuserAndCreatedTheMissingPolicyRoles()
      throws SQLException {
    assertFalse(
        onBackup(
                s -> strings(s, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
            .contains("true"));
    assertTrue(
        report.targetActions().stream()
            .anyMatch(a -> a.contains("created role authenticated (NOLOGIN)")),
        report.targetActions().toString());
    assertTrue(
        report.targetActions().stream()
            .anyMatch(a -> a.contains("created role service_role (NOLOGIN)")),
        report.targetActions().toString());
  }

  @Test
  void supabaseSchemasAreBackedUpAndManagedOnesLeftOutWithReasons() throws SQLException {
    Set<String> schemas = onBackup(s -> strings(s, "SELECT nspname FROM pg_namespace"));
    assertTrue(
        schemas.containsAll(
            Set.of("public", "auth", "storage", "supabase_migrations", "extensions")),
        schemas.toString());
    for (String managed :
        List.of(
            "graphql", "graphql_public", "realtime", "vault", "pgbouncer", "supabase_functions")) {
      assertFalse(schemas.contains(managed), managed);
      assertTrue(leftOut("schema", managed), managed + " is listed as left out");
    }
    assertTrue(leftOut("event trigger", "issue_pg_cron_access"));
    assertTrue(leftOut("event trigger", "issue_graphql_placeholder"));
    assertTrue(leftOut("publication", "supabase_realtime"));
    assertEquals(Set.of(), onBackup(s -> strings(s, "SELECT evtname FROM pg_event_trigger")));
    assertEquals(Set.of(), onBackup(s -> strings(s, "SELECT pubname FROM pg_publication")));
  }

  @Test
  void volatileAuthRowsAreLeftOutButTheirTablesKept() throws SQLException {
    for (String table :
        List.of(
            "auth.sessions",
            "auth.refresh_tokens",
            "auth.audit_log_entries",
            "auth.flow_state",
            "auth.one_time_tokens",
            "auth.mfa_challenges",
            "auth.mfa_amr_claims",
            "storage.s3_multipart_uploads",
            "storage.s3_multipart_uploads_parts")) {
      assertTrue(leftOut("table data", table), table);
      assertEquals(Set.of("0"), onBackup(s -> strings(s, "SELECT count(*) FROM " + table)), table);
      assertTrue(
          report.tables().stream()
              .anyMatch(
                  t ->
                      (t.schema() + "." + t.table()).equals(table)
                          && !t.dataIncluded()
                          && t.verified()));
    }
    assertEquals(Set.of("300"), onBackup(s -> strings(s, "SELECT count(*) FROM auth.users")));
    assertEquals(Set.of("300"), onBackup(s -> strings(s, "SELECT count(*) FROM auth.identities")));
    assertEquals(Set.of("600"), onBackup(s -> strings(s, "SELECT count(*) FROM storage.objects")));
  }

  @Test
  void securityFeaturesSurvive() throws SQLException {
    Set<String> policies =
        onBackup(
            s ->
                strings(
                    s,
                    "SELECT schemaname || '.' || tablename || ': ' || policyname || ' ' || roles::text FROM pg_policies"));
    assertTrue(
        policies.contains("public.todos: Individuals can view their own todos. {authenticated}"),
        policies.toString());
    assertTrue(
        policies.contains("storage.objects: Anyone can upload an avatar. {authenticated}"),
        policies.toString());
    Set<String> sourcePolicies = new HashSet<>();
    try (Connection connection = source.connectAsSuperuser(database);
        Statement statement = connection.createStatement()) {
      sourcePolicies.addAll(
          strings(
              statement,
              "SELECT schemaname || '.' || tablename || ': ' || policyname || ' ' || roles::text FROM pg_policies"));
    }
    assertEquals(sourcePolicies, policies, "every policy, on the same roles");
    assertEquals(
        Set.of("true"),
        onBackup(
            s ->
                strings(
                    s,
                    "SELECT relforcerowsecurity::text FROM pg_class WHERE oid = 'public.todos'::regclass")));
    assertEquals(
        Set.of("true"),
        onBackup(
            s ->
                strings(
                    s,
                    "SELECT prosecdef::text FROM pg_proc WHERE oid = 'public.handle_new_user'::regproc")));
    assertEquals(
        Set.of("on_auth_user_created"),
        onBackup(
            s ->
                strings(
                    s,
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'auth.users'::regclass AND NOT tgisinternal")));
    assertEquals(
        Set.of("pgcrypto extensions", "uuid-ossp extensions"),
        onBackup(
            s ->
                strings(
                    s,
                    "SELECT extname || ' ' || extnamespace::regnamespace FROM pg_extension WHERE extname <> 'plpgsql'")));
  }

  @Test
  void aBranchOfTheBackupWorksAsTheApplicationsDatabase() throws SQLException {
    // Failover: identity sequences continue after the restored rows, defaults call extension
    // functions, and the trigger on auth.users still creates profiles. On a branch: backups stay as
    // they are.
    try (NeonClient client =
        new NeonClient(CoreTestEnvironment.settings(neon, "", reports).neon())) {
      NeonClient.CreatedBranch standby =
          client.createBranch(
              new NeonClient.BranchCreation(
                  "failover-drill",
                  java.util.Optional.of(report.branchId()),
                  java.util.Optional.empty(),
                  true,
                  Map.of()));
      client.awaitOperations(standby.operations());
      PostgresUrl url =
          NeonConnections.url(client, standby.branch().id(), "neondb", "neondb_owner");
      try (Connection connection = PgConnections.open(url, "standby");
          Statement s = connection.createStatement()) {
        s.execute(
            "INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES"
                + " ('11111111-1111-1111-1111-111111111111', 'new@example.com', '{\"full_name\": \"New\"}')");
        s.execute(
            "INSERT INTO public.todos (user_id, task) VALUES ('11111111-1111-1111-1111-111111111111', 'after restore')");
        s.execute(
            "INSERT INTO public.api_keys (owner) VALUES ('11111111-1111-1111-1111-111111111111')");
        s.execute("INSERT INTO public.events (created_at, kind) VALUES (now(), 'after restore')");
        assertEquals(
            Set.of("New"),
            strings(
                s,
                "SELECT full_name FROM public.profiles WHERE id = '11111111-1111-1111-1111-111111111111'"));
        assertEquals(Set.of("1501"), strings(s, "SELECT max(id) FROM public.todos"));
      } finally {
        client.deleteBranch(standby.branch().id()).ifPresent(client::awaitOperations);
      }
    }
  }

  static boolean leftOut(String kind, String name) {
    return report.leftOut().stream()
        .anyMatch(l -> l.kind().equals(kind) && l.name().equals(name) && !l.reason().isBlank());
  }
}
