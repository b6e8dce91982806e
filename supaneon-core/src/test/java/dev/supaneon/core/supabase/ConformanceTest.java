package dev.supaneon.core.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.RestoreTestOutcome;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.restoretest.RestoreTestRun;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.SharedFixtures;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real-world sample databases and hostile identifiers back up with zero pg_restore errors and equal
 * per-table row counts and checksums, and the real-world ones pass the logical restore test.
 */
class ConformanceTest {

  @TempDir static Path reports;
  static PostgresServer source;
  static NeonLocal neon;

  @BeforeAll
  static void start() {
    source = TestDatabases.sourceServer();
    neon = CoreTestEnvironment.neonLocal(20);
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  static BackupReport backUp(String database, RecordingListener listener) {
    return new BackupRun(
            CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                .backup(),
            new RunContext(listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
        .execute();
  }

  static long tableCount(String database) throws Exception {
    try (Connection connection = source.connectAsSuperuser(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static void assertClean(BackupReport report, RecordingListener listener, long tables) {
    assertEquals(BackupOutcome.VERIFIED, report.outcome(), listener.text());
    assertEquals(Verification.PASSED, report.verification());
    assertEquals(tables, report.tableCount(), "every table is verified");
    assertTrue(report.tables().stream().allMatch(BackupReport.TableResult::verified));
    assertFalse(
        listener.text().contains("pg_restore:"), "zero pg_restore messages:\n" + listener.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"pagila.sql", "chinook.sql", "periodic_table.sql"})
  void sampleDatabases(String file) throws Exception {
    Optional<Path> dataset = SharedFixtures.dataset(file);
    assumeTrue(
        dataset.isPresent(),
        "../shared/datasets/" + file + " is not here; skipping this conformance case");
    String database = TestDatabases.createDatabase(source, file.replace(".sql", ""));
    TestDatabases.loadFile(source, database, dataset.get());
    RecordingListener listener = new RecordingListener();
    BackupReport report = backUp(database, listener);
    assertClean(report, listener, tableCount(database));
    assertTrue(report.rowCount() > 0);

    // The backup also leaves Neon intact: dumped again and restored into a fresh database.
    RecordingListener restoreListener = new RecordingListener();
    RestoreTestReport restoreTest =
        new RestoreTestRun(
                CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                    .set(Setting.RESTORE_TEST_MODE, "logical")
                    .restoreTest(),
                new RunContext(
                    restoreListener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
            .execute();
    assertEquals(RestoreTestOutcome.PASSED, restoreTest.outcome(), restoreTest.failure());
    assertEquals(report.branchName(), restoreTest.backupBranchName());
    assertEquals(report.rowCount(), restoreTest.rowCount());
    assertTrue(
        restoreTest.checks().stream()
            .anyMatch(c -> c.name().startsWith("logical restore") && c.passed()),
        restoreTest.checks().toString());
    assertFalse(
        restoreListener.text().contains("pg_restore:"),
        "zero pg_restore messages:\n" + restoreListener.text());
  }

  @Test
  void hostileIdentifiersAndValues() throws Exception {
    String database = TestDatabases.trickyDatabase(source);
    RecordingListener listener = new RecordingListener();
    BackupReport report = backUp(database, listener);
    assertClean(report, listener, 5);
    assertEquals(2, report.largeObjects(), "large objects are backed up and counted");
    assertTrue(
        report.tables().stream()
            .anyMatch(
                t -> t.schema().equals("Weird.\"Dotted\".*?") && t.table().equals("T*b?l.e \"x\"")),
        report.tables().toString());
  }
}
