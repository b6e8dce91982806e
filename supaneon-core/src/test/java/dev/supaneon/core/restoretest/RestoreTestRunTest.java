package dev.supaneon.core.restoretest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreTestSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.RestoreTestOutcome;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTestRunTest {

  @TempDir Path reports;
  PostgresServer source;
  String database;
  NeonLocal neon;

  @BeforeEach
  void start() {
    source = TestDatabases.sourceServer();
    database = TestDatabases.sampleDatabase(source);
    neon = CoreTestEnvironment.neonLocal(10);
  }

  @AfterEach
  void stop() {
    neon.close();
  }

  BackupReport backup() {
    return new BackupRun(
            CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                .backup(),
            new RunContext(
                new RecordingListener(), Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
        .execute();
  }

  SettingsBuilder restoreTestSettings() {
    return CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports);
  }

  RestoreTestReport restoreTest(RestoreTestSettings settings) {
    return new RestoreTestRun(
            settings,
            new RunContext(
                new RecordingListener(), Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
        .execute();
  }

  List<Branch> branches() {
    try (NeonClient client = new NeonClient(restoreTestSettings().neon())) {
      return client.listBranches();
    }
  }

  @Test
  void afterABackupTheRestoreTestPassesAndLeavesNoTestBranch() throws Exception {
    BackupReport backup = backup();
    RestoreTestReport report = restoreTest(restoreTestSettings().restoreTest());
    assertEquals(RestoreTestOutcome.PASSED, report.outcome(), report.failure());
    assertEquals(backup.branchName(), report.backupBranchName());
    assertEquals(6, report.tableCount());
    assertEquals(backup.rowCount(), report.rowCount());
    assertTrue(report.checks().stream().anyMatch(c -> c.name().equals("manifest") && c.passed()));
    assertTrue(report.checks().stream().anyMatch(c -> c.name().equals("backup age") && c.passed()));
    assertFalse(report.testBranchKept());
    assertTrue(
        branches().stream().noneMatch(b -> b.name().startsWith("restore-test-")),
        "the test branch is gone");
    assertTrue(
        Files.readString(reports.resolve("restore-test-report.md"))
            .contains("restore test: passed"));
  }

  @Test
  void rowsDeletedFromTheBackupFailTheTestAndKeepTheTestBranch() throws Exception {
    BackupReport backup = backup();
    try (NeonClient client = new NeonClient(restoreTestSettings().neon())) {
      PostgresUrl url = NeonConnections.url(client, backup.branchId(), "neondb", "neondb_owner");
      try (Connection connection = PgConnections.open(url, "backup");
          Statement statement = connection.createStatement()) {
        statement.execute("DELETE FROM public.audit_events WHERE note IS NULL");
      }
    }
    RestoreTestFailedException failure =
        assertThrows(
            RestoreTestFailedException.class,
            () -> restoreTest(restoreTestSettings().restoreTest()));
    RestoreTestReport report = failure.report();
    assertEquals(RestoreTestOutcome.FAILED, report.outcome());
    assertTrue(
        report.checks().stream()
            .anyMatch(c -> c.name().equals("table public.audit_events") && !c.passed()),
        report.checks().toString());
    assertTrue(failure.getMessage().contains("public.audit_events"), failure.getMessage());
    assertTrue(report.testBranchKept());
    Branch kept =
        branches().stream()
            .filter(b -> b.id().equals(report.testBranchId()))
            .findFirst()
            .orElseThrow();
    assertTrue(kept.expiry().isEmpty(), "kept without expiry");
    assertTrue(report.connectHint().contains("sslmode=require"));
    assertFalse(report.connectHint().contains(":" + "npg_"), "no password in the hint");
    assertTrue(report.finalState().contains(kept.name()));
  }

  @Test
  void withoutAnyBackupTheTestFailsClearly() {
    RestoreTestFailedException failure =
        assertThrows(
            RestoreTestFailedException.class,
            () -> restoreTest(restoreTestSettings().restoreTest()));
    assertTrue(failure.getMessage().contains("holds no verified backup"), failure.getMessage());
    assertTrue(
        failure.suggestion().orElse("").contains("supaneon:backup"),
        "says what to do: run a backup");
    assertTrue(
        failure.report().failure().contains("What to do: Run supaneon:backup first"),
        "the report says what to do: " + failure.report().failure());
    assertEquals(1, branches().size(), "nothing was created");
  }

  @Test
  void aBackupOlderThanTheLimitFails() {
    backup();
    RestoreTestFailedException failure =
        assertThrows(
            RestoreTestFailedException.class,
            () ->
                restoreTest(
                    restoreTestSettings().set(Setting.MAX_BACKUP_AGE, "1ms").restoreTest()));
    assertTrue(failure.getMessage().contains("backup age"), failure.getMessage());
    assertTrue(failure.getMessage().contains("may have stopped"), failure.getMessage());
    try (NeonClient client = new NeonClient(restoreTestSettings().neon())) {
      client.deleteBranch(failure.report().testBranchId()).ifPresent(client::awaitOperations);
    }
  }

  @Test
  void theLogicalModeTakesTheBackupOutOfNeonAndBackIntact() {
    backup();
    RestoreTestReport report =
        restoreTest(restoreTestSettings().set(Setting.RESTORE_TEST_MODE, "logical").restoreTest());
    assertEquals(RestoreTestOutcome.PASSED, report.outcome(), report.failure());
    assertTrue(report.logicalArchiveBytes() > 0);
    assertTrue(
        report.checks().stream()
            .anyMatch(
                c ->
                    c.name().startsWith("logical restore")
                        && c.passed()
                        && c.detail().startsWith("8 tables")),
        report.checks().toString());
    assertTrue(
        dev.supaneon.core.report.RestoreTestSummary.markdown(report)
            .contains(
                "| Neon transfer | "
                    + dev.supaneon.core.report.Formats.bytes(report.logicalArchiveBytes())
                    + " read out of Neon by this test"),
        "the transfer the logical test causes is reported");
  }

  @Test
  void userAssertionsRunReadOnlyAndCount(@TempDir Path directory) throws Exception {
    backup();
    Path assertions = directory.resolve("checks.sql");
    Files.writeString(
        assertions,
        String.join(
            "\n",
            "-- every shop has customers",
            "select count(*) >= 1 from public.customers;",
            "-- at least 2000",
            "select count(*) from public.customers;",
            "-- at least 2001",
            "select count(*) from public.customers;",
            "delete from public.customers;"));
    RestoreTestFailedException failure =
        assertThrows(
            RestoreTestFailedException.class,
            () ->
                restoreTest(
                    restoreTestSettings()
                        .set(Setting.ASSERTIONS_FILE, assertions.toString())
                        .restoreTest()));
    List<RestoreTestReport.Check> checks =
        failure.report().checks().stream().filter(c -> c.name().startsWith("assertion")).toList();
    assertEquals(4, checks.size(), checks.toString());
    assertTrue(checks.get(0).passed());
    assertTrue(checks.get(1).passed());
    assertFalse(checks.get(2).passed());
    assertFalse(checks.get(3).passed(), "a write is refused: " + checks.get(3).detail());
    assertTrue(checks.get(3).detail().contains("read-only"), checks.get(3).detail());
    try (NeonClient client = new NeonClient(restoreTestSettings().neon())) {
      client.deleteBranch(failure.report().testBranchId()).ifPresent(client::awaitOperations);
      assertTrue(new BackupInventory(client.listBranches()).newestVerifiedBackup().isPresent());
    }
  }

  @Test
  void neonsComputeQuotaIsRecognisedInARestoreTestToo() {
    backup();
    neon.faults().exceedQuota("createProjectBranch", "compute time", 1);
    RestoreTestFailedException failure =
        assertThrows(
            RestoreTestFailedException.class,
            () -> restoreTest(restoreTestSettings().restoreTest()));
    assertTrue(
        failure.getMessage().startsWith("Neon's compute time quota was reached"),
        failure.getMessage());
  }
}
