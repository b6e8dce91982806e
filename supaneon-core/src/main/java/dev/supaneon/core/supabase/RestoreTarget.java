package dev.supaneon.core.supabase;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.postgres.Identifiers;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.supabase.ResolvedScope.Dependent;
import dev.supaneon.core.supabase.ResolvedScope.ExtensionNeed;
import dev.supaneon.core.supabase.ResolvedScope.LeftOut;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prepares an empty target database for a restore by a role that is not a superuser, as on Neon:
 * roles that row-level security policies name are created {@code NOLOGIN} when missing, schemas
 * that hold needed extensions are created, and each needed extension is checked against what the
 * target server offers.
 */
public final class RestoreTarget {

  /** The scope as the target can take it, and what was done to the target. */
  public record Prepared(ResolvedScope scope, List<String> actions) {
    public Prepared {
      actions = List.copyOf(actions);
    }
  }

  private RestoreTarget() {}

  public static Prepared prepare(
      Connection target, ResolvedScope scope, boolean skipUnavailableExtensions)
      throws SQLException {
    List<String> actions = new ArrayList<>();
    // pg_dump --schema=public emits CREATE SCHEMA public; a new database already has an empty one.
    for (String schema : scope.schemas()) {
      if (exists(target, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", schema)) {
        try (Statement statement = target.createStatement()) {
          statement.execute("DROP SCHEMA " + Identifiers.quote(schema) + " RESTRICT");
          actions.add(
              "dropped the new database's empty schema "
                  + schema
                  + ", which the restore recreates");
        } catch (SQLException e) {
          throw new SupaneonException(
              "The target database is not empty: schema "
                  + schema
                  + " already holds objects ("
                  + e.getMessage()
                  + ")",
              e);
        }
      }
    }
    for (String role : scope.roles()) {
      if (exists(target, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", role)) {
        continue;
      }
      try (Statement statement = target.createStatement()) {
        statement.execute("CREATE ROLE " + Identifiers.quote(role) + " NOLOGIN");
        actions.add("created role " + role + " (NOLOGIN), named by row-level security policies");
      } catch (SQLException e) {
        throw new SupaneonException(
            "Could not create role "
                + role
                + ", which row-level security policies name: "
                + e.getMessage()
                + ". The Neon role (NEON_ROLE) needs CREATEROLE, as neondb_owner"
                + " has; or create the role on the parent branch first.",
            e);
      }
    }

    Set<String> available = new HashSet<>();
    try (Statement statement = target.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT name FROM pg_catalog.pg_available_extensions")) {
      while (rows.next()) {
        available.add(rows.getString(1));
      }
    }
    List<ExtensionNeed> kept = new ArrayList<>();
    Set<TableRef> leftOutTables = new LinkedHashSet<>(scope.tablesLeftOut());
    List<LeftOut> leftOut = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ExtensionNeed extension : scope.extensions()) {
      if (available.contains(extension.name())) {
        kept.add(extension);
        if (!scope.schemas().contains(extension.schema())) {
          try (Statement statement = target.createStatement()) {
            statement.execute(
                "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(extension.schema()));
          }
          actions.add(
              "created schema " + extension.schema() + " for extension " + extension.name());
        }
        continue;
      }
      if (extension.dependents().isEmpty()) {
        leftOut.add(
            new LeftOut(
                "extension",
                extension.name(),
                "the Neon server does not offer it and nothing backed up uses it"));
        continue;
      }
      boolean allInTables = extension.dependents().stream().allMatch(d -> d.table() != null);
      if (skipUnavailableExtensions && allInTables) {
        for (Dependent dependent : extension.dependents()) {
          if (leftOutTables.add(dependent.table())) {
            leftOut.add(
                new LeftOut(
                    "table",
                    dependent.table().displayName(),
                    "uses extension "
                        + extension.name()
                        + ", which the Neon server does not offer ("
                        + Setting.SKIP_UNAVAILABLE_EXTENSIONS.property()
                        + ")"));
          }
        }
        leftOut.add(
            new LeftOut("extension", extension.name(), "the Neon server does not offer it"));
        continue;
      }
      problems.add(
          extension.name()
              + " (used by "
              + String.join(
                  ", ",
                  extension.dependents().stream().map(Dependent::description).limit(10).toList())
              + (extension.dependents().size() > 10 ? ", ..." : "")
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new SupaneonException(
          "The Neon server does not offer extension(s) that backed-up objects need: "
              + String.join("; ", problems)
              + ". Enable them for the Neon project, leave the dependent schemas out"
              + " (supaneon.excludeSchemas), or set supaneon.skipUnavailableExtensions=true to leave"
              + " out the tables that use them.");
    }
    return new Prepared(scope.withTarget(kept, List.copyOf(leftOutTables), leftOut), actions);
  }

  private static boolean exists(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }
}
