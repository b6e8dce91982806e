package dev.supaneon.core.supabase;

import static dev.supaneon.core.postgres.Identifiers.exactPattern;

import dev.supaneon.core.postgres.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The source's scope, resolved against its catalog: the schemas to back up, the tables whose rows
 * are left out, what must exist on the target before the restore (roles, extensions), and what is
 * left out and why, for the report.
 */
public record ResolvedScope(
    List<String> schemas,
    List<TableRef> tablesWithoutData,
    List<TableRef> tablesLeftOut,
    List<LeftOut> leftOut,
    List<String> roles,
    List<ExtensionNeed> extensions) {

  /** Something of the source the backup does not hold, and why. */
  public record LeftOut(String kind, String name, String reason) {}

  /**
   * An extension the backed-up objects need; the dump creates it on the target ({@code pg_dump
   * --extension}).
   *
   * @param dependents in-scope objects that use it (empty when it is only installed in a backed-up
   *     schema or in {@code extensions})
   */
  public record ExtensionNeed(String name, String schema, List<Dependent> dependents) {
    public ExtensionNeed {
      dependents = List.copyOf(dependents);
    }
  }

  /** An object that uses an extension, and the table it belongs to, if it belongs to one. */
  public record Dependent(String description, TableRef table) {}

  /** The same scope with these extensions, tables and left-out entries. */
  public ResolvedScope withTarget(
      List<ExtensionNeed> availableExtensions,
      List<TableRef> leftOutTables,
      List<LeftOut> moreLeftOut) {
    List<LeftOut> allLeftOut = new ArrayList<>(leftOut);
    allLeftOut.addAll(moreLeftOut);
    return new ResolvedScope(
        schemas, tablesWithoutData, leftOutTables, allLeftOut, roles, availableExtensions);
  }

  public ResolvedScope {
    schemas = List.copyOf(schemas);
    tablesWithoutData = List.copyOf(tablesWithoutData);
    tablesLeftOut = List.copyOf(tablesLeftOut);
    leftOut = List.copyOf(leftOut);
    roles = List.copyOf(roles);
    extensions = List.copyOf(extensions);
  }

  /** pg_dump arguments that select exactly this scope: exact-name patterns, never wildcards. */
  public List<String> dumpArguments() {
    List<String> arguments = new ArrayList<>();
    for (String schema : schemas) {
      arguments.add("--schema=" + exactPattern(schema));
    }
    for (TableRef table : tablesWithoutData) {
      arguments.add(
          "--exclude-table-data="
              + exactPattern(table.schema())
              + "."
              + exactPattern(table.name()));
    }
    for (ExtensionNeed extension : extensions) {
      arguments.add("--extension=" + exactPattern(extension.name()));
    }
    for (TableRef table : tablesLeftOut) {
      arguments.add(
          "--exclude-table=" + exactPattern(table.schema()) + "." + exactPattern(table.name()));
    }
    return arguments;
  }
}
