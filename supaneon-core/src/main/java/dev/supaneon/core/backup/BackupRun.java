package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.Endpoint;
import dev.supaneon.core.neon.NeonApiException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.BranchCreation;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.neon.Operation;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.DumpRestorePipeline;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.ServerInfo;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.BackupSummary;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.ReportWriter;
import dev.supaneon.core.retention.RetentionPlan;
import dev.supaneon.core.retention.RetentionPlanner;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.RestoreTarget;
import dev.supaneon.core.supabase.ScopeResolver;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One backup: preflight, a new {@code backup-<UTC>} branch with an expiry, an empty target
 * database, a snapshot of the source, {@code pg_dump | pg_restore}, verification of every table,
 * the manifest, and one update that removes the expiry and so marks the backup verified; then
 * retention.
 *
 * <p>Stateless: everything it needs is in the settings and on Neon. A run that fails deletes its
 * branch; a run that dies leaves a branch whose expiry deletes it. Either way no verified backup
 * comes of it.
 */
public final class BackupRun {

  /** Keeps one branch free after a backup, for a restore test or a test branch. */
  static final int HEADROOM = 1;

  private static final Duration EXPIRY_MARGIN = Duration.ofHours(1);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private Duration progressInterval = PROGRESS_INTERVAL;

  private final BackupSettings settings;
  private final RunListener listener;
  private final Clock clock;
  private final NeonClient.Options neonOptions;
  private final Map<String, String> environment;

  public BackupRun(BackupSettings settings, RunListener listener) {
    this(settings, listener, Clock.systemUTC(), NeonClient.Options.defaults(), System.getenv());
  }

  public BackupRun(
      BackupSettings settings,
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

  /** How often the dump reports bytes; tests shorten it to act during the dump. */
  BackupRun withProgressInterval(Duration interval) {
    this.progressInterval = interval;
    return this;
  }

  /** What preflight found out, before anything was made. */
  private record Preflight(
      ServerInfo source,
      ResolvedScope scope,
      Project project,
      PgClientTools tools,
      BackupInventory inventory,
      Branch parent,
      int branchLimit) {}

  /** Runs the backup; throws {@link BackupFailedException} (carrying the report) on failure. */
  public BackupReport execute() {
    BackupReport report = new BackupReport();
    report.runId = UUID.randomUUID().toString();
    report.startedAt = clock.instant();
    report.sourceHost = settings.source().host();
    report.sourcePort = settings.source().port();
    report.sourceDatabase = settings.source().database();
    report.sourceUser = settings.source().user();
    report.neonProjectId = settings.neon().projectId();
    report.targetDatabase = settings.neon().database();
    report.checksumsCompared = settings.verifyChecksums();
    PhaseTimer phases = new PhaseTimer(listener, clock);
    Instant deadline = report.startedAt.plus(settings.runTimeout());
    Optional<Branch> created = Optional.empty();
    boolean verified = false;
    try (NeonClient neon = new NeonClient(settings.neon(), neonOptions)) {
      Preflight preflight =
          phases.run(
              Phase.PREFLIGHT,
              () -> preflight(neon),
              p ->
                  "source PostgreSQL "
                      + p.source().version()
                      + ", Neon PostgreSQL "
                      + p.project().pgVersion()
                      + ", pg_dump "
                      + p.tools().version()
                      + ", "
                      + p.inventory().branches().size()
                      + " of "
                      + p.branchLimit()
                      + " branches in use, "
                      + p.scope().schemas().size()
                      + " schema(s)");
      report.sourceServerVersion = preflight.source().version();
      report.pgToolsVersion = preflight.tools().version();
      report.parentBranch = preflight.parent().name();
      report.schemas = preflight.scope().schemas();
      RetentionPlanner planner =
          new RetentionPlanner(
              settings.retention(), preflight.branchLimit(), HEADROOM, settings.runTimeout());
      RetentionPlan prune = planner.beforeBackup(preflight.inventory(), clock.instant());

      if (settings.dryRun()) {
        dryRun(report, preflight, prune, planner);
        return finish(report, phases, null);
      }
      if (!prune.fits()) {
        throw new SupaneonException("No room for a new backup branch: " + prune.explanation());
      }
      phases.run(
          Phase.PRUNE,
          () -> deleteAll(neon, prune, report, "deleted before the backup"),
          n -> n + " branch(es) deleted");

      CreatedBranch branch =
          phases.run(
              Phase.CREATE_BRANCH,
              () -> createBranch(neon, preflight.parent(), report.runId, deadline),
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
              () -> prepareEmptyDatabase(neon, branch.branch()),
              t ->
                  "empty database "
                      + settings.neon().database()
                      + " owned by "
                      + settings.neon().role());

      RestoreTarget.Prepared prepared =
          phases.run(
              Phase.PREPARE_ROLES_AND_EXTENSIONS,
              () -> {
                try (Connection connection =
                    PgConnections.open(target, "the backup branch's database")) {
                  report.targetServerVersion = ServerInfo.of(connection).version();
                  return RestoreTarget.prepare(
                      connection, preflight.scope(), settings.scope().skipUnavailableExtensions());
                }
              },
              p ->
                  p.actions().size()
                      + " action(s), "
                      + p.scope().extensions().size()
                      + " extension(s) to create");
      report.targetActions.addAll(prepared.actions());
      prepared
          .scope()
          .leftOut()
          .forEach(
              l -> report.leftOut.add(new BackupReport.LeftOut(l.kind(), l.name(), l.reason())));

      List<TableFingerprint> source =
          dumpAndRestore(preflight, prepared.scope(), target, phases, report, deadline);
      verify(target, prepared.scope(), source, phases, report);

      phases.run(
          Phase.MANIFEST,
          () -> {
            writeManifest(target, report, preflight, prepared.scope(), source);
            return null;
          },
          v -> "schema " + ManifestStore.SCHEMA + " in " + settings.neon().database());

      Branch finalized =
          phases.run(
              Phase.FINALIZE,
              () -> finalizeBackup(neon, branch.branch()),
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
          Phase.SUSPEND, () -> suspend(neon, branch.branch()), n -> n + " endpoint(s) suspended");
      phases.run(
          Phase.RETENTION,
          () -> {
            BackupInventory after = new BackupInventory(neon.listBranches());
            return deleteAll(neon, planner.afterBackup(after, clock.instant()), report, "deleted");
          },
          n -> n + " branch(es) deleted");
      return finish(report, phases, null);
    } catch (Exception e) {
      SupaneonException failure = asFailure(e);
      if (created.isPresent() && !verified) {
        cleanUpFailedBranch(created.get(), report);
      } else if (verified) {
        report.finalState += " But the run failed afterwards: " + failure.getMessage();
      }
      finish(report, phases, failure);
      throw new BackupFailedException(failure.getMessage(), report, failure);
    }
  }

  private Preflight preflight(NeonClient neon) throws SQLException {
    ServerInfo sourceServer;
    ResolvedScope scope;
    try (Connection source =
        PgConnections.open(settings.source(), "the source database (SUPABASE_DATABASE_URL)")) {
      sourceServer = ServerInfo.of(source);
      scope = ScopeResolver.resolve(source, settings.scope());
    }
    Project project = neon.getProject();
    PgClientTools tools =
        PgClientTools.choose(
            settings.pgBinDirectory(), sourceServer.majorVersion(), project.pgVersion());
    BackupInventory inventory = new BackupInventory(neon.listBranches());
    Branch parent;
    if (settings.neon().parentBranch().isPresent()) {
      String wanted = settings.neon().parentBranch().get();
      parent =
          inventory
              .byIdOrName(wanted)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          Setting.NEON_PARENT_BRANCH,
                          "names a branch the project does not have; give an existing branch's id or name, or unset it to use the"
                              + " default branch"));
    } else {
      parent =
          inventory
              .defaultBranch()
              .orElseThrow(() -> new SupaneonException("The Neon project has no default branch"));
    }
    if (parent.expiry().isPresent()) {
      throw new ConfigException(
          Setting.NEON_PARENT_BRANCH,
          "names a branch with an expiry, and Neon creates no branch from an expiring one; use a"
              + " branch without expiry, such as the default branch");
    }
    int limit =
        settings.branchLimit().isPresent()
            ? settings.branchLimit().getAsInt()
            : project.branchesLimit().orElse(10);
    return new Preflight(sourceServer, scope, project, tools, inventory, parent, limit);
  }

  private void dryRun(
      BackupReport report, Preflight preflight, RetentionPlan prune, RetentionPlanner planner) {
    for (RetentionPlan.Decision decision : prune.deletions()) {
      report.retention.add(
          new BackupReport.RetentionAction(
              decision.branch().id(),
              decision.branch().name(),
              "would delete before the backup",
              decision.reason()));
    }
    // Plan the second pass on the project as the run would leave it: pruned, with the new backup.
    Instant now = clock.instant();
    Branch newBackup =
        new Branch(
            "(new)",
            TimestampedName.BACKUP.format(now),
            preflight.parent().id(),
            "ready",
            null,
            false,
            false,
            now,
            now,
            null,
            Map.of(NeonClient.RUN_ID_ANNOTATION, report.runId));
    BackupInventory projected =
        preflight
            .inventory()
            .projected(
                prune.deletions().stream().map(RetentionPlan.Decision::branch).toList(), newBackup);
    for (RetentionPlan.Decision decision : planner.afterBackup(projected, now).deletions()) {
      report.retention.add(
          new BackupReport.RetentionAction(
              decision.branch().id(),
              decision.branch().name(),
              "would delete after the backup",
              decision.reason()));
    }
    preflight
        .scope()
        .leftOut()
        .forEach(l -> report.leftOut.add(new BackupReport.LeftOut(l.kind(), l.name(), l.reason())));
    report.finalState =
        "Dry run: nothing was created or deleted. A backup would be made from branch "
            + preflight.parent().name()
            + " as "
            + TimestampedName.BACKUP.format(clock.instant())
            + (prune.fits() ? "" : "; but " + prune.explanation())
            + ".";
  }

  private int deleteAll(NeonClient neon, RetentionPlan plan, BackupReport report, String action) {
    int deleted = 0;
    for (RetentionPlan.Decision decision : plan.deletions()) {
      Optional<List<Operation>> operations = neon.deleteBranch(decision.branch().id());
      operations.ifPresent(neon::awaitOperations);
      report.retention.add(
          new BackupReport.RetentionAction(
              decision.branch().id(), decision.branch().name(), action, decision.reason()));
      listener.info(
          "retention: deleted " + decision.branch().name() + " (" + decision.reason() + ")");
      deleted++;
    }
    for (RetentionPlan.Decision decision : plan.kept()) {
      report.retention.add(
          new BackupReport.RetentionAction(
              decision.branch().id(), decision.branch().name(), "kept", decision.reason()));
    }
    return deleted;
  }

  /**
   * Creates the branch, with an expiry so that a dead run's branch deletes itself. Two runs in the
   * same second collide on the name (409): the later one takes the next second.
   */
  private CreatedBranch createBranch(NeonClient neon, Branch parent, String runId, Instant deadline)
      throws InterruptedException {
    Instant expiry = deadline.plus(EXPIRY_MARGIN);
    Map<String, String> annotation = new LinkedHashMap<>();
    annotation.put(NeonClient.RUN_ID_ANNOTATION, runId);
    annotation.put("supaneon-kind", "backup");
    for (int attempt = 0; ; attempt++) {
      String name = TimestampedName.BACKUP.format(clock.instant());
      try {
        CreatedBranch created =
            neon.createBranch(
                new BranchCreation(
                    name, Optional.of(parent.id()), Optional.of(expiry), true, annotation));
        neon.awaitOperations(created.operations());
        return created;
      } catch (NeonApiException e) {
        if (e.status() != 409 || attempt >= 5) {
          throw e;
        }
        listener.info(
            "branch " + name + " exists already (another run this second); taking the next second");
        Thread.sleep(1100);
      }
    }
  }

  /** Replaces the branch's copy of the parent's database with an empty one. */
  private PostgresUrl prepareEmptyDatabase(NeonClient neon, Branch branch) {
    String database = settings.neon().database();
    String role = settings.neon().role();
    if (neon.listRoles(branch.id()).stream().noneMatch(r -> r.name().equals(role))) {
      throw new ConfigException(
          Setting.NEON_ROLE,
          "names role '"
              + role
              + "', which the parent branch does not have; create it in the Neon"
              + " Console or use neondb_owner");
    }
    neon.deleteDatabase(branch.id(), database).ifPresent(neon::awaitOperations);
    neon.awaitOperations(neon.createDatabase(branch.id(), database, role));
    return NeonConnections.url(neon, branch.id(), database, role);
  }

  private List<TableFingerprint> dumpAndRestore(
      Preflight preflight,
      ResolvedScope scope,
      PostgresUrl target,
      PhaseTimer phases,
      BackupReport report,
      Instant deadline)
      throws Exception {
    try (Connection snapshotConnection =
        PgConnections.open(settings.source(), "the source database (SUPABASE_DATABASE_URL)")) {
      record Snapshot(String id, Instant at, List<TableRef> tables, long largeObjects) {}
      Snapshot snapshot =
          phases.run(
              Phase.SNAPSHOT,
              () -> {
                snapshotConnection.setAutoCommit(false);
                try (Statement statement = snapshotConnection.createStatement()) {
                  statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                  try (ResultSet rows =
                      statement.executeQuery(
                          "SELECT pg_catalog.pg_export_snapshot(), now(),"
                              + " (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)")) {
                    rows.next();
                    return new Snapshot(
                        rows.getString(1),
                        rows.getObject(2, OffsetDateTime.class).toInstant(),
                        Fingerprints.tablesIn(snapshotConnection, scope.schemas()),
                        rows.getLong(3));
                  }
                }
              },
              s -> "snapshot " + s.id() + " at " + s.at() + ", " + s.tables().size() + " table(s)");
      report.snapshotAt = snapshot.at();
      report.largeObjects = snapshot.largeObjects();
      Set<TableRef> leftOut = new HashSet<>(scope.tablesLeftOut());
      List<TableRef> tables = snapshot.tables().stream().filter(t -> !leftOut.contains(t)).toList();

      // Fingerprints are read in the exported snapshot while pg_dump reads the same snapshot.
      CompletableFuture<List<TableFingerprint>> fingerprints = new CompletableFuture<>();
      Thread fingerprinter =
          new Thread(
              () -> {
                try {
                  fingerprints.complete(
                      phases.run(
                          Phase.SOURCE_FINGERPRINT,
                          () -> {
                            Fingerprints.pinSessionSettings(snapshotConnection);
                            timeoutStatements(snapshotConnection, deadline);
                            List<TableFingerprint> result = new ArrayList<>();
                            TableProgress progress =
                                new TableProgress(Phase.SOURCE_FINGERPRINT, tables.size());
                            for (TableRef table : tables) {
                              result.add(
                                  Fingerprints.of(
                                      snapshotConnection, table, settings.verifyChecksums()));
                              progress.tableDone();
                            }
                            return result;
                          },
                          r ->
                              r.size()
                                  + " table(s), "
                                  + r.stream().mapToLong(TableFingerprint::rowCount).sum()
                                  + " row(s)"));
                } catch (Throwable t) {
                  fingerprints.completeExceptionally(t);
                }
              },
              "supaneon-source-fingerprint");
      fingerprinter.setDaemon(true);
      fingerprinter.start();

      List<String> dumpArguments = new ArrayList<>();
      dumpArguments.add("--snapshot=" + snapshot.id());
      dumpArguments.addAll(scope.dumpArguments());
      if (snapshot.largeObjects() > 0) {
        // With --schema, pg_dump leaves large objects out unless asked: they are data too.
        dumpArguments.add("--blobs");
      }
      DumpRestorePipeline pipeline =
          new DumpRestorePipeline(
              preflight.tools(),
              settings.source(),
              target,
              dumpArguments,
              listener,
              Duration.between(clock.instant(), deadline),
              progressInterval);
      DumpRestorePipeline.Result piped;
      try {
        piped =
            phases.run(
                Phase.DUMP_RESTORE,
                pipeline::run,
                r ->
                    Formats.bytes(r.bytes())
                        + " in "
                        + Formats.duration(r.elapsed())
                        + ", sha256 "
                        + r.sha256());
      } catch (Exception e) {
        cancel(snapshotConnection);
        throw e;
      }
      report.archiveBytes = piped.bytes();
      report.archiveSha256 = piped.sha256();
      report.dumpRestoreMs = piped.elapsed().toMillis();
      try {
        List<TableFingerprint> result = fingerprints.get();
        report.sourceFingerprintMs = phases.millis(Phase.SOURCE_FINGERPRINT);
        return result;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        snapshotConnection.rollback();
      }
    }
  }

  private void verify(
      PostgresUrl target,
      ResolvedScope scope,
      List<TableFingerprint> source,
      PhaseTimer phases,
      BackupReport report)
      throws Exception {
    Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
    phases.run(
        Phase.VERIFY,
        () -> {
          try (Connection connection = PgConnections.open(target, "the backup branch's database")) {
            Fingerprints.pinSessionSettings(connection);
            Set<TableRef> restored =
                new HashSet<>(Fingerprints.tablesIn(connection, scope.schemas()));
            TableProgress progress = new TableProgress(Phase.VERIFY, source.size());
            for (TableFingerprint expected : source) {
              TableRef table = expected.table();
              boolean dataIncluded = !withoutData.contains(table);
              boolean ok;
              if (!restored.contains(table)) {
                report.mismatches.add(table.displayName() + ": missing from the restored database");
                ok = false;
              } else {
                TableFingerprint actual =
                    Fingerprints.of(connection, table, settings.verifyChecksums() && dataIncluded);
                if (dataIncluded) {
                  ok = expected.matches(actual);
                  if (!ok) {
                    report.mismatches.add(
                        table.displayName()
                            + ": source "
                            + expected.rowCount()
                            + " rows"
                            + expected.checksum().map(c -> " checksum " + c).orElse("")
                            + ", restored "
                            + actual.rowCount()
                            + " rows"
                            + actual.checksum().map(c -> " checksum " + c).orElse(""));
                  }
                } else {
                  ok = actual.rowCount() == 0;
                  if (!ok) {
                    report.mismatches.add(
                        table.displayName()
                            + ": rows were to be left out but "
                            + actual.rowCount()
                            + " arrived");
                  }
                }
              }
              report.tables.add(
                  new BackupReport.TableResult(
                      table.schema(),
                      table.name(),
                      expected.rowCount(),
                      expected.checksum().orElse(null),
                      dataIncluded,
                      ok));
              progress.tableDone();
            }
            if (report.largeObjects > 0) {
              long restoredLargeObjects =
                  count(connection, "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata");
              if (restoredLargeObjects != report.largeObjects) {
                report.mismatches.add(
                    "large objects: source "
                        + report.largeObjects
                        + ", restored "
                        + restoredLargeObjects);
              }
            }
            report.tableCount = source.size();
            report.rowCount =
                source.stream()
                    .filter(f -> !withoutData.contains(f.table()))
                    .mapToLong(TableFingerprint::rowCount)
                    .sum();
          }
          if (!report.mismatches.isEmpty()) {
            report.verification = "failed";
            throw new SupaneonException(
                "Verification failed: "
                    + report.mismatches.size()
                    + " table(s) differ between the source and the restored copy: "
                    + String.join("; ", report.mismatches.stream().limit(5).toList())
                    + (report.mismatches.size() > 5 ? "; ..." : ""));
          }
          report.verification = "passed";
          return null;
        },
        v ->
            report.tableCount
                + " table(s), "
                + report.rowCount
                + " row(s) match"
                + (settings.verifyChecksums() ? " in counts and checksums" : " in counts"));
    report.verifyMs = phases.millis(Phase.VERIFY);
  }

  private void writeManifest(
      PostgresUrl target,
      BackupReport report,
      Preflight preflight,
      ResolvedScope scope,
      List<TableFingerprint> source)
      throws SQLException {
    Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
    List<Manifest.Table> tables =
        source.stream()
            .map(
                f ->
                    new Manifest.Table(
                        f.table().schema(),
                        f.table().name(),
                        withoutData.contains(f.table()) ? 0 : f.rowCount(),
                        f.checksum().orElse(null),
                        !withoutData.contains(f.table())))
            .toList();
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            report.runId,
            report.branchName,
            report.snapshotAt,
            report.startedAt,
            settings.source().host(),
            settings.source().database(),
            preflight.source().version(),
            report.targetServerVersion,
            preflight.tools().version(),
            report.archiveBytes,
            report.archiveSha256,
            scope.schemas(),
            tables,
            withoutData.stream().map(TableRef::displayName).sorted().toList());
    try (Connection connection = PgConnections.open(target, "the backup branch's database")) {
      ManifestStore.write(connection, manifest);
    }
  }

  /** One update removes the expiry; the branch is read back to confirm it is a verified backup. */
  private Branch finalizeBackup(NeonClient neon, Branch branch) {
    neon.awaitOperations(neon.clearExpiry(branch.id()));
    Branch current =
        neon.findBranch(branch.id())
            .orElseThrow(
                () -> new SupaneonException("the backup branch " + branch.name() + " disappeared"));
    if (!BackupInventory.isVerifiedBackup(current)) {
      throw new SupaneonException(
          "the backup branch " + branch.name() + " still has an expiry after it was cleared");
    }
    return current;
  }

  private int suspend(NeonClient neon, Branch branch) {
    int suspended = 0;
    for (Endpoint endpoint : neon.listBranchEndpoints(branch.id())) {
      if (!"idle".equals(endpoint.currentState())) {
        neon.awaitOperations(neon.suspendEndpoint(endpoint.id()));
        suspended++;
      }
    }
    return suspended;
  }

  private void cleanUpFailedBranch(Branch branch, BackupReport report) {
    try (NeonClient neon = new NeonClient(settings.neon(), neonOptions)) {
      neon.deleteBranch(branch.id()).ifPresent(neon::awaitOperations);
      report.finalState =
          "No backup was made: the unfinished branch " + branch.name() + " was deleted.";
      listener.info("deleted the unfinished branch " + branch.name());
    } catch (RuntimeException e) {
      report.finalState =
          "No backup was made. The unfinished branch "
              + branch.name()
              + " could not be deleted now; it expires by itself and is never taken for a backup.";
      listener.warn(
          "could not delete the unfinished branch " + branch.name() + ": " + e.getMessage());
    }
  }

  private BackupReport finish(BackupReport report, PhaseTimer phases, SupaneonException failure) {
    report.finishedAt = clock.instant();
    report.durationMs = Duration.between(report.startedAt, report.finishedAt).toMillis();
    report.phases = phases.timings();
    if (failure != null) {
      report.outcome = "failed";
      report.failure = failure.getMessage();
      if (report.finalState == null) {
        report.finalState = "No backup was made; nothing was created.";
      }
    } else if (report.outcome == null) {
      report.outcome = settings.dryRun() ? "dry-run" : "verified";
    }
    try {
      ReportWriter.Written written =
          ReportWriter.write(
              settings.reportDirectory(),
              "backup-report",
              report,
              BackupSummary.markdown(report),
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

  /**
   * Reports tables done every few seconds, so a long fingerprint or verification shows progress.
   */
  private final class TableProgress {
    private final Phase phase;
    private final int total;
    private final long started = System.nanoTime();
    private long nextReport = System.nanoTime() + progressInterval.toNanos();
    private int done;

    TableProgress(Phase phase, int total) {
      this.phase = phase;
      this.total = total;
    }

    void tableDone() {
      done++;
      long now = System.nanoTime();
      if (now >= nextReport && done < total) {
        listener.info(
            "["
                + phase.label()
                + "] "
                + done
                + " of "
                + total
                + " tables after "
                + Formats.duration(Duration.ofNanos(now - started)));
        nextReport = now + progressInterval.toNanos();
      }
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private void timeoutStatements(Connection connection, Instant deadline) throws SQLException {
    long millis = Math.max(1000, Duration.between(clock.instant(), deadline).toMillis());
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET statement_timeout = " + millis);
    }
  }

  private static void cancel(Connection connection) {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  private SupaneonException asFailure(Exception e) {
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
