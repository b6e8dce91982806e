package dev.supaneon.core.backup;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.DataSize;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.ServerInfo;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.ScopeResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The first phase of a backup: everything is checked and nothing is made. The source answers and
 * its scope resolves, client tools of the right version exist, the Neon project and the parent
 * branch are there.
 */
record BackupPreflight(
    ServerInfo source,
    ResolvedScope scope,
    Project project,
    PgClientTools tools,
    BackupInventory inventory,
    Branch parent,
    int branchLimit,
    long sourceBytes) {

  /**
   * What a database holds before any table: the catalogs of a fresh PostgreSQL database, about 7.5
   * MiB, rounded up. A restored backup costs this beside its tables.
   */
  static final long DATABASE_OVERHEAD_BYTES = 8L * 1024 * 1024;

  static BackupPreflight check(BackupSettings settings, NeonClient neon)
      throws SQLException, InterruptedException {
    // Neon's side is round trips to its API, the source's a TLS login and catalog queries, the
    // tools' a few --version processes: they overlap, and each side's errors stay its own.
    ExecutorService neonSide =
        Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-preflight"));
    ExecutorService toolSide =
        Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-preflight-tools"));
    try {
      Future<Project> project = neonSide.submit(neon::getProject);
      Future<BackupInventory> branches =
          neonSide.submit(() -> new BackupInventory(neon.listBranches()));
      Future<List<PgClientTools>> toolsFound =
          toolSide.submit(() -> PgClientTools.candidates(settings.pgBinDirectory()));
      ServerInfo sourceServer;
      ResolvedScope scope;
      long sourceBytes;
      try (Connection source =
          PgConnections.open(settings.source(), "the source database (SUPABASE_DATABASE_URL)")) {
        sourceServer = ServerInfo.of(source);
        scope = ScopeResolver.resolve(source, settings.scope());
        sourceBytes = inScopeBytes(source, scope);
      }
      Project neonProject = result(project);
      PgClientTools tools =
          PgClientTools.choose(
              result(toolsFound),
              settings.pgBinDirectory(),
              sourceServer.majorVersion(),
              neonProject.pgVersion());
      BackupInventory inventory = result(branches);
      Branch parent = parent(settings, inventory);
      int limit =
          settings.branchLimit().isPresent()
              ? settings.branchLimit().getAsInt()
              : neonProject.branchesLimit().orElse(10);
      return new BackupPreflight(
          sourceServer, scope, neonProject, tools, inventory, parent, limit, sourceBytes);
    } finally {
      neonSide.shutdownNow();
      toolSide.shutdownNow();
    }
  }

  private static <T> T result(Future<T> call) throws InterruptedException {
    try {
      return call.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new SupaneonException(
          "Neon's API could not be read (" + e.getCause().getClass().getSimpleName() + ")",
          e.getCause());
    }
  }

  /**
   * The in-scope tables with their indexes and TOAST, as the source stores them; tables whose rows
   * are left out count nothing. A fresh restore is usually smaller (no dead rows), so this errs on
   * the safe side.
   */
  static long inScopeBytes(Connection source, ResolvedScope scope) throws SQLException {
    try (PreparedStatement statement =
        source.prepareStatement(
            "SELECT n.nspname, c.relname, pg_total_relation_size(c.oid)"
                + " FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'm') AND n.nspname = ANY (?)")) {
      statement.setArray(1, source.createArrayOf("text", scope.schemas().toArray()));
      Set<TableRef> withoutData = Set.copyOf(scope.tablesWithoutData());
      long total = 0;
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          if (!withoutData.contains(new TableRef(rows.getString(1), rows.getString(2)))) {
            total += rows.getLong(3);
          }
        }
      }
      return total;
    }
  }

  /** What the new backup is expected to add to the project's storage. */
  long estimatedBackupBytes() {
    return sourceBytes + DATABASE_OVERHEAD_BYTES;
  }

  private static Branch parent(BackupSettings settings, BackupInventory inventory) {
    Branch parent;
    if (settings.neon().parentBranch().isPresent()) {
      parent =
          inventory
              .byIdOrName(settings.neon().parentBranch().get())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          Setting.NEON_PARENT_BRANCH,
                          "names a branch the project does not have; give an existing branch's id"
                              + " or name, or unset it to use the default branch"));
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
    return parent;
  }

  /** The line logged when preflight passes. */
  String summary() {
    return "source PostgreSQL "
        + source.version()
        + ", Neon PostgreSQL "
        + project.pgVersion()
        + ", pg_dump "
        + tools.version()
        + ", "
        + inventory.branches().size()
        + " of "
        + branchLimit
        + " branches in use, "
        + scope.schemas().size()
        + " schema(s), "
        + new DataSize(sourceBytes)
        + " in scope";
  }
}
