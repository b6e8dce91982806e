package dev.supaneon.core.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege backup role, exactly as SECURITY.md gives it: run with psql on the
 * Supabase-shaped database, it backs up every row (tables with row-level security included) and can
 * neither write nor create.
 */
class SupabaseBackupRoleTest {

  static final String PASSWORD = "Backup-Role-" + Long.toHexString(System.nanoTime());
  static PostgresServer source;
  static String database;
  static NeonLocal neon;

  @BeforeAll
  static void createTheRoleWithTheSqlFromSecurityMd() throws Exception {
    source = TestDatabases.sourceServer();
    database = TestDatabases.supabaseDatabase(source);
    neon = CoreTestEnvironment.neonLocal(10);
    TestDatabases.execute(
        source,
        "postgres",
        "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'supaneon_backup') THEN"
            + " DROP OWNED BY supaneon_backup; DROP ROLE supaneon_backup; END IF; END $$");
    Path sql = Files.createTempFile("supaneon-backup-role", ".sql");
    Files.writeString(sql, roleSql(), StandardCharsets.UTF_8);
    psql(sql);
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  /** The ```sql block under the heading of the backup role in SECURITY.md. */
  static String roleSql() throws IOException {
    String text = Files.readString(Path.of("..", "SECURITY.md"), StandardCharsets.UTF_8);
    int section = text.indexOf("### The Supabase backup role: `supaneon_backup`");
    assertTrue(section >= 0, "SECURITY.md has the backup role's section");
    Matcher block = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(text);
    assertTrue(block.find(section), "the section has a ```sql block");
    return block.group(1);
  }

  /** psql as the superuser with the password variable, as a user would run it. */
  static void psql(Path script) throws IOException, InterruptedException {
    Path psql = PgClientTools.discover().get(0).pgDump().resolveSibling("psql");
    ProcessBuilder builder =
        new ProcessBuilder(
                psql.toString(),
                "--no-psqlrc",
                "-v",
                "ON_ERROR_STOP=1",
                "-v",
                "backup_password=" + PASSWORD,
                "-f",
                script.toString())
            .redirectErrorStream(true);
    builder.environment().put("PGHOST", source.host());
    builder.environment().put("PGPORT", Integer.toString(source.port()));
    builder.environment().put("PGDATABASE", database);
    builder.environment().put("PGUSER", source.superuser());
    builder.environment().put("PGPASSWORD", source.superuserPassword());
    builder.environment().put("PGSSLMODE", "require");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql finished");
    assertEquals(0, process.exitValue(), "the SQL from SECURITY.md runs cleanly: " + output);
  }

  PostgresUrl asBackupRole() {
    return PostgresUrl.parse(
        TestDatabases.url(source, database, "supaneon_backup", PASSWORD), Setting.SOURCE_URL);
  }

  @Test
  void aBackupAsTheBackupRoleIsVerifiedAndHoldsEveryRowRowLevelSecurityIncluded(
      @TempDir Path reports) throws Exception {
    BackupReport report =
        new BackupRun(
                CoreTestEnvironment.settings(neon, asBackupRole().revealedUri(), reports).backup(),
                RunListener.SILENT)
            .execute();
    assertEquals(BackupOutcome.VERIFIED, report.outcome());
    assertEquals(Verification.PASSED, report.verification());
    PostgresUrl superuser =
        PostgresUrl.parse(TestDatabases.url(source, database), Setting.SOURCE_URL);
    try (Connection connection = PgConnections.open(superuser, "the source as its superuser")) {
      Fingerprints.pinSessionSettings(connection);
      for (BackupReport.TableResult table : report.tables()) {
        if (table.dataIncluded()) {
          assertEquals(
              Fingerprints.of(connection, new TableRef(table.schema(), table.table()), false)
                  .rowCount(),
              table.rows(),
              table.schema() + "." + table.table() + ": every row, as the superuser sees them");
        }
      }
    }
    BackupReport.TableResult todos =
        report.tables().stream().filter(t -> t.table().equals("todos")).findFirst().orElseThrow();
    assertTrue(todos.rows() > 0, "the table with FORCE ROW LEVEL SECURITY came with its rows");
    assertTrue(
        report.tables().stream().anyMatch(t -> t.schema().equals("auth") && t.rows() > 0),
        "Supabase's auth tables were read too");
  }

  @Test
  void aRoleThatCannotReadEverySchemaFailsTheCopyNamingThePermission(@TempDir Path reports) {
    String weak = "supaneon_weak_" + Long.toHexString(System.nanoTime());
    TestDatabases.execute(
        source, "postgres", "CREATE ROLE " + weak + " LOGIN BYPASSRLS PASSWORD '" + PASSWORD + "'");
    TestDatabases.execute(source, database, "GRANT USAGE ON SCHEMA public TO " + weak);
    TestDatabases.execute(
        source, database, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + weak);
    BackupFailedException failure =
        assertThrows(
            BackupFailedException.class,
            () ->
                new BackupRun(
                        CoreTestEnvironment.settings(
                                neon, TestDatabases.url(source, database, weak, PASSWORD), reports)
                            .backup(),
                        RunListener.SILENT)
                    .execute());
    assertTrue(failure.getMessage().contains("permission denied"), failure.getMessage());
    assertTrue(
        failure.report().phases().stream()
            .anyMatch(p -> p.phase().equals("copy") && p.outcome().equals("failed")),
        "the copy fails, before anything is marked: " + failure.report().phases());
    assertFalse(failure.getMessage().contains(PASSWORD), "no password in the message");
  }

  @Test
  void theBackupRoleCanNeitherWriteNorCreate() throws SQLException {
    for (String sql :
        List.of(
            "INSERT INTO public.todos (user_id, task) SELECT id, 'sneaky' FROM auth.users LIMIT 1",
            "UPDATE public.profiles SET website = 'x'",
            "DELETE FROM auth.users",
            "CREATE TABLE public.planted (x int)",
            "CREATE SCHEMA planted",
            "CREATE FUNCTION public.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'")) {
      for (boolean readOnlyDefault : List.of(true, false)) {
        try (Connection connection = PgConnections.open(asBackupRole(), "the source as the role");
            Statement statement = connection.createStatement()) {
          if (!readOnlyDefault) {
            statement.execute("SET default_transaction_read_only = off");
          }
          SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql));
          assertFalse(refused.getSQLState().isEmpty(), sql);
        }
      }
    }
  }

  @Test
  void theRoleReadsUnderRowLevelSecurityOnlyBecauseItBypassesIt() throws SQLException {
    try (Connection connection = PgConnections.open(asBackupRole(), "the source as the role");
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT rolbypassrls, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
                    + " WHERE rolname = current_user")) {
      rows.next();
      assertEquals(
          Map.of("bypassrls", true, "super", false, "createrole", false, "createdb", false),
          Map.of(
              "bypassrls", rows.getBoolean(1),
              "super", rows.getBoolean(2),
              "createrole", rows.getBoolean(3),
              "createdb", rows.getBoolean(4)));
    }
  }
}
