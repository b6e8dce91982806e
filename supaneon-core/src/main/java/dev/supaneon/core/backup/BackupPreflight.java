package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.ServerInfo;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.ScopeResolver;
import java.sql.Connection;
import java.sql.SQLException;

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
    int branchLimit) {

  static BackupPreflight check(BackupSettings settings, NeonClient neon) throws SQLException {
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
    Branch parent = parent(settings, inventory);
    int limit =
        settings.branchLimit().isPresent()
            ? settings.branchLimit().getAsInt()
            : project.branchesLimit().orElse(10);
    return new BackupPreflight(sourceServer, scope, project, tools, inventory, parent, limit);
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
        + " schema(s)";
  }
}
