package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SourceScope;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonQuota;
import dev.supaneon.core.postgres.Identifiers;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.ServerInfo;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.report.RestoreReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.standby.Standby;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.RestoreTarget;
import dev.supaneon.core.supabase.ScopeResolver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code supaneon:restore}, for fail-back and rebuilds: copies a Neon branch (by default the
 * promoted standby, so writes made during a failover come back; else the newest verified backup)
 * into any PostgreSQL database, with the same engine as a backup: one snapshot of the branch, the
 * Supabase-aware scope, version checks, {@code pg_dump | pg_restore} and the table-by-table
 * verification. The target must hold nothing in the restored schemas, unless {@code
 * supaneon.targetClean=true} drops it first.
 */
public final class RestoreRun {

  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private final RestoreSettings settings;
  private final RunContext context;

  public RestoreRun(RestoreSettings settings, RunListener listener) {
    this(settings, RunContext.of(listener));
  }

  public RestoreRun(RestoreSettings settings, RunContext context) {
    this.settings = settings;
    this.context = context;
  }

  /** The branch to copy and what it is. */
  private record Source(Branch branch, String kind, PostgresUrl url) {}

  /** Runs the restore; throws {@link RestoreFailedException} (with the report) on failure. */
  public RestoreReport execute() {
    BackupRecorder report = new BackupRecorder();
    report.runId = UUID.randomUUID().toString();
    report.startedAt = context.clock().instant();
    report.checksumsCompared = settings.verifyChecksums();
    PhaseTimer phases = new PhaseTimer(context.listener(), context.clock());
    Instant deadline = report.startedAt.plus(settings.runTimeout());
    Optional<Source> chosen = Optional.empty();
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      Source source =
          phases.run(
              Phase.SELECT_BACKUP,
              () -> source(neon),
              s -> s.branch().name() + " (" + s.kind() + ")");
      chosen = Optional.of(source);
      record Checked(ResolvedScope scope, PgClientTools tools) {}
      Checked checked =
          phases.run(
              Phase.PREFLIGHT,
              () -> {
                ResolvedScope scope;
                int sourceMajor;
                try (Connection branch = PgConnections.open(source.url(), "the source branch")) {
                  sourceMajor = ServerInfo.of(branch).majorVersion();
                  scope = ScopeResolver.resolve(branch, withoutManifest(settings.scope()));
                }
                int targetMajor;
                try (Connection target =
                    PgConnections.open(settings.target(), "the target (SUPANEON_TARGET_URL)")) {
                  ServerInfo server = ServerInfo.of(target);
                  report.targetServerVersion = server.version();
                  targetMajor = server.majorVersion();
                  makeRoom(target, scope.schemas(), report);
                }
                return new Checked(
                    scope,
                    PgClientTools.choose(settings.pgBinDirectory(), sourceMajor, targetMajor));
              },
              c -> c.scope().schemas().size() + " schema(s), pg_dump " + c.tools().version());
      report.pgToolsVersion = checked.tools().version();
      report.schemas = checked.scope().schemas();
      RestoreTarget.Prepared prepared =
          phases.run(
              Phase.PREPARE_ROLES_AND_EXTENSIONS,
              () -> {
                try (Connection target =
                    PgConnections.open(settings.target(), "the target (SUPANEON_TARGET_URL)")) {
                  return RestoreTarget.prepare(
                      target, checked.scope(), settings.scope().skipUnavailableExtensions());
                }
              },
              p -> p.actions().size() + " action(s)");
      report.targetActions.addAll(prepared.actions());
      report.addLeftOut(prepared.scope());
      List<CopiedTable> copied =
          new SnapshotCopy(
                  source.url(),
                  settings.verifyChecksums(),
                  settings.jobs(),
                  context.listener(),
                  context.clock(),
                  PROGRESS_INTERVAL,
                  "the source branch")
              .run(checked.tools(), prepared.scope(), settings.target(), phases, report, deadline);
      CopyVerification verification =
          new CopyVerification(settings.verifyChecksums(), context.listener(), PROGRESS_INTERVAL);
      phases.run(
          Phase.VERIFY,
          () -> {
            verification.verify(settings.target(), prepared.scope(), copied, report);
            return report;
          },
          verification::summary);
      report.finalState =
          "Restored "
              + source.branch().name()
              + " into "
              + settings.target().host()
              + "/"
              + settings.target().database()
              + ": "
              + report.tableCount
              + " tables, "
              + report.rowCount
              + " rows, every one verified.";
      return finish(report, phases, chosen, null);
    } catch (Exception e) {
      SupaneonException failure =
          NeonQuota.recognise(
              e instanceof SupaneonException s
                  ? s
                  : new SupaneonException(
                      e.getClass().getSimpleName()
                          + ": "
                          + settings.target().password().scrub(String.valueOf(e.getMessage())),
                      e));
      if (report.finalState == null) {
        report.finalState =
            report.copyStarted
                ? "The target holds an incomplete or unverified copy: do not use it; run the"
                    + " restore again with supaneon.targetClean=true."
                : "Nothing was restored.";
      }
      RestoreReport failed = finish(report, phases, chosen, failure);
      throw new RestoreFailedException(failure.getMessage(), failed, failure);
    }
  }

  private Source source(NeonClient neon) {
    BackupInventory inventory = new BackupInventory(neon.listBranches());
    Branch branch;
    String kind;
    if (settings.restoreFrom().isPresent()) {
      branch =
          inventory
              .byIdOrName(settings.restoreFrom().get())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          Setting.RESTORE_FROM, "names a branch the project does not have"));
      kind = BackupInventory.isVerifiedBackup(branch) ? "verified backup" : "named branch";
    } else {
      Optional<Standby> promoted =
          Standby.find(inventory.branches(), settings.standby().branchName())
              .filter(Standby::promoted);
      if (promoted.isPresent()) {
        branch = promoted.get().branch();
        kind = "promoted standby";
      } else {
        branch =
            inventory
                .requireNewestVerifiedBackup(
                    settings.neon().projectId(),
                    "Name the branch to restore with supaneon.restoreFrom, or run supaneon:backup.")
                .branch();
        kind = "newest verified backup";
      }
    }
    PostgresUrl url =
        BranchLifecycle.of(neon, context.clock(), context.neonOptions())
            .connectionUrl(branch, settings.neon().database(), settings.neon().role());
    return new Source(branch, kind, url);
  }

  /** The branch's manifest is supaneon's bookkeeping, not the application's data. */
  private static SourceScope withoutManifest(SourceScope scope) {
    List<String> excluded = new ArrayList<>(scope.excludeSchemas());
    excluded.add(ManifestStore.SCHEMA);
    return new SourceScope(
        scope.includeSchemas(),
        excluded,
        scope.excludeTableData(),
        scope.includeTableData(),
        scope.skipUnavailableExtensions());
  }

  /**
   * Refuses a target that holds anything in the schemas to restore, naming it; with {@code
   * targetClean}, drops those schemas instead.
   */
  private void makeRoom(Connection target, List<String> schemas, BackupRecorder report)
      throws SQLException {
    List<String> present = new ArrayList<>();
    try (var statement =
        target.prepareStatement(
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname = ANY (?)"
                + " ORDER BY 1, 2")) {
      statement.setArray(1, target.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getString(1) + "." + rows.getString(2));
        }
      }
    }
    if (present.isEmpty()) {
      return;
    }
    if (!settings.targetClean()) {
      throw new ConfigException(
          Setting.TARGET_URL,
          "names a database that is not empty: it holds "
              + present.size()
              + " relation(s) in the schemas to restore ("
              + String.join(", ", present.stream().limit(10).toList())
              + (present.size() > 10 ? ", ..." : "")
              + "). Nothing was changed. Restore into an empty database, or set"
              + " supaneon.targetClean=true to drop those schemas first");
    }
    try (Statement statement = target.createStatement()) {
      for (String schema : schemas) {
        statement.execute("DROP SCHEMA IF EXISTS " + Identifiers.quote(schema) + " CASCADE");
        report.targetActions.add("dropped schema " + schema + " (supaneon.targetClean=true)");
      }
    }
  }

  private RestoreReport finish(
      BackupRecorder recorder,
      PhaseTimer phases,
      Optional<Source> source,
      SupaneonException failure) {
    Instant finished = context.clock().instant();
    if (failure != null) {
      recorder.failure = failure.withSuggestion();
    }
    RestoreReport report =
        new RestoreReport(
            recorder.runId,
            recorder.startedAt,
            finished,
            Duration.between(recorder.startedAt, finished).toMillis(),
            failure == null ? Verification.PASSED : Verification.FAILED,
            recorder.failure,
            recorder.finalState,
            settings.neon().projectId(),
            source.map(s -> s.branch().id()).orElse(null),
            source.map(s -> s.branch().name()).orElse(null),
            source.map(Source::kind).orElse(null),
            settings.target().host(),
            settings.target().port(),
            settings.target().database(),
            settings.target().user(),
            recorder.pgToolsVersion,
            recorder.snapshotAt,
            recorder.archiveBytes,
            recorder.archiveSha256,
            recorder.tableCount,
            recorder.rowCount,
            recorder.mismatches,
            recorder.tables,
            recorder.leftOut,
            recorder.targetActions,
            phases.timings());
    context.writeReport(
        settings.reportDirectory(), "restore-report", report, RecoverySummary.restore(report));
    return report;
  }
}
