package dev.supaneon.core.manifest;

import java.time.Instant;
import java.util.List;

/**
 * What a verified backup holds and how it was made, stored in the backup itself (schema {@code
 * supaneon}) so that any copy of the backup carries its own description.
 */
public record Manifest(
    int format,
    String runId,
    String backupBranch,
    Instant snapshotAt,
    Instant startedAt,
    String sourceHost,
    String sourceDatabase,
    String sourceServerVersion,
    String targetServerVersion,
    String pgDumpVersion,
    long archiveBytes,
    String archiveSha256,
    List<String> schemas,
    List<Table> tables,
    List<String> tablesWithoutData) {

  public static final int FORMAT = 1;

  /** One table: its rows and checksum at the snapshot, and whether its rows were backed up. */
  public record Table(
      String schema, String name, long rows, String checksum, boolean dataIncluded) {}

  public Manifest {
    schemas = List.copyOf(schemas);
    tables = List.copyOf(tables);
    tablesWithoutData = List.copyOf(tablesWithoutData);
  }

  public long totalRows() {
    return tables.stream().mapToLong(Table::rows).sum();
  }
}
