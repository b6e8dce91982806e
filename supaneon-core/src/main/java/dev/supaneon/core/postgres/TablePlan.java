package dev.supaneon.core.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table's copy: its columns, its size, the ranges of heap pages its streams copy, and what the
 * streams have seen so far. Ranges are {@code ctid} bounds, which PostgreSQL 14 and later scan
 * without reading the rest of the table; older servers get one stream per table.
 */
final class TablePlan {

  /** Tables of twice this size and more are split, in parts of about this size. */
  static final long PART_BYTES = 16L * 1024 * 1024;

  /** PostgreSQL 14: TID range scans. */
  static final int TID_RANGE_SCANS = 140000;

  /** PostgreSQL 12: {@code pg_partition_root}. */
  static final int PARTITION_ROOT = 120000;

  /** True for a partition tree (top's alias {@code rc}) without a foreign table in it. */
  static final String NO_FOREIGN_PARTITION =
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partition_tree(rc.oid) p"
          + " JOIN pg_catalog.pg_class f ON f.oid = p.relid WHERE f.relkind = 'f')";

  /**
   * True for a table (alias {@code c}) with an object whose statistics ANALYZE gathers but that
   * pg_dump puts in post-data: an expression index, or an extended statistics object on it or on
   * the top of its partition tree (alias {@code rc}).
   */
  static final String STATISTICS_NEED_POST_DATA =
      "(EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
          + " WHERE i.indrelid = c.oid AND i.indexprs IS NOT NULL)"
          + " OR EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s"
          + "   WHERE s.stxrelid = c.oid OR s.stxrelid = rc.oid))";

  /**
   * True for a table (alias {@code c}) whose copied columns may travel in binary between servers of
   * one major version: built-in base types and arrays of them, or domains directly over those. Not
   * the {@code reg*} types, whose binary form is an OID that names another object in the target (or
   * none), nor user-defined types, enums, ranges and composites, whose binary form carries
   * database-local type OIDs or that may lack binary I/O.
   */
  static final String BINARY_CAPABLE =
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
          + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
          + " JOIN pg_catalog.pg_type b"
          + "   ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
          + " LEFT JOIN pg_catalog.pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'"
          + " WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
          + " AND a.attgenerated = ''"
          + " AND NOT (b.oid < 16384 AND b.typtype = 'b' AND b.typsend::pg_catalog.oid <> 0"
          + "   AND b.typreceive::pg_catalog.oid <> 0 AND b.typname !~ '^_?reg'"
          + "   AND (e.oid IS NULL OR (e.oid < 16384 AND e.typtype = 'b'))))";

  /** Pages {@code [from, to)}; -1 leaves a side open, so rows past a stale size are not lost. */
  record PageRange(long from, long to) {
    static final PageRange WHOLE = new PageRange(-1, -1);

    String where() {
      List<String> bounds = new ArrayList<>();
      if (from >= 0) {
        bounds.add("ctid >= '(" + from + ",0)'::pg_catalog.tid");
      }
      if (to >= 0) {
        bounds.add("ctid < '(" + to + ",0)'::pg_catalog.tid");
      }
      return String.join(" AND ", bounds);
    }

    /** {@code count} ranges covering every page, the first and last open-ended. */
    static List<PageRange> split(long pages, int count) {
      if (count < 2) {
        return List.of(WHOLE);
      }
      List<PageRange> ranges = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long from = i == 0 ? -1 : pages * i / count;
        long to = i == count - 1 ? -1 : pages * (i + 1) / count;
        ranges.add(new PageRange(from, to));
      }
      return List.copyOf(ranges);
    }
  }

  final TableRef table;
  final List<String> columns;
  final long bytes;
  final List<PageRange> parts;
  final CopyFormat format;

  /**
   * The top of the partition tree this table is a partition of, if it is one and none of the tree's
   * partitions is a foreign table: ANALYZE of the top reads those through their foreign server,
   * which a backup must not depend on, so their trees are analyzed partition by partition.
   */
  final Optional<TableRef> partitionRoot;

  /**
   * Whether its statistics need objects post-data creates; see {@link #STATISTICS_NEED_POST_DATA}.
   */
  final boolean statisticsNeedPostData;

  /**
   * Whether it has values stored out of line (TOAST): a row of it may take up to a gigabyte, so its
   * rows travel through psql ({@link PsqlCopyOut}), never whole in the JVM. The rows of other
   * tables fit in a page: their values are at most about 2 kB compressed, a few MB once
   * decompressed. The TOAST table's size is read after the snapshot was taken, so every value the
   * snapshot sees stored out of line is in it already.
   */
  final boolean toasted;

  private final RowDigest sent;
  private final RowDigest readBack;
  private long counted;
  private int partsLeft;
  long copiedBytes;

  TablePlan(
      TableRef table, List<String> columns, long bytes, List<PageRange> parts, CopyFormat format) {
    this(table, columns, bytes, parts, format, Optional.empty(), false, false);
  }

  TablePlan(
      TableRef table,
      List<String> columns,
      long bytes,
      List<PageRange> parts,
      CopyFormat format,
      Optional<TableRef> partitionRoot,
      boolean statisticsNeedPostData,
      boolean toasted) {
    this.table = table;
    this.toasted = toasted;
    this.partitionRoot = partitionRoot;
    this.statisticsNeedPostData = statisticsNeedPostData;
    this.columns = List.copyOf(columns);
    this.bytes = bytes;
    this.parts = List.copyOf(parts);
    this.format = format;
    this.sent = new RowDigest(format);
    this.readBack = new RowDigest(format);
    this.partsLeft = parts.size();
  }

  /**
   * The plans of these tables, read at the snapshot in one query.
   *
   * @param binaryTarget the target runs the source's major version, so built-in types' binary forms
   *     mean the same on both
   */
  static List<TablePlan> read(
      SourceSnapshot snapshot,
      List<TableRef> tables,
      int jobs,
      long partBytes,
      boolean binaryTarget)
      throws SQLException {
    if (tables.isEmpty()) {
      return List.of();
    }
    Connection connection = snapshot.connection();
    String treeRoot =
        snapshot.serverVersion() >= PARTITION_ROOT
            ? "pg_catalog.pg_partition_root(c.oid) AND " + NO_FOREIGN_PARTITION
            : "NULL::pg_catalog.oid";
    Map<TableRef, TablePlan> byTable = new HashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT n.nspname, c.relname, pg_catalog.pg_relation_size(c.oid),"
                + " pg_catalog.current_setting('block_size')::int,"
                + " ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid"
                + "   AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                + "   ORDER BY a.attnum)::text[], "
                + BINARY_CAPABLE
                + ", rn.nspname, rc.relname, "
                + STATISTICS_NEED_POST_DATA
                + ", c.reltoastrelid <> 0"
                + " AND pg_catalog.pg_relation_size(c.reltoastrelid) > 0"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_class rc ON c.relispartition AND rc.oid = "
                + treeRoot
                + " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname = ANY (?)")) {
      statement.setArray(
          1,
          connection.createArrayOf(
              "text", tables.stream().map(TableRef::schema).distinct().toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          TableRef table = new TableRef(rows.getString(1), rows.getString(2));
          long bytes = rows.getLong(3);
          int blockSize = rows.getInt(4);
          List<String> columns = new ArrayList<>();
          for (Object column : (Object[]) rows.getArray(5).getArray()) {
            columns.add(Identifiers.quote((String) column));
          }
          int count =
              snapshot.serverVersion() >= TID_RANGE_SCANS ? partsFor(bytes, jobs, partBytes) : 1;
          CopyFormat format =
              binaryTarget && rows.getBoolean(6) ? CopyFormat.BINARY : CopyFormat.TEXT;
          String root = rows.getString(8);
          Optional<TableRef> partitionRoot =
              root == null ? Optional.empty() : Optional.of(new TableRef(rows.getString(7), root));
          byTable.put(
              table,
              new TablePlan(
                  table,
                  columns,
                  bytes,
                  PageRange.split(bytes / blockSize, count),
                  format,
                  partitionRoot,
                  rows.getBoolean(9),
                  rows.getBoolean(10)));
        }
      }
    }
    List<TablePlan> plans = new ArrayList<>();
    for (TableRef table : tables) {
      TablePlan plan = byTable.get(table);
      if (plan == null) {
        throw new PgToolsException(
            table.displayName() + " is not a table of the source at the snapshot");
      }
      plans.add(plan);
    }
    return plans;
  }

  /** The columns COPY moves (neither dropped nor generated), quoted, in the table's order. */
  static List<String> columns(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT a.attname FROM pg_catalog.pg_attribute a"
                + " WHERE a.attrelid = ?::pg_catalog.regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum")) {
      statement.setString(1, table.quoted());
      List<String> columns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(Identifiers.quote(rows.getString(1)));
        }
      }
      return columns;
    }
  }

  /** One part per {@code partBytes}, at most four per stream so the last ones end together. */
  static int partsFor(long bytes, int jobs, long partBytes) {
    if (jobs < 2) {
      return 1;
    }
    return (int) Math.max(1, Math.min(jobs * 4L, bytes / partBytes));
  }

  /** {@code (a, b)}, or nothing for a table without columns. */
  String columnList() {
    return columns.isEmpty() ? "" : " (" + String.join(", ", columns) + ")";
  }

  /** Whether the table's columns may travel in binary; see {@link #BINARY_CAPABLE}. */
  static boolean binaryCapable(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + BINARY_CAPABLE
                + " FROM pg_catalog.pg_class c WHERE c.oid = ?::pg_catalog.regclass")) {
      statement.setString(1, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  /** The COPY that reads a range of this table on either side. */
  String copyOut(PageRange range) {
    if (range.equals(PageRange.WHOLE)) {
      return "COPY " + table.quoted() + columnList() + " TO STDOUT" + format.option();
    }
    return "COPY (SELECT "
        + String.join(", ", columns)
        + " FROM ONLY "
        + table.quoted()
        + " WHERE "
        + range.where()
        + ") TO STDOUT"
        + format.option();
  }

  String copyIn() {
    return "COPY " + table.quoted() + columnList() + " FROM STDIN" + format.option();
  }

  /** Records a copied part; true when it was the last. */
  synchronized boolean partCopied(RowDigest digest, long partBytes) {
    sent.add(digest);
    copiedBytes += partBytes;
    return --partsLeft == 0;
  }

  /** Records a range read back from the copy. */
  synchronized void readBack(RowDigest digest) {
    readBack.add(digest);
  }

  /** Records the copy's row count, taken instead of reading it back when checksums are off. */
  synchronized void counted(long rows) {
    counted = rows;
  }

  synchronized TableFingerprint sourceFingerprint(boolean checksums) {
    return new TableFingerprint(
        table, sent.rows(), checksums ? Optional.of(sent.checksum()) : Optional.empty());
  }

  synchronized TableFingerprint copyFingerprint(boolean checksums) {
    return new TableFingerprint(
        table,
        checksums ? readBack.rows() : counted,
        checksums ? Optional.of(readBack.checksum()) : Optional.empty());
  }
}
