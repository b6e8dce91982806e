package dev.supaneon.core.backup;

import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.ServerInfo;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.RestoreTarget;
import java.sql.Connection;
import java.sql.SQLException;

/** The backup branch's database made ready for the copy: empty, with its roles and extensions. */
final class BackupTarget {

  private BackupTarget() {}

  /** Replaces the branch's copy of the parent's database with an empty one. */
  static PostgresUrl emptyDatabase(
      NeonSettings settings, NeonClient neon, BranchLifecycle branches, Branch branch) {
    String database = settings.database();
    String role = settings.role();
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
    return branches.connectionUrl(branch, database, role);
  }

  /** Creates what the scope needs in the empty database and records what it did and left out. */
  static RestoreTarget.Prepared prepareRolesAndExtensions(
      PostgresUrl target,
      ResolvedScope scope,
      boolean skipUnavailableExtensions,
      BackupRecorder report)
      throws SQLException {
    RestoreTarget.Prepared prepared;
    try (Connection connection = PgConnections.open(target, "the backup branch's database")) {
      report.targetServerVersion = ServerInfo.of(connection).version();
      prepared = RestoreTarget.prepare(connection, scope, skipUnavailableExtensions);
    }
    report.targetActions.addAll(prepared.actions());
    report.addLeftOut(prepared.scope());
    return prepared;
  }
}
