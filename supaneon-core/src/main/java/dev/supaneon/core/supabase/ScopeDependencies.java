package dev.supaneon.core.supabase;

import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.postgres.Identifiers;
import dev.supaneon.core.postgres.TableRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks that what a scope leaves out leaves nothing behind that needs it: no foreign key into rows
 * whose data is left out, no object that depends on a left-out schema.
 */
final class ScopeDependencies {

  private ScopeDependencies() {}

  /**
   * A kept row that references a left-out row would make the restore fail when the foreign key is
   * added: refuse that before anything is made.
   */
  static void requireNoReferencesIntoMissingRows(Connection source, List<TableRef> withoutData)
      throws SQLException {
    if (withoutData.isEmpty()) {
      return;
    }
    List<String> excluded = withoutData.stream().map(TableRef::displayName).toList();
    try (PreparedStatement statement =
        source.prepareStatement(
            "SELECT fn.nspname, fc.relname, tn.nspname, tc.relname,"
                + " (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a"
                + "   WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey))"
                + " FROM pg_catalog.pg_constraint con"
                + " JOIN pg_catalog.pg_class fc ON fc.oid = con.conrelid"
                + " JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
                + " JOIN pg_catalog.pg_class tc ON tc.oid = con.confrelid"
                + " JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace"
                + " WHERE con.contype = 'f' AND (tn.nspname || '.' || tc.relname) = ANY (?)"
                + " AND NOT ((fn.nspname || '.' || fc.relname) = ANY (?))")) {
      Array names = ScopeResolver.textArray(source, excluded);
      statement.setArray(1, names);
      statement.setArray(2, names);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          TableRef from = new TableRef(rows.getString(1), rows.getString(2));
          String to = rows.getString(3) + "." + rows.getString(4);
          String[] columns = (String[]) rows.getArray(5).getArray();
          StringBuilder notNull = new StringBuilder();
          for (String column : columns) {
            notNull
                .append(notNull.length() == 0 ? "" : " AND ")
                .append(Identifiers.quote(column))
                .append(" IS NOT NULL");
          }
          try (Statement probe = source.createStatement();
              ResultSet found =
                  probe.executeQuery(
                      "SELECT EXISTS (SELECT 1 FROM "
                          + from.quoted()
                          + " WHERE "
                          + notNull
                          + ")")) {
            found.next();
            if (found.getBoolean(1)) {
              throw new ConfigException(
                  Setting.EXCLUDE_TABLE_DATA,
                  "leaves out the rows of "
                      + to
                      + ", but rows of "
                      + from.displayName()
                      + " reference them, so the restore would fail on the foreign key. Keep "
                      + to
                      + "'s rows (supaneon.includeTableData="
                      + to
                      + ") or leave out "
                      + from.displayName()
                      + "'s rows too (supaneon.excludeTableData)");
            }
          }
        }
      }
    }
  }

  /** The schema of the object a pg_depend row points at, for the catalogs objects live in. */
  private static String namespaceOf(String classColumn, String idColumn) {
    return "CASE "
        + classColumn
        + " WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT connamespace FROM pg_catalog.pg_constraint WHERE oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_attrdef a JOIN pg_catalog.pg_class c ON c.oid = a.adrelid WHERE a.oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE t.oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE p.oid = "
        + idColumn
        + ")"
        + " WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE r.oid = "
        + idColumn
        + ")"
        + " END";
  }

  /**
   * A backed-up object that uses an object of a left-out schema (a view over realtime.messages, a
   * trigger calling supabase_functions.http_request, a foreign key into vault) would make the
   * restore fail half-way: name them all before anything is made. Extension members are not
   * counted: the extensions are created on the target.
   */
  static void requireNoDependenciesOnLeftOutSchemas(Connection source, List<String> schemas)
      throws SQLException {
    String sql =
        "SELECT DISTINCT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid),"
            + " pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid), rn.nspname"
            + " FROM pg_catalog.pg_depend d"
            + " JOIN pg_catalog.pg_namespace rn ON rn.oid = ("
            + namespaceOf("d.refclassid", "d.refobjid")
            + ")"
            + " WHERE d.deptype = 'n'"
            + " AND ("
            + namespaceOf("d.classid", "d.objid")
            + ") IN"
            + "   (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY (?))"
            + " AND NOT (rn.nspname = ANY (?))"
            + " AND rn.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m WHERE m.classid = d.refclassid"
            + "   AND m.objid = d.refobjid AND m.deptype = 'e')"
            + " ORDER BY 1 LIMIT 20";
    try (PreparedStatement statement = source.prepareStatement(sql)) {
      statement.setArray(1, ScopeResolver.textArray(source, schemas));
      statement.setArray(2, ScopeResolver.textArray(source, schemas));
      List<String> problems = new ArrayList<>();
      TreeSet<String> leftOutSchemas = new TreeSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          problems.add(rows.getString(1) + " uses " + rows.getString(2));
          leftOutSchemas.add(rows.getString(3));
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(
            Setting.INCLUDE_SCHEMAS,
            "leaves out schema(s) "
                + leftOutSchemas
                + " that backed-up objects use, so the restore"
                + " would fail: "
                + String.join("; ", problems)
                + ". Include those schemas (supaneon.includeSchemas), leave the dependent objects'"
                + " schemas out (supaneon.excludeSchemas), or drop the dependent objects"
                + (leftOutSchemas.contains("supabase_functions")
                    ? " (database webhooks live in supabase_functions and need pg_net, which Neon"
                        + " does not run: remove the webhook triggers from the tables you back up)"
                    : ""));
      }
    }
  }
}
