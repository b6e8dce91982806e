package dev.supaneon.core.supabase;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SourceScope;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.supabase.ResolvedScope.Dependent;
import dev.supaneon.core.supabase.ResolvedScope.ExtensionNeed;
import dev.supaneon.core.supabase.ResolvedScope.LeftOut;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the configured scope against the source's catalog: which schemas and tables, which rows
 * are left out, which roles and extensions the restore needs, and what is left out and why.
 * Everything is decided before the dump, so a scope problem fails the run before anything is made.
 */
public final class ScopeResolver {

  private ScopeResolver() {}

  public static ResolvedScope resolve(Connection source, SourceScope settings) throws SQLException {
    try (Statement statement = source.createStatement()) {
      // Catalog descriptions then name every object with its schema.
      statement.execute("SET search_path = ''");
    }
    List<String> allSchemas = new ArrayList<>();
    try (Statement statement = source.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1")) {
      while (rows.next()) {
        if (!SupabaseDefaults.isSystemSchema(rows.getString(1))) {
          allSchemas.add(rows.getString(1));
        }
      }
    }
    List<NamePattern> includes = NamePattern.all(settings.includeSchemas());
    List<NamePattern> excludes = NamePattern.all(settings.excludeSchemas());
    for (NamePattern include : includes) {
      if (allSchemas.stream().noneMatch(include::matches)) {
        throw new ConfigException(
            Setting.INCLUDE_SCHEMAS,
            "names '" + include.text() + "', which matches no schema of the source");
      }
    }
    List<String> schemas = new ArrayList<>();
    List<LeftOut> leftOut = new ArrayList<>();
    for (String schema : allSchemas) {
      String reason;
      if (!includes.isEmpty() && !NamePattern.anyMatches(includes, schema)) {
        reason = "not in " + Setting.INCLUDE_SCHEMAS.property();
      } else if (includes.isEmpty() && SupabaseDefaults.MANAGED_SCHEMAS.contains(schema)) {
        reason = "managed by Supabase; Neon cannot or need not hold it";
      } else if (NamePattern.anyMatches(excludes, schema)) {
        reason = "excluded by " + Setting.EXCLUDE_SCHEMAS.property();
      } else {
        schemas.add(schema);
        continue;
      }
      leftOut.add(new LeftOut("schema", schema, reason));
    }
    if (schemas.contains(ManifestStore.SCHEMA)) {
      throw new SupaneonException(
          "The source has a schema named '"
              + ManifestStore.SCHEMA
              + "', which supaneon writes its"
              + " manifest into. Rename it, or leave it out with supaneon.excludeSchemas=supaneon.");
    }
    if (schemas.isEmpty()) {
      throw new ConfigException(
          Setting.INCLUDE_SCHEMAS,
          "leaves no schema to back up; check supaneon.includeSchemas and supaneon.excludeSchemas");
    }

    List<TableRef> tables = tables(source, schemas);
    List<NamePattern> noData = new ArrayList<>(NamePattern.all(SupabaseDefaults.VOLATILE_TABLES));
    noData.addAll(NamePattern.all(settings.excludeTableData()));
    List<NamePattern> keepData = NamePattern.all(settings.includeTableData());
    List<TableRef> withoutData = new ArrayList<>();
    for (TableRef table : tables) {
      String name = table.displayName();
      if (NamePattern.anyMatches(noData, name) && !NamePattern.anyMatches(keepData, name)) {
        withoutData.add(table);
        boolean byDefault =
            NamePattern.anyMatches(NamePattern.all(SupabaseDefaults.VOLATILE_TABLES), name);
        leftOut.add(
            new LeftOut(
                "table data",
                name,
                byDefault
                    ? "short-lived or secret rows (sessions, tokens, audit trail); structure kept. Keep"
                        + " them with "
                        + Setting.INCLUDE_TABLE_DATA.property()
                    : "excluded by " + Setting.EXCLUDE_TABLE_DATA.property() + "; structure kept"));
      }
    }
    ScopeDependencies.requireNoReferencesIntoMissingRows(source, withoutData);
    ScopeDependencies.requireNoDependenciesOnLeftOutSchemas(source, schemas);

    try (Statement statement = source.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT evtname FROM pg_catalog.pg_event_trigger ORDER BY 1")) {
      while (rows.next()) {
        leftOut.add(
            new LeftOut(
                "event trigger",
                rows.getString(1),
                "event triggers need a superuser to create; Neon's roles are not superusers"));
      }
    }
    try (Statement statement = source.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT pubname FROM pg_catalog.pg_publication ORDER BY 1")) {
      while (rows.next()) {
        leftOut.add(
            new LeftOut(
                "publication",
                rows.getString(1),
                "a logical replication publication (for example Supabase Realtime's) is not data;"
                    + " recreate it on the standby if you fail over"));
      }
    }
    try (PreparedStatement statement =
        source.prepareStatement(
            "SELECT provider, objtype, objname FROM pg_catalog.pg_seclabels"
                + " WHERE objnamespace IN (SELECT oid FROM pg_catalog.pg_namespace"
                + " WHERE nspname = ANY (?)) ORDER BY 1, 2, 3")) {
      statement.setArray(1, source.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          leftOut.add(
              new LeftOut(
                  "security label",
                  rows.getString(2) + " " + rows.getString(3),
                  "label provider '"
                      + rows.getString(1)
                      + "' (for example pgsodium) is not loaded on Neon; restored without it"));
        }
      }
    }
    return new ResolvedScope(
        schemas,
        withoutData,
        List.of(),
        leftOut,
        policyRoles(source, schemas),
        extensions(source, schemas, leftOut));
  }

  private static List<TableRef> tables(Connection source, List<String> schemas)
      throws SQLException {
    try (PreparedStatement statement =
        source.prepareStatement(
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?) ORDER BY 1, 2")) {
      statement.setArray(1, textArray(source, schemas));
      try (ResultSet rows = statement.executeQuery()) {
        List<TableRef> tables = new ArrayList<>();
        while (rows.next()) {
          tables.add(new TableRef(rows.getString(1), rows.getString(2)));
        }
        return tables;
      }
    }
  }

  /** Roles named by row-level security policies on backed-up tables ({@code TO authenticated}). */
  private static List<String> policyRoles(Connection source, List<String> schemas)
      throws SQLException {
    try (PreparedStatement statement =
        source.prepareStatement(
            "SELECT DISTINCT r.rolname FROM pg_catalog.pg_policy p"
                + " JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL unnest(p.polroles) AS role_oid"
                + " JOIN pg_catalog.pg_roles r ON r.oid = role_oid"
                + " WHERE role_oid <> 0 AND n.nspname = ANY (?) ORDER BY 1")) {
      statement.setArray(1, textArray(source, schemas));
      try (ResultSet rows = statement.executeQuery()) {
        List<String> roles = new ArrayList<>();
        while (rows.next()) {
          roles.add(rows.getString(1));
        }
        return roles;
      }
    }
  }

  /**
   * Extensions to create on the target: those installed in a backed-up schema, those in {@code
   * extensions} that are not Supabase's own, and any that backed-up objects depend on.
   */
  private static List<ExtensionNeed> extensions(
      Connection source, List<String> schemas, List<LeftOut> leftOut) throws SQLException {
    Map<String, List<Dependent>> dependents = new LinkedHashMap<>();
    try (PreparedStatement statement =
        source.prepareStatement(
            "WITH deps AS ("
                + " SELECT e.extname, pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) AS what,"
                + " CASE d.classid"
                + "   WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN d.objid"
                + "   WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT adrelid FROM pg_catalog.pg_attrdef WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT NULLIF(conrelid, 0) FROM pg_catalog.pg_constraint WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (SELECT tgrelid FROM pg_catalog.pg_trigger WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN (SELECT polrelid FROM pg_catalog.pg_policy WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = d.objid)"
                + " END AS relation,"
                + " CASE d.classid"
                + "   WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = d.objid)"
                + "   WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT connamespace FROM pg_catalog.pg_constraint WHERE oid = d.objid)"
                + " END AS namespace"
                + " FROM pg_catalog.pg_depend d"
                + " JOIN pg_catalog.pg_depend m ON m.classid = d.refclassid AND m.objid = d.refobjid"
                + "   AND m.deptype = 'e' AND m.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass"
                + " JOIN pg_catalog.pg_extension e ON e.oid = m.refobjid"
                + " WHERE d.deptype = 'n')"
                + " SELECT DISTINCT deps.extname, deps.what, rn.nspname, r.relname"
                + " FROM deps LEFT JOIN pg_catalog.pg_class r ON r.oid = deps.relation"
                + " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace"
                + " WHERE coalesce(r.relnamespace, deps.namespace) IN"
                + "   (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY (?))"
                + " ORDER BY 1, 2")) {
      statement.setArray(1, textArray(source, schemas));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          TableRef table =
              rows.getString(3) == null ? null : new TableRef(rows.getString(3), rows.getString(4));
          dependents
              .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(new Dependent(rows.getString(2), table));
        }
      }
    }
    List<ExtensionNeed> needs = new ArrayList<>();
    try (Statement statement = source.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ORDER BY 1")) {
      while (rows.next()) {
        String name = rows.getString(1);
        String schema = rows.getString(2);
        if (name.equals("plpgsql")) {
          continue;
        }
        boolean used = dependents.containsKey(name);
        boolean inScope = schemas.contains(schema);
        boolean userFacing =
            schema.equals("extensions") && !SupabaseDefaults.PLATFORM_EXTENSIONS.contains(name);
        if (used || inScope || userFacing) {
          needs.add(new ExtensionNeed(name, schema, dependents.getOrDefault(name, List.of())));
        } else {
          leftOut.add(
              new LeftOut(
                  "extension", name, "installed in " + schema + "; nothing backed up uses it"));
        }
      }
    }
    return needs;
  }

  static Array textArray(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray());
  }
}
