package dev.supaneon.core.standby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.backup.RestoreFailedException;
import dev.supaneon.core.backup.RestoreRun;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.PromoteReport;
import dev.supaneon.core.report.RestoreReport;
import dev.supaneon.core.report.StandbyAction;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.status.StaleBackupException;
import dev.supaneon.core.status.StatusRun;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.ShiftedClock;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standby against neon-local and real PostgreSQL: refreshed by every backup at a connection
 * string that never changes, promoted for a failover, and never refreshed again after that.
 */
class StandbyTest {

  static final String PASSWORD_FREE = "the connection string carries no password";

  PostgresServer source;
  String database;
  NeonLocal neon;
  @TempDir Path reports;

  @BeforeEach
  void freshProjectAndSource() {
    source = TestDatabases.sourceServer();
    database = TestDatabases.sampleDatabase(source);
    neon = CoreTestEnvironment.neonLocal(10);
  }

  @AfterEach
  void stop() {
    neon.close();
  }

  SettingsBuilder settings() {
    return CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports);
  }

  BackupReport backUp(BackupSettings settings) {
    return new BackupRun(
            settings,
            new RunContext(
                RunListener.SILENT, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
        .execute();
  }

  PostgresUrl standbyUrl(NeonClient client, String name) {
    Branch standby = Standby.find(client.listBranches(), name).orElseThrow().branch();
    return NeonConnections.url(client, standby.id(), "neondb", "neondb_owner");
  }

  @Test
  void theStandbyKeepsItsConnectionStringAndHoldsExactlyTheNewestBackup() throws Exception {
    BackupReport first = backUp(settings().backup());
    assertEquals(StandbyAction.CREATED, first.standby().action());
    assertEquals(first.branchName(), first.standby().holdsBackup());
    try (NeonClient client = new NeonClient(settings().neon())) {
      PostgresUrl recorded = standbyUrl(client, "standby");
      assertEquals(recorded.withoutPassword(), first.standby().connectionString());
      assertFalse(
          first.standby().connectionString().contains(recorded.password().reveal()), PASSWORD_FREE);

      TestDatabases.execute(
          source,
          database,
          "INSERT INTO public.customers (email, full_name, signed_up_at)"
              + " VALUES ('after-first@x.y', 'After First', now())");
      BackupReport second = backUp(settings().backup());

      assertEquals(StandbyAction.REFRESHED, second.standby().action());
      assertEquals(second.branchName(), second.standby().holdsBackup());
      assertEquals(recorded.revealedUri(), standbyUrl(client, "standby").revealedUri());
      assertTrue(
          client.listBranchEndpoints(standbyUrlBranch(client)).stream()
              .allMatch(e -> e.currentState().equals("idle")),
          "the standby's compute is suspended after a refresh");
      PostgresUrl backup = NeonConnections.url(client, second.branchId(), "neondb", "neondb_owner");
      try (Connection standby = PgConnections.open(recorded, "the standby, by its old URL");
          Connection newest = PgConnections.open(backup, "the second backup")) {
        Fingerprints.pinSessionSettings(standby);
        Fingerprints.pinSessionSettings(newest);
        List<TableRef> tables = Fingerprints.tablesIn(newest, List.of("public"));
        assertFalse(tables.isEmpty());
        for (TableRef table : tables) {
          assertEquals(
              Fingerprints.of(newest, table, true),
              Fingerprints.of(standby, table, true),
              table.displayName() + " equals the second backup's");
        }
        assertEquals(
            1,
            count(
                standby, "SELECT count(*) FROM public.customers WHERE email = 'after-first@x.y'"));
      }
      assertFalse(
          client.listBranchEndpoints(standbyUrlBranch(client)).stream()
              .allMatch(e -> e.currentState().equals("idle")),
          "connecting by the standby's URL woke its compute, as on Neon");
    }
  }

  String standbyUrlBranch(NeonClient client) {
    return Standby.find(client.listBranches(), "standby").orElseThrow().branch().id();
  }

  @Test
  void aFailoverDrillPromotesKeepsWritesAndIsNeverRefreshedAgain() throws Exception {
    BackupReport backup = backUp(settings().backup());
    PostgresUrl recorded;
    try (NeonClient client = new NeonClient(settings().neon())) {
      recorded = standbyUrl(client, "standby");
    }

    long started = System.nanoTime();
    PromoteReport promoted = new PromoteRun(settings().promote(), RunListener.SILENT).execute();
    try (Connection connection = PgConnections.open(recorded, "the standby, by its recorded URL");
        Statement statement = connection.createStatement()) {
      assertEquals(
          backup.tables().stream()
              .filter(t -> t.table().equals("customers"))
              .findFirst()
              .orElseThrow()
              .rows(),
          count(connection, "SELECT count(*) FROM public.customers"),
          "the last backup's data is there");
      statement.execute(
          "INSERT INTO public.customers (email, full_name, signed_up_at)"
              + " VALUES ('written-during-failover@x.y', 'Failover', now())");
    }
    long failoverMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "failover (promote to first write through the standby URL): " + failoverMillis + " ms");

    assertFalse(promoted.alreadyPromoted());
    assertEquals(recorded.withoutPassword(), promoted.databaseUrl());
    assertFalse(promoted.databaseUrl().contains(recorded.password().reveal()), PASSWORD_FREE);
    PromoteReport again = new PromoteRun(settings().promote(), RunListener.SILENT).execute();
    assertTrue(again.alreadyPromoted(), "promoting twice is harmless");
    assertEquals(promoted.branchId(), again.branchId());
    assertEquals(promoted.branchName(), again.branchName());
    assertTrue(Files.exists(reports.resolve("promote-report.json")));

    // The source is down: the next backup fails cleanly and the standby keeps the write.
    BackupSettings sourceDown =
        settings()
            .set(
                Setting.SOURCE_URL,
                "postgresql://postgres:down@127.0.0.1:1/postgres?sslmode=require")
            .backup();
    assertThrows(BackupFailedException.class, () -> backUp(sourceDown));
    assertEquals(1, written(recorded));

    // The source is back: backups go on, and the promoted standby is left alone.
    BackupReport later = backUp(settings().backup());
    assertEquals(BackupOutcome.VERIFIED, later.outcome());
    assertEquals(StandbyAction.LEFT_ALONE_PROMOTED, later.standby().action());
    assertNotEquals(backup.branchName(), later.branchName());
    assertEquals(1, written(recorded), "the write made during the failover is still there");

    // Fail-back: the promoted standby, write included, into a fresh empty database, verified.
    String fresh = TestDatabases.createDatabase(source, "failback");
    RestoreReport restored =
        new RestoreRun(
                settings().set(Setting.TARGET_URL, TestDatabases.url(source, fresh)).restore(),
                RunListener.SILENT)
            .execute();
    assertEquals(Verification.PASSED, restored.verification());
    assertEquals("promoted standby", restored.sourceKind());
    assertEquals(promoted.branchName(), restored.sourceBranchName());
    assertEquals(
        1, written(PostgresUrl.parse(TestDatabases.url(source, fresh), Setting.TARGET_URL)));
    assertTrue(
        restored.tables().stream().allMatch(t -> t.verified()), restored.tables().toString());
    assertFalse(
        restored.tables().stream().anyMatch(t -> t.schema().equals("supaneon")),
        "the manifest is supaneon's bookkeeping, not restored");
  }

  @Test
  void aRestoreRefusesATargetThatIsNotEmptyNamingWhatIsThereUnlessAskedToClean() throws Exception {
    BackupReport backup = backUp(settings().backup());
    String target = TestDatabases.createDatabase(source, "occupied");
    TestDatabases.execute(
        source,
        target,
        "CREATE TABLE public.precious (x int); INSERT INTO public.precious VALUES (1)");
    SettingsBuilder restore = settings().set(Setting.TARGET_URL, TestDatabases.url(source, target));

    RestoreFailedException refused =
        assertThrows(
            RestoreFailedException.class,
            () -> new RestoreRun(restore.restore(), RunListener.SILENT).execute());
    assertTrue(refused.getMessage().contains("public.precious"), refused.getMessage());
    assertTrue(refused.getMessage().contains("supaneon.targetClean"), refused.getMessage());
    assertEquals("newest verified backup", refused.report().sourceKind());
    assertEquals(backup.branchName(), refused.report().sourceBranchName());
    PostgresUrl targetUrl =
        PostgresUrl.parse(TestDatabases.url(source, target), Setting.TARGET_URL);
    try (Connection connection = PgConnections.open(targetUrl, "the target")) {
      assertEquals(
          1, count(connection, "SELECT count(*) FROM public.precious"), "nothing was lost");
    }

    RestoreReport cleaned =
        new RestoreRun(restore.set(Setting.TARGET_CLEAN, "true").restore(), RunListener.SILENT)
            .execute();
    assertEquals(Verification.PASSED, cleaned.verification());
    assertEquals(backup.rowCount(), cleaned.rowCount());
    String written =
        Files.readString(reports.resolve("restore-report.json"))
            + Files.readString(reports.resolve("restore-report.md"));
    assertFalse(
        written.contains(source.superuserPassword()), "the target's password is in no report");
  }

  @Test
  void statusListsBackupsAndTheStandbyAndFailsWhenTheNewestBackupIsStale() throws Exception {
    BackupReport backup = backUp(settings().backup());
    StatusReport status = new StatusRun(settings().status(), RunListener.SILENT).execute();
    assertFalse(status.stale());
    assertEquals(
        List.of(backup.branchName()), status.backups().stream().map(b -> b.name()).toList());
    assertTrue(status.standby().exists());
    assertEquals(backup.branchName(), status.standby().holdsBackup());
    assertEquals(backup.snapshotAt(), status.standby().dataAsOf());
    assertTrue(status.standby().connectionString().startsWith("postgresql://neondb_owner@"));
    assertTrue(Files.readString(reports.resolve("status.json")).contains("\"standby\""));
    assertTrue(Files.readString(reports.resolve("status.md")).contains(backup.branchName()));

    ShiftedClock twoDaysLater = new ShiftedClock();
    twoDaysLater.advance(Duration.ofDays(2));
    StaleBackupException stale =
        assertThrows(
            StaleBackupException.class,
            () ->
                new StatusRun(
                        settings().status(),
                        new RunContext(
                            RunListener.SILENT,
                            twoDaysLater,
                            NeonClientOptions.defaults(),
                            Map.of()))
                    .execute());
    assertTrue(stale.report().stale());
    assertTrue(stale.getMessage().contains("older than"), stale.getMessage());
  }

  @Test
  void aBranchOfTheStandbysNameThatSupaneonDidNotMakeIsNeverOverwritten() throws Exception {
    try (NeonClient client = new NeonClient(settings().neon())) {
      Branch main =
          client.listBranches().stream().filter(Branch::isDefault).findFirst().orElseThrow();
      client.awaitOperations(
          client
              .createBranch(
                  new NeonClient.BranchCreation(
                      "standby",
                      java.util.Optional.of(main.id()),
                      java.util.Optional.empty(),
                      true,
                      Map.of()))
              .operations());
      PostgresUrl theirs = standbyUrl(client, "standby");
      try (Connection connection = PgConnections.open(theirs, "their branch");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE theirs (x int)");
      }
      BackupFailedException failure =
          assertThrows(BackupFailedException.class, () -> backUp(settings().backup()));
      assertTrue(
          failure.getMessage().contains("did not make it as its standby"), failure.getMessage());
      assertEquals(BackupOutcome.FAILED, failure.report().outcome());
      assertTrue(
          failure.report().finalState().startsWith("Verified backup"),
          "the backup itself is verified and kept: " + failure.report().finalState());
      try (Connection connection = PgConnections.open(theirs, "their branch");
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT to_regclass('public.theirs') IS NOT NULL")) {
        rows.next();
        assertTrue(rows.getBoolean(1), "their branch is untouched");
      }
    }
  }

  static long written(PostgresUrl url) throws SQLException {
    try (Connection connection = PgConnections.open(url, "the standby")) {
      return count(
          connection,
          "SELECT count(*) FROM public.customers WHERE email = 'written-during-failover@x.y'");
    }
  }

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
