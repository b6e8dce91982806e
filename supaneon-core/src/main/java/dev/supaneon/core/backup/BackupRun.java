package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.branch.TimestampedName;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.DataSize;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonQuota;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.BackupSummary;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.retention.RetentionPlan;
import dev.supaneon.core.retention.RetentionPlanner;
import dev.supaneon.core.retention.StoragePlanner;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.standby.StandbyRefresh;
import dev.supaneon.core.supabase.RestoreTarget;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One backup, in named phases: {@linkplain BackupPreflight preflight}, make room, a new {@code
 * backup-<UTC>} branch with an expiry, an empty target database, the {@linkplain SnapshotCopy copy}
 * of one snapshot of the source, {@linkplain CopyVerification verification} of every table, the
 * manifest, and one update that removes the expiry and so marks the backup verified; then suspend
 * and retention.
 *
 * <p>Stateless: everything it needs is in the settings and on Neon. A run that fails deletes its
 * branch; a run that dies leaves a branch whose expiry deletes it. Either way no verified backup
 * comes of it.
 */
public final class BackupRun {

  /** Keeps one branch free after a backup, for a restore test or a test branch. */
  static final int HEADROOM = 1;

  /** Neon's Free plan's storage per project, when Neon reports no limit. */
  static final DataSize FREE_PLAN_STORAGE = DataSize.ofMebibytes(512);

  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private Duration progressInterval = PROGRESS_INTERVAL;

  private final BackupSettings settings;
  private final RunContext context;

  public BackupRun(BackupSettings settings, RunListener listener) {
    this(settings, RunContext.of(listener));
  }

  public BackupRun(BackupSettings settings, RunContext context) {
    this.settings = settings;
    this.context = context;
  }

  /** How often the dump reports bytes; tests shorten it to act during the dump. */
  BackupRun withProgressInterval(Duration interval) {
    this.progressInterval = interval;
    return this;
  }

  /** Runs the backup; throws {@link BackupFailedException} (carrying the report) on failure. */
  public BackupReport execute() {
    BackupRecorder report = start();
    PhaseTimer phases = new PhaseTimer(context.listener(), context.clock());
    Instant deadline = report.startedAt.plus(settings.runTimeout());
    Optional<Branch> created = Optional.empty();
    boolean verified = false;
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      BranchLifecycle branches = BranchLifecycle.of(neon, context.clock(), context.neonOptions());
      BackupPreflight preflight =
          phases.run(
              Phase.PREFLIGHT,
              () -> BackupPreflight.check(settings, neon),
              BackupPreflight::summary);
      report.sourceServerVersion = preflight.source().version();
      report.pgToolsVersion = preflight.tools().version();
      report.parentBranch = preflight.parent().name();
      report.schemas = preflight.scope().schemas();
      if (settings.skipUnchanged() && !settings.dryRun()) {
        Optional<Backup> newest = preflight.inventory().newestVerifiedBackup();
        if (newest.isPresent()
            && new CurrentBackup(settings, context.listener(), branches)
                .confirm(newest.get(), preflight, phases, report)) {
          return finish(report, phases, null);
        }
      }
      RetentionPlanner planner =
          new RetentionPlanner(
              settings.retention(), preflight.branchLimit(), HEADROOM, settings.runTimeout());
      RetentionPlan countPrune =
          planner.beforeBackup(preflight.inventory(), context.clock().instant());
      StoragePlanner storage = RetentionSteps.storagePlanner(settings, preflight, planner);
      RetentionPlan storagePrune =
          RetentionSteps.makeRoomInStorage(storage, settings, preflight, countPrune, report);
      RetentionPlan prune = countPrune.and(storagePrune);

      RetentionSteps retention = new RetentionSteps(branches, context.listener(), context.clock());
      if (settings.dryRun()) {
        retention.dryRun(report, preflight, prune, planner);
        return finish(report, phases, null);
      }
      if (!storagePrune.fits()) {
        throw new SupaneonException(
            "Not enough storage for a new backup: "
                + storagePrune.explanation()
                + ". The source's tables in scope take "
                + new DataSize(preflight.sourceBytes())
                + "; nothing was created or deleted.",
            "Leave bulky rows out (supaneon.excludeTableData), keep fewer backups"
                + " (supaneon.keepDaily/keepWeekly/keepMonthly), delete branches you no longer"
                + " need, or move to a paid Neon plan and raise supaneon.storageBudget.",
            null);
      }
      if (!countPrune.fits()) {
        throw new SupaneonException(
            "No room for a new backup branch: " + countPrune.explanation(),
            "Delete branches you no longer need in the Neon Console, keep fewer backups"
                + " (supaneon.keepDaily/keepWeekly/keepMonthly), or raise the plan's branch limit.",
            null);
      }
      phases.run(
          Phase.PRUNE,
          () -> retention.deleteAll(prune, report, "deleted before the backup"),
          n -> n + " branch(es) deleted");

      CreatedBranch branch =
          phases.run(
              Phase.CREATE_BRANCH,
              () ->
                  branches.create(
                      BranchLifecycle.Request.of(
                          TimestampedName.BACKUP,
                          preflight.parent(),
                          deadline.plus(BranchLifecycle.EXPIRY_MARGIN),
                          report.runId)),
              b ->
                  b.branch().name()
                      + " ("
                      + b.branch().id()
                      + "), expires "
                      + b.branch().expiresAt());
      created = Optional.of(branch.branch());
      report.branchId = branch.branch().id();
      report.branchName = branch.branch().name();

      PostgresUrl target =
          phases.run(
              Phase.PREPARE_TARGET,
              () -> BackupTarget.emptyDatabase(settings.neon(), neon, branches, branch.branch()),
              t ->
                  "empty database "
                      + settings.neon().database()
                      + " owned by "
                      + settings.neon().role());
      RestoreTarget.Prepared prepared =
          phases.run(
              Phase.PREPARE_ROLES_AND_EXTENSIONS,
              () ->
                  BackupTarget.prepareRolesAndExtensions(
                      target,
                      preflight.scope(),
                      settings.scope().skipUnavailableExtensions(),
                      report),
              p ->
                  p.actions().size()
                      + " action(s), "
                      + p.scope().extensions().size()
                      + " extension(s) to create");

      List<CopiedTable> copied =
          new SnapshotCopy(
                  settings.source(),
                  settings.verifyChecksums(),
                  settings.jobs(),
                  context.listener(),
                  context.clock(),
                  progressInterval,
                  "the source database (SUPABASE_DATABASE_URL)")
              .run(preflight.tools(), prepared.scope(), target, phases, report, deadline);
      CopyVerification verification =
          new CopyVerification(settings.verifyChecksums(), context.listener(), progressInterval);
      phases.run(
          Phase.VERIFY,
          () -> {
            verification.verify(target, prepared.scope(), copied, report);
            return report;
          },
          verification::summary);
      report.verifyMs = phases.millis(Phase.VERIFY);

      phases.run(
          Phase.MANIFEST,
          () -> {
            BackupManifest.write(
                target,
                settings.source(),
                report,
                preflight,
                prepared.scope(),
                copied.stream().map(CopiedTable::source).toList());
            return null;
          },
          v -> "schema " + ManifestStore.SCHEMA + " in " + settings.neon().database());
      Branch finalized =
          phases.run(
              Phase.FINALIZE,
              () -> markVerified(branches, branch.branch()),
              b -> b.name() + " has no expiry: a verified backup");
      verified = true;
      report.finalState =
          "Verified backup "
              + finalized.name()
              + " ("
              + finalized.id()
              + ") in project "
              + settings.neon().projectId()
              + ": "
              + report.tableCount
              + " tables, "
              + report.rowCount
              + " rows, "
              + Formats.bytes(report.archiveBytes)
              + ".";

      phases.run(
          Phase.SUSPEND,
          () -> branches.suspendEndpoints(branch.branch()),
          n -> n + " endpoint(s) suspended");
      report.standby =
          phases.run(
              Phase.STANDBY,
              () ->
                  new StandbyRefresh(neon, branches, settings.neon(), context.listener())
                      .refresh(settings.standby(), finalized, preflight.parent(), report.runId),
              r -> r.action() + (r.branchName() == null ? "" : " " + r.branchName()));
      // One read serves both: retention's deletions change storage, not compute or transfer.
      Project project = neon.getProject();
      phases.run(
          Phase.RETENTION,
          () -> retention.afterBackup(planner, storage, project, report),
          n -> n + " branch(es) deleted");
      report.usage =
          StatusReport.PlanUsage.againstFreePlan(
              project.consumptionPeriodStart(),
              project.computeTimeSeconds(),
              project.dataTransferBytes());
      return finish(report, phases, null);
    } catch (Exception e) {
      SupaneonException failure = asFailure(e);
      if (created.isPresent() && !verified) {
        cleanUpFailedBranch(created.get(), report);
      } else if (verified) {
        report.finalState += " But the run failed afterwards: " + failure.getMessage();
      }
      BackupReport failed = finish(report, phases, failure);
      throw new BackupFailedException(failure.getMessage(), failed, failure);
    }
  }

  private BackupRecorder start() {
    BackupRecorder report = new BackupRecorder();
    report.runId = UUID.randomUUID().toString();
    report.startedAt = context.clock().instant();
    report.sourceHost = settings.source().host();
    report.sourcePort = settings.source().port();
    report.sourceDatabase = settings.source().database();
    report.sourceUser = settings.source().user();
    report.neonProjectId = settings.neon().projectId();
    report.targetDatabase = settings.neon().database();
    report.checksumsCompared = settings.verifyChecksums();
    return report;
  }

  /** One update removes the expiry; the branch read back must be a verified backup. */
  private static Branch markVerified(BranchLifecycle branches, Branch branch) {
    Branch current = branches.clearExpiry(branch);
    if (!BackupInventory.isVerifiedBackup(current)) {
      throw new SupaneonException(
          "the backup branch " + branch.name() + " is not a verified backup after its update");
    }
    return current;
  }

  private void cleanUpFailedBranch(Branch branch, BackupRecorder report) {
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      BranchLifecycle.of(neon, context.clock(), context.neonOptions()).delete(branch);
      report.finalState =
          "No backup was made: the unfinished branch " + branch.name() + " was deleted.";
      context.listener().info("deleted the unfinished branch " + branch.name());
    } catch (RuntimeException e) {
      report.finalState =
          "No backup was made. The unfinished branch "
              + branch.name()
              + " could not be deleted now; it expires by itself and is never taken for a backup.";
      context
          .listener()
          .warn("could not delete the unfinished branch " + branch.name() + ": " + e.getMessage());
    }
  }

  private BackupReport finish(
      BackupRecorder recorder, PhaseTimer phases, SupaneonException failure) {
    BackupOutcome outcome;
    if (failure != null) {
      outcome = BackupOutcome.FAILED;
      recorder.failure = failure.withSuggestion();
      if (recorder.finalState == null) {
        recorder.finalState = "No backup was made; nothing was created.";
      }
    } else {
      outcome =
          settings.dryRun()
              ? BackupOutcome.DRY_RUN
              : recorder.confirmedCurrent
                  ? BackupOutcome.CONFIRMED_CURRENT
                  : BackupOutcome.VERIFIED;
    }
    BackupReport report = recorder.toReport(outcome, context.clock().instant(), phases.timings());
    context.writeReport(
        settings.reportDirectory(), "backup-report", report, BackupSummary.markdown(report));
    return report;
  }

  private SupaneonException asFailure(Exception e) {
    // A plan limit can surface anywhere: in pg_restore's output, a session, an API answer.
    return NeonQuota.recognise(asSupaneonFailure(e));
  }

  private SupaneonException asSupaneonFailure(Exception e) {
    if (e instanceof SupaneonException supaneon) {
      return supaneon;
    }
    if (e instanceof SQLException sql) {
      return new SupaneonException(
          "Database error: " + settings.source().password().scrub(sql.getMessage()), sql);
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new SupaneonException("The run was interrupted", e);
    }
    return new SupaneonException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
