package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.core.testing.ShiftedClock;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRunScenariosTest {

  @Test
  void tenDailyRunsUnderATenBranchLimitAllSucceedAndRetentionKeepsTheProjectWithinIt(
      @TempDir Path reports) {
    ShiftedClock clock = new ShiftedClock();
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10, clock)) {
      BackupSettings settings =
          CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
              .set(Setting.KEEP_DAILY, "3")
              .set(Setting.KEEP_WEEKLY, "2")
              .set(Setting.KEEP_MONTHLY, "1")
              .backup();
      BackupSettings dryRun =
          CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
              .set(Setting.KEEP_DAILY, "3")
              .set(Setting.KEEP_WEEKLY, "2")
              .set(Setting.KEEP_MONTHLY, "1")
              .set(Setting.DRY_RUN, "true")
              .backup();
      String previousNewest = null;
      int retentionDeletions = 0;
      for (int day = 0; day < 10; day++) {
        List<String> wouldDelete = retained(run(dryRun, clock), "would delete");
        BackupReport report = run(settings, clock);
        assertEquals(BackupOutcome.VERIFIED, report.outcome(), "run " + day);
        List<String> deleted = retained(report, "deleted");
        assertEquals(deleted, wouldDelete, "the dry run foretold retention, day " + day);
        retentionDeletions += deleted.size();
        try (NeonClient client = new NeonClient(settings.neon())) {
          List<Branch> branches = client.listBranches();
          assertTrue(
              branches.size() <= 9, "within the limit, with one branch free: " + branches.size());
          BackupInventory inventory = new BackupInventory(branches);
          assertEquals(
              report.branchName(), inventory.newestVerifiedBackup().orElseThrow().branch().name());
          assertTrue(inventory.incompleteBackups().isEmpty());
          if (day >= 3) {
            assertTrue(inventory.verifiedBackups().size() >= 3, "three daily backups kept");
          }
          assertNotEquals(previousNewest, report.branchName());
          previousNewest = report.branchName();
        }
        clock.advance(Duration.ofDays(1));
      }
      assertTrue(retentionDeletions > 0, "retention had work to do");
    }
  }

  /** The branch names a report's retention actions starting with {@code action} name, sorted. */
  static List<String> retained(BackupReport report, String action) {
    return report.retention().stream()
        .filter(a -> a.action().startsWith(action))
        .map(BackupReport.RetentionAction::branchName)
        .sorted()
        .toList();
  }

  @Test
  void aSourceThatDiesMidCopyLeavesNoVerifiedBackupAndAFailedRun(@TempDir Path reports)
      throws Exception {
    PostgresServer dying = PostgresServers.start();
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10)) {
      String database = TestDatabases.createDatabase(dying, "big");
      TestDatabases.execute(
          dying,
          database,
          "CREATE TABLE big AS SELECT g AS id, md5(g::text) || repeat('x', 200) AS payload"
              + " FROM generate_series(1, 600000) AS g");
      BackupSettings settings =
          CoreTestEnvironment.settings(neon, TestDatabases.url(dying, database), reports).backup();
      RecordingListener listener = new RecordingListener();
      AtomicBoolean killed = new AtomicBoolean();
      listener.onProgress(
          (phase, bytes) -> {
            if (killed.compareAndSet(false, true)) {
              dying.close();
            }
          });
      BackupRun run =
          new BackupRun(
                  settings,
                  new RunContext(
                      listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
              .withProgressInterval(Duration.ofMillis(1));
      BackupFailedException failure = assertThrows(BackupFailedException.class, run::execute);
      assertTrue(killed.get(), "the source was stopped during the dump: " + listener.text());
      assertTrue(
          failure.getMessage().contains("source database")
              || failure.getMessage().contains("pg_dump"),
          "the failure points at the source: " + failure.getMessage());
      assertEquals(BackupOutcome.FAILED, failure.report().outcome());
      try (NeonClient client = new NeonClient(settings.neon())) {
        BackupInventory inventory = new BackupInventory(client.listBranches());
        assertTrue(inventory.verifiedBackups().isEmpty(), "no verified backup");
        assertTrue(inventory.incompleteBackups().isEmpty(), "the unfinished branch was deleted");
      }
    } finally {
      dying.close();
    }
  }

  @Test
  void aDryRunCreatesAndDeletesNothing(@TempDir Path reports) {
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10)) {
      BackupSettings settings =
          CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
              .set(Setting.DRY_RUN, "true")
              .backup();
      BackupReport report = run(settings, Clock.systemUTC());
      assertEquals(BackupOutcome.DRY_RUN, report.outcome());
      assertTrue(report.finalState().contains("nothing was created"), report.finalState());
      assertEquals(
          0,
          neon.requests().stream().filter(r -> !r.method().equals("GET")).count(),
          "a dry run only reads: " + neon.requests());
    }
  }

  @Test
  void twoRunsAtOnceEachMakeTheirOwnVerifiedBackup(@TempDir Path reports) throws Exception {
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10)) {
      BackupSettings first =
          CoreTestEnvironment.settings(
                  neon, TestDatabases.url(source, database), reports.resolve("a"))
              .backup();
      BackupSettings second =
          CoreTestEnvironment.settings(
                  neon, TestDatabases.url(source, database), reports.resolve("b"))
              .backup();
      CompletableFuture<BackupReport> a =
          CompletableFuture.supplyAsync(() -> run(first, Clock.systemUTC()));
      CompletableFuture<BackupReport> b =
          CompletableFuture.supplyAsync(() -> run(second, Clock.systemUTC()));
      BackupReport reportA = a.get();
      BackupReport reportB = b.get();
      assertEquals(BackupOutcome.VERIFIED, reportA.outcome());
      assertEquals(BackupOutcome.VERIFIED, reportB.outcome());
      assertNotEquals(reportA.branchId(), reportB.branchId());
      assertNotEquals(reportA.runId(), reportB.runId());
      try (NeonClient client = new NeonClient(first.neon())) {
        BackupInventory inventory = new BackupInventory(client.listBranches());
        // Both were verified; retention then keeps one backup per day, so one of them went,
        // deleted by a run's retention, and the other is the project's verified backup.
        List<String> verified =
            inventory.verifiedBackups().stream().map(v -> v.branch().id()).toList();
        assertEquals(1, verified.size(), verified.toString());
        String other =
            verified.get(0).equals(reportA.branchId()) ? reportB.branchId() : reportA.branchId();
        assertTrue(verified.contains(reportA.branchId()) || verified.contains(reportB.branchId()));
        assertTrue(
            Stream.of(reportA, reportB)
                .flatMap(r -> r.retention().stream())
                .anyMatch(r -> r.branchId().equals(other) && r.action().equals("deleted")),
            "the other backup was deleted by retention, not lost");
        assertTrue(inventory.incompleteBackups().isEmpty());
      }
    }
  }

  private static BackupReport run(BackupSettings settings, Clock clock) {
    return new BackupRun(
            settings,
            new RunContext(new RecordingListener(), clock, NeonClientOptions.defaults(), Map.of()))
        .execute();
  }
}
