package dev.supaneon.core.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes table fingerprints. Source and restored copy must be read with the same session settings:
 * dates, floats, bytea and money print the same way, so equal rows give equal checksums.
 */
public final class Fingerprints {

  /** The row alias in checksum queries; qualified with {@code .*} so no column can shadow it. */
  private static final String ROW = "supaneon_row";

  private Fingerprints() {}

  /**
   * Every setting that changes how a row prints, and row security off: a policy that would filter
   * rows must fail the count, not shrink it.
   */
  static final List<String> PINNED_SETTINGS =
      List.of(
          "SET DateStyle = 'ISO, YMD'",
          "SET IntervalStyle = 'postgres'",
          "SET TimeZone = 'UTC'",
          "SET extra_float_digits = 3",
          "SET bytea_output = 'hex'",
          "SET lc_monetary = 'C'",
          "SET search_path = ''",
          "SET row_security = off",
          "SET statement_timeout = 0");

  /** Pins {@link #PINNED_SETTINGS}: errors instead of silently hiding rows. */
  public static void pinSessionSettings(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String setting : PINNED_SETTINGS) {
        statement.execute(setting);
      }
    }
  }

  /** Ordinary tables and partitions of the given schemas, without extension-owned tables. */
  public static List<TableRef> tablesIn(Connection connection, List<String> schemas)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname = ANY (?)"
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
                + "   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                + "   AND d.objid = c.oid AND d.deptype = 'e')"
                + " ORDER BY 1, 2")) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        List<TableRef> tables = new ArrayList<>();
        while (rows.next()) {
          tables.add(new TableRef(rows.getString(1), rows.getString(2)));
        }
        return tables;
      }
    }
  }

  /**
   * The fingerprint the copy engine takes of a table between servers of one major version: its rows
   * as {@code COPY ... TO STDOUT} sends them, in binary where the engine would use binary, digested
   * by {@link RowDigest}. The session's settings must be pinned.
   */
  public static TableFingerprint ofRows(Connection connection, TableRef table) throws SQLException {
    CopyFormat format =
        TablePlan.binaryCapable(connection, table) ? CopyFormat.BINARY : CopyFormat.TEXT;
    TablePlan plan =
        new TablePlan(
            table,
            TablePlan.columns(connection, table),
            0,
            List.of(TablePlan.PageRange.WHOLE),
            format);
    RowDigest digest = RowDigest.read(connection, plan.copyOut(TablePlan.PageRange.WHOLE), format);
    return new TableFingerprint(table, digest.rows(), Optional.of(digest.checksum()));
  }

  public static TableFingerprint of(Connection connection, TableRef table, boolean withChecksum)
      throws SQLException {
    String sql =
        withChecksum
            // The first 64 bits of each row's md5, summed: order-independent, and a changed,
            // missing or extra row moves the sum by a random 64-bit amount. One half of the
            // digest costs half of converting both, for the same practical certainty.
            ? "SELECT count(*), coalesce(pg_catalog.sum(('x' || pg_catalog.left(pg_catalog.md5(ROW("
                + ROW
                + ".*)::pg_catalog.text), 16))::pg_catalog.bit(64)::pg_catalog.int8), 0)::pg_catalog.text"
                + " FROM ONLY "
                + table.quoted()
                + " AS "
                + ROW
            : "SELECT count(*), NULL FROM ONLY " + table.quoted();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return new TableFingerprint(table, rows.getLong(1), Optional.ofNullable(rows.getString(2)));
    }
  }
}
