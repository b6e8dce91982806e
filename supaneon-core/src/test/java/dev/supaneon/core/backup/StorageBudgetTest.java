package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.RestoreTestOutcome;
import dev.supaneon.core.restoretest.RestoreTestRun;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.ShiftedClock;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free plan's storage, against neon-local's model of Neon's accounting: a month of daily
 * backups in a project that holds only a few stays within it at every moment; a source that cannot
 * fit is refused before anything exists; Neon's size-limit error mid-restore fails cleanly.
 */
class StorageBudgetTest {

  static final long MIB = 1024 * 1024;
  static PostgresServer source;

  final ShiftedClock clock = new ShiftedClock();
  NeonLocal neon;
  String database;
  @TempDir Path reports;

  @BeforeAll
  static void sourceServer() {
    source = TestDatabases.sourceServer();
  }

  /** A small source: one table of about 1 MiB that grows a little every day. */
  void startWithLimit(int storageLimitMib) {
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("budget-" + UUID.randomUUID().toString().substring(0, 8))
            .storageLimitMib(storageLimitMib)
            .operationDelay(Duration.ofMillis(10))
            .clock(clock)
            .start();
    database = TestDatabases.createDatabase(source, "budget");
    TestDatabases.execute(
        source,
        database,
        "CREATE TABLE events (id bigserial PRIMARY KEY, body text NOT NULL);"
            + " INSERT INTO events (body) SELECT repeat(md5(g::text), 8)"
            + " FROM generate_series(1, 4000) AS g");
  }

  @AfterEach
  void stop() {
    if (neon != null) {
      neon.close();
    }
  }

  SettingsBuilder settings() {
    return CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports);
  }

  NeonClient client() {
    return new NeonClient(settings().neon());
  }

  long projectStorage() {
    try (NeonClient client = client()) {
      return client.getProject().storageUsed().orElseThrow();
    }
  }

  /**
   * Reads the project's storage at the end of every phase: "at every moment", as near as we get.
   */
  final class StorageWatch implements RunListener {
    final AtomicLong most = new AtomicLong();

    @Override
    public void phaseFinished(Phase phase, Duration duration, String summary) {
      most.accumulateAndGet(projectStorage(), Math::max);
    }
  }

  RunContext context(RunListener listener) {
    return new RunContext(listener, clock, NeonClientOptions.defaults(), Map.of());
  }

  @Test
  void aMonthOfDailyBackupsAndRestoreTestsStaysWithinTheFreePlansStorage() {
    startWithLimit(40);
    StorageWatch watch = new StorageWatch();
    List<String> keptCounts = new ArrayList<>();
    for (int day = 0; day < 30; day++) {
      TestDatabases.execute(
          source, database, "INSERT INTO events (body) VALUES ('day " + day + "')");
      BackupReport backup = new BackupRun(settings().backup(), context(watch)).execute();
      assertEquals(BackupOutcome.VERIFIED, backup.outcome(), "day " + day);
      assertNotNull(backup.storage());
      assertTrue(backup.storage().usedAfterBytes() <= 40 * MIB, "day " + day);
      if (day == 0) {
        String summary = dev.supaneon.core.report.BackupSummary.markdown(backup);
        assertTrue(summary.contains("| Storage | "), summary);
        assertTrue(summary.contains(" budget (the project's limit as Neon reports it)"), summary);
        assertTrue(summary.contains("| Supabase egress | "), summary);
        assertTrue(summary.contains("of the Free plan's 5 GB"), summary);
      }
      assertEquals(
          RestoreTestOutcome.PASSED,
          new RestoreTestRun(settings().restoreTest(), context(watch)).execute().outcome(),
          "day " + day);
      try (NeonClient client = client()) {
        BackupInventory inventory = new BackupInventory(client.listBranches());
        assertEquals(
            backup.branchId(),
            inventory.newestVerifiedBackup().orElseThrow().branch().id(),
            "the newest backup is kept, day " + day);
        assertTrue(inventory.branches().size() <= 10, "within the branch limit");
        keptCounts.add(Integer.toString(inventory.verifiedBackups().size()));
      }
      clock.advance(Duration.ofDays(1));
    }
    var status =
        new dev.supaneon.core.status.StatusRun(settings().status(), context(RunListener.SILENT))
            .execute();
    assertEquals(40 * MIB, status.storage().limitBytes(), "status shows the project's limit");
    assertTrue(status.storage().usedBytes() <= 40 * MIB, "and what it uses");
    assertTrue(
        status.backups().stream().allMatch(b -> b.storageBytes() != null && b.storageBytes() > 0),
        "and what each backup costs: " + status.backups());
    // Compute and transfer as Neon reports them, beside the Free plan's allowances: neon-local
    // counts each endpoint's active time at its minimum CU, deleted branches' included, and the
    // bytes its proxy sent to clients.
    assertTrue(
        status.backups().stream().allMatch(b -> b.computeSeconds() != null),
        "each backup's compute: " + status.backups());
    assertTrue(
        status.usage().computeSeconds()
            >= status.backups().stream().mapToLong(b -> b.computeSeconds()).sum(),
        "the project's compute holds its backups': " + status.usage());
    assertEquals(100L * 3600, status.usage().freeComputeSeconds(), "100 CU-hours");
    // Transfer is Neon's egress: each backup's verification reads its copy back out of Neon.
    assertTrue(
        status.usage().dataTransferBytes() > 0,
        "the read-backs count as data transfer: " + status.usage());
    assertTrue(
        status.backups().stream().allMatch(b -> b.dataTransferBytes() != null),
        "and each backup shows its own: " + status.backups());
    System.out.println(
        "storage month: at most "
            + watch.most.get() / MIB
            + " MiB of 40 MiB used; verified backups kept, day by day: "
            + keptCounts);
    assertTrue(
        watch.most.get() <= 40 * MIB,
        "the project never used more than its limit: at most " + watch.most.get() / MIB + " MiB");
    assertTrue(
        keptCounts.subList(5, 30).stream().allMatch(n -> Integer.parseInt(n) >= 2),
        "as many backups as fit are kept: " + keptCounts);
    assertTrue(
        keptCounts.stream().allMatch(n -> Integer.parseInt(n) <= 4),
        "and no more than fit: " + keptCounts);
  }

  @Test
  void aSourceThatCannotFitBesideTheNewestBackupIsRefusedBeforeAnythingIsCreated() {
    startWithLimit(512);
    new BackupRun(settings().backup(), context(RunListener.SILENT)).execute();
    List<String> before;
    try (NeonClient client = client()) {
      before = client.listBranches().stream().map(Branch::id).sorted().toList();
    }
    BackupFailedException refused =
        assertThrows(
            BackupFailedException.class,
            () ->
                new BackupRun(
                        settings().set(Setting.STORAGE_BUDGET, "20MiB").backup(),
                        context(RunListener.SILENT))
                    .execute());
    String message = refused.getMessage();
    assertTrue(
        message.startsWith("Not enough storage for a new backup: the new backup needs"), message);
    assertTrue(message.contains("of the 20.0 MiB budget"), message);
    assertTrue(message.contains("nothing was created or deleted"), message);
    assertTrue(refused.report().storage().sourceBytes() > 0);
    try (NeonClient client = client()) {
      assertEquals(before, client.listBranches().stream().map(Branch::id).sorted().toList());
    }
  }

  @Test
  void neonsSizeLimitErrorMidRestoreFailsCleanlyAndLeavesNoVerifiedBackup(@TempDir Path bin)
      throws IOException {
    startWithLimit(512);
    Path real = PgClientTools.discover().get(0).pgRestore().getParent();
    script(bin, "pg_dump", "exec '" + real.resolve("pg_dump") + "' \"$@\"");
    script(
        bin,
        "pg_restore",
        "if [ \"$1\" = --version ]; then exec '"
            + real.resolve("pg_restore")
            + "' --version; fi\n'"
            + real.resolve("pg_restore")
            + "' \"$@\"\necho 'pg_restore: error: could not execute query: ERROR:  could not"
            + " extend file because project size limit (512 MB) has been exceeded' >&2\nexit 1");
    BackupFailedException failure =
        assertThrows(
            BackupFailedException.class,
            () ->
                new BackupRun(
                        settings().set(Setting.PG_BIN, bin.toString()).backup(),
                        context(RunListener.SILENT))
                    .execute());
    assertTrue(
        failure.getMessage().startsWith("Neon's storage limit was reached"), failure.getMessage());
    assertTrue(failure.getCause() instanceof dev.supaneon.core.SupaneonException);
    assertTrue(
        ((dev.supaneon.core.SupaneonException) failure.getCause())
            .suggestion()
            .orElseThrow()
            .contains("supaneon.storageBudget"));
    try (NeonClient client = client()) {
      BackupInventory inventory = new BackupInventory(client.listBranches());
      assertTrue(inventory.verifiedBackups().isEmpty(), "no verified backup");
      assertTrue(inventory.incompleteBackups().isEmpty(), "and the failed branch is gone");
    }
    assertFalse(failure.report().outcome() == BackupOutcome.VERIFIED);
  }

  static void script(Path directory, String name, String body) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }
}
