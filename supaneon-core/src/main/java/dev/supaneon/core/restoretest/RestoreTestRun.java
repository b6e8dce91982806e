package dev.supaneon.core.restoretest;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.branch.TimestampedName;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreTestSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.manifest.Manifest;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonQuota;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.RestoreTestOutcome;
import dev.supaneon.core.report.RestoreTestReport;
import dev.supaneon.core.report.RestoreTestReport.Check;
import dev.supaneon.core.report.RestoreTestSummary;
import dev.supaneon.core.run.RunContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
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

  private final RestoreTestSettings settings;
  private final RunContext context;

  public RestoreTestRun(RestoreTestSettings settings, RunListener listener) {
    this(settings, RunContext.of(listener));
  }

  public RestoreTestRun(RestoreTestSettings settings, RunContext context) {
    this.settings = settings;
    this.context = context;
  }

  /** Runs the test; throws {@link RestoreTestFailedException} (with the report) when it fails. */
  public RestoreTestReport execute() {
    RestoreTestRecorder report = new RestoreTestRecorder();
    report.runId = UUID.randomUUID().toString();
    report.startedAt = context.clock().instant();
    report.mode = settings.mode().name().toLowerCase(java.util.Locale.ROOT);
    report.neonProjectId = settings.neon().projectId();
    report.maxBackupAge = Formats.duration(settings.maxBackupAge());
    PhaseTimer phases = new PhaseTimer(context.listener(), context.clock());
    Optional<Branch> testBranch = Optional.empty();
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
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
                      + Formats.duration(s.backup().age(context.clock().instant()))
                      + " old");
      Backup backup = selection.backup();
      BranchLifecycle branches = BranchLifecycle.of(neon, context.clock(), context.neonOptions());
      report.backupBranchId = backup.branch().id();
      report.backupBranchName = backup.branch().name();
      report.backupTakenAt = backup.takenAt();
      report.backupAgeMinutes = backup.age(context.clock().instant()).toMinutes();
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
              () ->
                  branches.create(
                      BranchLifecycle.Request.of(
                          TimestampedName.RESTORE_TEST,
                          backup.branch(),
                          branches.expiryFor(settings.runTimeout()),
                          report.runId)),
              b -> b.branch().name() + " (" + b.branch().id() + ") from " + backup.branch().name());
      testBranch = Optional.of(created.branch());
      report.testBranchId = created.branch().id();
      report.testBranchName = created.branch().name();
      PostgresUrl url =
          branches.connectionUrl(
              created.branch(), settings.neon().database(), settings.neon().role());
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
              () ->
                  new SmokeChecks(settings.maxBackupAge(), context.clock())
                      .run(url, backup, report),
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
              new LogicalRestoreCheck(neon, branches, settings, context.listener())
                  .run(created.branch(), url, tools.get(), report);
              return null;
            },
            v ->
                Formats.bytes(report.logicalArchiveBytes)
                    + " out of Neon and back in; every table compared");
      }
      branches.suspendEndpoints(created.branch());
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
            branches.delete(created.branch());
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
          NeonQuota.recognise(
              e instanceof SupaneonException s
                  ? s
                  : new SupaneonException(e.getClass().getSimpleName() + ": " + e.getMessage(), e));
      if (testBranch.isPresent()) {
        keepForInspection(testBranch.get(), report);
      }
      throw new RestoreTestFailedException(
          failure.getMessage(), finish(report, phases, failure), failure);
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
    return inventory.requireNewestVerifiedBackup(
        settings.neon().projectId(),
        "Run supaneon:backup first, and check that the scheduled backup job still runs.");
  }

  private void keepForInspection(Branch branch, RestoreTestRecorder report) {
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      BranchLifecycle.of(neon, context.clock(), context.neonOptions()).clearExpiry(branch);
      report.testBranchKept = true;
      report.finalState =
          "The test branch "
              + branch.name()
              + " ("
              + branch.id()
              + ") is kept for inspection"
              + " (no expiry); delete it when done. Connect with: "
              + report.connectHint;
      context
          .listener()
          .warn("kept the test branch " + branch.name() + " for inspection: " + report.connectHint);
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
      RestoreTestRecorder recorder, PhaseTimer phases, SupaneonException failure) {
    if (failure != null) {
      recorder.failure = failure.withSuggestion();
      if (recorder.finalState == null) {
        recorder.finalState = "No test branch was created.";
      }
    }
    RestoreTestReport report =
        recorder.toReport(
            failure == null ? RestoreTestOutcome.PASSED : RestoreTestOutcome.FAILED,
            context.clock().instant(),
            phases.timings());
    context.writeReport(
        settings.reportDirectory(),
        "restore-test-report",
        report,
        RestoreTestSummary.markdown(report));
    return report;
  }
}
