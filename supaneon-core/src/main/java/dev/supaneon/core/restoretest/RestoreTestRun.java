package dev.supaneon.core.restoretest;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.backup.BackupInventory;
import dev.supaneon.core.backup.BackupInventory.Backup;
import dev.supaneon.core.backup.Manifest;
import dev.supaneon.core.backup.ManifestStore;
import dev.supaneon.core.backup.TimestampedName;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreTestSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.Endpoint;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.BranchCreation;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.DumpRestorePipeline;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.ReportWriter;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.RestoreTestReport.Check;
import dev.supaneon.core.report.RestoreTestSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A restore test: the newest verified backup (or a named one) is branched into {@code
 * restore-test-<UTC>}, and read-only checks prove it is usable: it connects, its manifest is
 * intact, every schema and table it lists is there with exactly the rows it lists, and it is not
 * older than allowed. Optional SQL assertions, and a logical mode that takes the backup out of Neon
 * with pg_dump and restores it into a fresh database, follow.
 *
 * <p>Success deletes the test branch; failure keeps it, without expiry, for inspection.
 */
public final class RestoreTestRun {

  private static final Duration EXPIRY_MARGIN = Duration.ofHours(1);
  private static final String LOGICAL_DATABASE = "supaneon_logical_restore";

  private final RestoreTestSettings settings;
  private final RunListener listener;
  private final Clock clock;
  private final NeonClient.Options neonOptions;
  private final Map<String, String> environment;

  public RestoreTestRun(RestoreTestSettings settings, RunListener listener) {
    this(settings, listener, Clock.systemUTC(), NeonClient.Options.defaults(), System.getenv());
  }

  public RestoreTestRun(
      RestoreTestSettings settings,
      RunListener listener,
      Clock clock,
      NeonClient.Options neonOptions,
      Map<String, String> environment) {
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.neonOptions = neonOptions.withLog(listener::warn);
    this.environment = Map.copyOf(environment);
  }

  /** Runs the test; throws {@link RestoreTestFailedException} (with the report) when it fails. */
  public RestoreTestReport execute() {
    RestoreTestReport report = new RestoreTestReport();
    report.runId = UUID.randomUUID().toString();
    report.startedAt = clock.instant();
    report.mode = settings.mode().name().toLowerCase(java.util.Locale.ROOT);
    report.neonProjectId = settings.neon().projectId();
    report.maxBackupAge = Formats.duration(settings.maxBackupAge());
    PhaseTimer phases = new PhaseTimer(listener, clock);
    Optional<Branch> testBranch = Optional.empty();
    try (NeonClient neon = new NeonClient(settings.neon(), neonOptions)) {
      record Selection(Backup backup, Project project) {}
      Selection selection =
          phases.run(
              Phase.SELECT_BACKUP,
              () -> {
                Project project = neon.getProject();
                return new Selection(
                    selectBackup(new BackupInventory(neon.listBranches())), project);
              },
              s ->
                  s.backup().branch().name()
                      + ", "
                      + Formats.duration(s.backup().age(clock.instant()))
                      + " old");
      Backup backup = selection.backup();
      report.backupBranchId = backup.branch().id();
      report.backupBranchName = backup.branch().name();
      report.backupTakenAt = backup.takenAt();
      report.backupAgeMinutes = backup.age(clock.instant()).toMinutes();
      Optional<PgClientTools> tools =
          settings.mode() == RestoreTestSettings.Mode.LOGICAL
              ? Optional.of(
                  PgClientTools.choose(
                      settings.pgBinDirectory(),
                      selection.project().pgVersion(),
                      selection.project().pgVersion()))
              : Optional.empty();

      CreatedBranch created =
          phases.run(
              Phase.CREATE_TEST_BRANCH,
              () -> createTestBranch(neon, backup, report.runId),
              b -> b.branch().name() + " (" + b.branch().id() + ") from " + backup.branch().name());
      testBranch = Optional.of(created.branch());
      report.testBranchId = created.branch().id();
      report.testBranchName = created.branch().name();
      PostgresUrl url =
          NeonConnections.url(
              neon, created.branch().id(), settings.neon().database(), settings.neon().role());
      report.connectHint =
          "psql \"host="
              + url.host()
              + " port="
              + url.port()
              + " dbname="
              + url.database()
              + " user="
              + url.user()
              + " sslmode=require\" (the password: Neon Console > branch "
              + created.branch().name()
              + " > Roles, or the API's reveal_password)";

      Optional<Manifest> manifest =
          phases.run(
              Phase.SMOKE_CHECKS,
              () -> smokeChecks(url, backup, report),
              m ->
                  (report.checks.size() - report.failedChecks())
                      + " of "
                      + report.checks.size()
                      + " checks passed");
      if (settings.assertionsFile().isPresent()) {
        phases.run(
            Phase.ASSERTIONS,
            () -> {
              String text =
                  Files.readString(settings.assertionsFile().get(), StandardCharsets.UTF_8);
              try (Connection connection = PgConnections.open(url, "the restore test branch")) {
                List<Check> results = SqlAssertions.run(connection, SqlAssertions.parse(text));
                report.checks.addAll(results);
                return results;
              }
            },
            r -> r.stream().filter(Check::passed).count() + " of " + r.size() + " assertions hold");
      }
      if (tools.isPresent() && manifest.isPresent()) {
        phases.run(
            Phase.LOGICAL_RESTORE,
            () -> {
              logicalRestore(neon, created.branch(), url, tools.get(), report);
              return null;
            },
            v ->
                Formats.bytes(report.logicalArchiveBytes)
                    + " out of Neon and back in; every table compared");
      }
      for (Endpoint endpoint : neon.listBranchEndpoints(created.branch().id())) {
        if (!"idle".equals(endpoint.currentState())) {
          neon.awaitOperations(neon.suspendEndpoint(endpoint.id()));
        }
      }
      if (report.failedChecks() > 0) {
        throw new SupaneonException(
            report.failedChecks()
                + " of "
                + report.checks.size()
                + " checks failed on backup "
                + backup.branch().name()
                + ": "
                + String.join(
                    "; ",
                    report.checks.stream()
                        .filter(c -> !c.passed())
                        .map(c -> c.name() + " (" + c.detail() + ")")
                        .limit(5)
                        .toList())
                + (report.failedChecks() > 5 ? "; ..." : ""));
      }
      phases.run(
          Phase.CLEANUP,
          () -> {
            neon.deleteBranch(created.branch().id()).ifPresent(neon::awaitOperations);
            return null;
          },
          v -> created.branch().name() + " deleted");
      report.finalState =
          "Backup "
              + backup.branch().name()
              + " restored and passed "
              + report.checks.size()
              + " checks; the test branch "
              + created.branch().name()
              + " was deleted.";
      return finish(report, phases, null);
    } catch (Exception e) {
      SupaneonException failure =
          e instanceof SupaneonException s
              ? s
              : new SupaneonException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      if (testBranch.isPresent()) {
        keepForInspection(testBranch.get(), report);
      }
      finish(report, phases, failure);
      throw new RestoreTestFailedException(failure.getMessage(), report, failure);
    }
  }

  private Backup selectBackup(BackupInventory inventory) {
    if (settings.backupBranch().isPresent()) {
      String wanted = settings.backupBranch().get();
      Branch branch =
          inventory
              .byIdOrName(wanted)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          Setting.BACKUP_BRANCH, "names a branch the project does not have"));
      if (!BackupInventory.isVerifiedBackup(branch)) {
        throw new ConfigException(
            Setting.BACKUP_BRANCH,
            "names "
                + branch.name()
                + ", which is not a verified backup (a backup-<UTC> branch without expiry)");
      }
      return new Backup(branch, TimestampedName.BACKUP.parse(branch.name()).orElseThrow());
    }
    return inventory
        .newestVerifiedBackup()
        .orElseThrow(
            () ->
                new SupaneonException(
                    "Neon project "
                        + settings.neon().projectId()
                        + " holds no verified backup (a branch named"
                        + " backup-<UTC> without expiry): there is nothing to restore. Run supaneon:backup first,"
                        + " and check that the scheduled backup job still runs."));
  }

  private CreatedBranch createTestBranch(NeonClient neon, Backup backup, String runId)
      throws InterruptedException {
    Instant expiry = clock.instant().plus(settings.runTimeout()).plus(EXPIRY_MARGIN);
    Map<String, String> annotation = new LinkedHashMap<>();
    annotation.put(NeonClient.RUN_ID_ANNOTATION, runId);
    annotation.put("supaneon-kind", "restore-test");
    for (int attempt = 0; ; attempt++) {
      String name = TimestampedName.RESTORE_TEST.format(clock.instant());
      try {
        CreatedBranch created =
            neon.createBranch(
                new BranchCreation(
                    name,
                    Optional.of(backup.branch().id()),
                    Optional.of(expiry),
                    true,
                    annotation));
        neon.awaitOperations(created.operations());
        return created;
      } catch (dev.supaneon.core.neon.NeonApiException e) {
        if (e.status() != 409 || attempt >= 5) {
          throw e;
        }
        Thread.sleep(1100);
      }
    }
  }

  private Optional<Manifest> smokeChecks(PostgresUrl url, Backup backup, RestoreTestReport report)
      throws SQLException {
    Duration age = backup.age(clock.instant());
    report.checks.add(
        new Check(
            "backup age",
            age.compareTo(settings.maxBackupAge()) <= 0,
            Formats.duration(age)
                + " old, limit "
                + Formats.duration(settings.maxBackupAge())
                + (age.compareTo(settings.maxBackupAge()) <= 0
                    ? ""
                    : ": the backup job may have stopped")));
    Connection connection;
    try {
      connection = PgConnections.open(url, "the restore test branch");
    } catch (RuntimeException e) {
      report.checks.add(new Check("connectivity", false, e.getMessage()));
      return Optional.empty();
    }
    try (connection) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT current_setting('server_version')")) {
        rows.next();
        report.checks.add(new Check("connectivity", true, "PostgreSQL " + rows.getString(1)));
      }
      Optional<ManifestStore.StoredManifest> stored = ManifestStore.read(connection);
      if (stored.isEmpty()) {
        report.checks.add(new Check("manifest", false, "schema supaneon holds no manifest"));
        return Optional.empty();
      }
      if (!stored.get().intact()) {
        report.checks.add(new Check("manifest", false, stored.get().problem()));
        return Optional.empty();
      }
      Manifest manifest = stored.get().manifest();
      report.checks.add(
          new Check(
              "manifest",
              true,
              "run "
                  + manifest.runId()
                  + ", "
                  + manifest.tables().size()
                  + " tables, archive sha256 "
                  + manifest.archiveSha256()));
      if (!backup.branch().name().equals(manifest.backupBranch())) {
        report.checks.add(
            new Check(
                "manifest belongs to this backup",
                false,
                "the manifest names " + manifest.backupBranch()));
      }
      Set<String> schemas = new HashSet<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
        while (rows.next()) {
          schemas.add(rows.getString(1));
        }
      }
      for (String schema : manifest.schemas()) {
        report.checks.add(
            new Check(
                "schema " + schema,
                schemas.contains(schema),
                schemas.contains(schema) ? "present" : "missing"));
      }
      Set<TableRef> present = new HashSet<>(Fingerprints.tablesIn(connection, manifest.schemas()));
      Fingerprints.pinSessionSettings(connection);
      for (Manifest.Table table : manifest.tables()) {
        TableRef ref = new TableRef(table.schema(), table.name());
        String name = "table " + ref.displayName();
        if (!present.contains(ref)) {
          report.checks.add(new Check(name, false, "missing"));
          continue;
        }
        long rows = Fingerprints.of(connection, ref, false).rowCount();
        boolean ok = rows == table.rows();
        report.checks.add(
            new Check(
                name, ok, rows + " rows" + (ok ? "" : ", the manifest says " + table.rows())));
        report.tableCount++;
        report.rowCount += rows;
      }
      return Optional.of(manifest);
    }
  }

  /**
   * Takes the backup out of Neon as a plain PostgreSQL client would (pg_dump of the test branch,
   * which is the backup, copy-on-write) and restores it into a fresh database; every table must
   * come back with the same rows and checksums.
   */
  private void logicalRestore(
      NeonClient neon,
      Branch branch,
      PostgresUrl backupUrl,
      PgClientTools tools,
      RestoreTestReport report)
      throws SQLException {
    neon.awaitOperations(
        neon.createDatabase(branch.id(), LOGICAL_DATABASE, settings.neon().role()));
    PostgresUrl fresh =
        NeonConnections.url(neon, branch.id(), LOGICAL_DATABASE, settings.neon().role());
    DumpRestorePipeline pipeline =
        new DumpRestorePipeline(
            tools,
            backupUrl,
            fresh,
            List.of(),
            listener,
            settings.runTimeout(),
            Duration.ofSeconds(5));
    DumpRestorePipeline.Result result = pipeline.run();
    report.logicalArchiveBytes = result.bytes();
    report.logicalArchiveSha256 = result.sha256();
    try (Connection original = PgConnections.open(backupUrl, "the restore test branch");
        Connection copy = PgConnections.open(fresh, "the logical restore database")) {
      Fingerprints.pinSessionSettings(original);
      Fingerprints.pinSessionSettings(copy);
      List<String> schemas = new ArrayList<>();
      try (Statement statement = original.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT nspname FROM pg_catalog.pg_namespace"
                      + " WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%'"
                      + " AND nspname NOT LIKE 'pg_temp%'")) {
        while (rows.next()) {
          schemas.add(rows.getString(1));
        }
      }
      Set<TableRef> copied = new HashSet<>(Fingerprints.tablesIn(copy, schemas));
      int compared = 0;
      List<String> mismatches = new ArrayList<>();
      for (TableRef table : Fingerprints.tablesIn(original, schemas)) {
        if (!copied.contains(table)) {
          mismatches.add(table.displayName() + " missing");
          continue;
        }
        TableFingerprint expected = Fingerprints.of(original, table, true);
        TableFingerprint actual = Fingerprints.of(copy, table, true);
        if (!expected.equals(actual)) {
          mismatches.add(
              table.displayName()
                  + ": "
                  + expected.rowCount()
                  + " rows became "
                  + actual.rowCount()
                  + (expected.checksum().equals(actual.checksum()) ? "" : ", checksums differ"));
        }
        compared++;
      }
      report.checks.add(
          new Check(
              "logical restore (pg_dump | pg_restore out of Neon)",
              mismatches.isEmpty(),
              mismatches.isEmpty()
                  ? compared
                      + " tables equal in rows and checksums, "
                      + Formats.bytes(result.bytes())
                  : String.join("; ", mismatches.stream().limit(5).toList())));
    }
  }

  private void keepForInspection(Branch branch, RestoreTestReport report) {
    try (NeonClient neon = new NeonClient(settings.neon(), neonOptions)) {
      neon.awaitOperations(neon.clearExpiry(branch.id()));
      report.testBranchKept = true;
      report.finalState =
          "The test branch "
              + branch.name()
              + " ("
              + branch.id()
              + ") is kept for inspection"
              + " (no expiry); delete it when done. Connect with: "
              + report.connectHint;
      listener.warn(
          "kept the test branch " + branch.name() + " for inspection: " + report.connectHint);
    } catch (RuntimeException e) {
      report.finalState =
          "The test branch "
              + branch.name()
              + " could not be kept ("
              + e.getMessage()
              + "); it expires by itself.";
    }
  }

  private RestoreTestReport finish(
      RestoreTestReport report, PhaseTimer phases, SupaneonException failure) {
    report.finishedAt = clock.instant();
    report.durationMs = Duration.between(report.startedAt, report.finishedAt).toMillis();
    report.phases = phases.timings();
    report.outcome = failure == null ? "passed" : "failed";
    if (failure != null) {
      report.failure = failure.getMessage();
      if (report.finalState == null) {
        report.finalState = "No test branch was created.";
      }
    }
    try {
      ReportWriter.Written written =
          ReportWriter.write(
              settings.reportDirectory(),
              "restore-test-report",
              report,
              RestoreTestSummary.markdown(report),
              environment);
      listener.info(
          "report: "
              + written.json().toAbsolutePath()
              + " and "
              + written.markdown().toAbsolutePath());
    } catch (IOException e) {
      listener.warn(
          "could not write the report to " + settings.reportDirectory() + ": " + e.getMessage());
    }
    return report;
  }
}
