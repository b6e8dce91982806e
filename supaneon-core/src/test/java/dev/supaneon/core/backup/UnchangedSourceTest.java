package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.PhaseTiming;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.restoretest.RestoreTestFailedException;
import dev.supaneon.core.restoretest.RestoreTestRun;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.status.StatusRun;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unchanged source costs nothing: the run compares digests with the newest verified backup,
 * makes no branch and copies no row, and records on the backup that it is current; restore tests
 * and status count that confirmation. Any change, even one value, makes a full verified backup.
 */
class UnchangedSourceTest {

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

  SettingsBuilder settings() {
    return CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
        .set(Setting.SKIP_UNCHANGED, "true");
  }

  BackupReport backup() {
    return new BackupRun(settings().backup(), context(Clock.systemUTC())).execute();
  }

  static RunContext context(Clock clock) {
    return new RunContext(new RecordingListener(), clock, NeonClientOptions.defaults(), Map.of());
  }

  List<Branch> branches() {
    try (NeonClient client = new NeonClient(settings().neon())) {
      return client.listBranches();
    }
  }

  Connection connectTo(String branchId) {
    try (NeonClient client = new NeonClient(settings().neon())) {
      return PgConnections.open(
          NeonConnections.url(client, branchId, "neondb", "neondb_owner"), "the backup");
    }
  }

  static List<String> phases(BackupReport report) {
    return report.phases().stream().map(PhaseTiming::phase).toList();
  }

  @Test
  void anUnchangedSourceMakesNoBranchCopiesNoRowAndConfirmsTheNewestBackup() throws Exception {
    BackupReport first = backup();
    assertEquals(BackupOutcome.VERIFIED, first.outcome());
    assertTrue(phases(first).contains("copy"), "the first run copies: " + phases(first));
    int branchesBefore = branches().size();

    Instant before = Instant.now();
    BackupReport second = backup();
    assertEquals(BackupOutcome.CONFIRMED_CURRENT, second.outcome(), second.finalState());
    assertTrue(second.isCurrent());
    assertEquals(first.branchName(), second.branchName());
    assertEquals(branchesBefore, branches().size(), "no branch was created");
    assertFalse(phases(second).contains("copy"), "nothing was copied: " + phases(second));
    assertFalse(phases(second).contains("create branch"), phases(second).toString());
    assertEquals(0, second.archiveBytes(), "no row left the source");
    assertTrue(second.finalState().contains("confirmed current"), second.finalState());

    try (Connection backup = connectTo(first.branchId())) {
      Optional<Instant> confirmed = ManifestStore.confirmedCurrentAt(backup);
      assertTrue(confirmed.isPresent(), "the backup records its confirmation");
      assertFalse(confirmed.get().isBefore(before.minusSeconds(1)), confirmed.toString());
      assertEquals(Optional.of(confirmed.get()), Optional.ofNullable(second.snapshotAt()));
    }

    StatusReport status = new StatusRun(settings().status(), context(Clock.systemUTC())).execute();
    assertEquals(second.snapshotAt(), status.newestBackupConfirmedCurrentAt());
  }

  @Test
  void oneChangedValueOrAMovedSequenceMakesTheNextRunAFullVerifiedBackup() {
    BackupReport first = backup();
    TestDatabases.execute(
        source,
        database,
        "UPDATE public.customers SET full_name = full_name || '.'"
            + " WHERE id = (SELECT min(id) FROM public.customers)");
    BackupReport changedRow = backup();
    assertEquals(BackupOutcome.VERIFIED, changedRow.outcome(), changedRow.finalState());
    assertTrue(!changedRow.branchName().equals(first.branchName()), "a new backup branch");
    PhaseTiming compare =
        changedRow.phases().stream()
            .filter(p -> p.phase().equals("compare with the newest backup"))
            .findFirst()
            .orElseThrow();
    assertEquals("ok", compare.outcome());

    // A row added with its own id moves no sequence: the row counts, compared first, find it.
    TestDatabases.execute(
        source,
        database,
        "INSERT INTO public.customers (id, email, full_name, signed_up_at)"
            + " OVERRIDING SYSTEM VALUE VALUES (900000, 'own-id@x.y', 'Own Id', now())");
    BackupReport deletedRow = backup();
    assertEquals(BackupOutcome.VERIFIED, deletedRow.outcome(), deletedRow.finalState());

    TestDatabases.execute(source, database, "SELECT nextval('public.products_id_seq')");
    BackupReport movedSequence = backup();
    assertEquals(BackupOutcome.VERIFIED, movedSequence.outcome(), movedSequence.finalState());

    TestDatabases.execute(source, database, "ALTER TABLE public.products ADD COLUMN note text");
    BackupReport changedSchema = backup();
    assertEquals(BackupOutcome.VERIFIED, changedSchema.outcome(), changedSchema.finalState());
    BackupReport unchanged = backup();
    assertEquals(BackupOutcome.CONFIRMED_CURRENT, unchanged.outcome(), unchanged.finalState());
    assertEquals(changedSchema.branchName(), unchanged.branchName());
  }

  @Test
  void theRestoreTestCountsAConfirmationAsWellAsTheBackupsOwnTime() throws Exception {
    BackupReport backup = backup();
    // A day and more later, with the default 26 h limit, the backup itself is too old...
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(30)), ZoneOffset.UTC);
    RestoreTestFailedException tooOld =
        assertThrows(
            RestoreTestFailedException.class,
            () -> new RestoreTestRun(settings().restoreTest(), context(later)).execute());
    assertTrue(tooOld.getMessage().contains("backup age"), tooOld.getMessage());

    // ...but a run that found the source unchanged 10 h ago makes it current as of then.
    Instant confirmedAt =
        Instant.now().plus(Duration.ofHours(20)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    try (Connection connection = connectTo(backup.branchId())) {
      ManifestStore.confirm(connection, "a-later-run", confirmedAt);
    }
    // A minute on: the failed test's branch, kept for inspection, holds the first one's name.
    RestoreTestReport passed =
        new RestoreTestRun(
                settings().restoreTest(), context(Clock.offset(later, Duration.ofMinutes(1))))
            .execute();
    assertEquals(confirmedAt, passed.backupConfirmedCurrentAt());
    assertEquals(Duration.ofHours(10).plusMinutes(1).toMinutes(), passed.backupAgeMinutes(), 1);
  }

  @Test
  void aSupabaseShapedSourceIsRecognisedUnchangedToo() {
    // Roles, RLS policies, extensions and Supabase's own schemas: the schema fingerprint must see
    // past what a backup changes on purpose (owners, privileges), or no run would ever skip.
    database = TestDatabases.supabaseDatabase(source);
    BackupReport first = backup();
    assertEquals(BackupOutcome.VERIFIED, first.outcome());
    BackupReport second = backup();
    assertEquals(
        BackupOutcome.CONFIRMED_CURRENT,
        second.outcome(),
        second.phases().stream()
            .filter(p -> p.phase().equals("compare with the newest backup"))
            .toList()
            .toString());
  }
}
