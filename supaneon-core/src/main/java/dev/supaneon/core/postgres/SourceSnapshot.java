package dev.supaneon.core.postgres;

import dev.supaneon.core.config.PostgresUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One instant of a database, exported ({@code pg_export_snapshot}) so that every session and tool
 * of a copy reads exactly it. The exporting transaction stays open until {@link #close()}: an
 * exported snapshot lives only as long as it.
 */
public final class SourceSnapshot implements AutoCloseable {

  private static final String READ_ONLY_REPEATABLE_READ =
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /** What {@code pg_export_snapshot} returns, such as {@code 00000003-0000001B-1}. */
  private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f-]+");

  private final Connection connection;
  private final String id;
  private final Instant at;
  private final long largeObjects;
  private final int serverVersion;

  private SourceSnapshot(
      Connection connection, String id, Instant at, long largeObjects, int serverVersion) {
    this.connection = connection;
    this.id = id;
    this.at = at;
    this.largeObjects = largeObjects;
    this.serverVersion = serverVersion;
  }

  /**
   * Connects and exports a REPEATABLE READ, READ ONLY snapshot; {@code what} names it in errors.
   */
  public static SourceSnapshot export(PostgresUrl url, String what) throws SQLException {
    Connection connection = PgConnections.open(url, what);
    try {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT pg_catalog.pg_export_snapshot(), pg_catalog.now(),"
                    + " (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata),"
                    + " pg_catalog.current_setting('server_version_num')::int")) {
          rows.next();
          String id = rows.getString(1);
          if (!SNAPSHOT_ID.matcher(id).matches()) {
            throw new SQLException("unexpected snapshot id from the server: " + id);
          }
          return new SourceSnapshot(
              connection,
              id,
              rows.getObject(2, OffsetDateTime.class).toInstant(),
              rows.getLong(3),
              rows.getInt(4));
        }
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  public String id() {
    return id;
  }

  public Instant at() {
    return at;
  }

  public long largeObjects() {
    return largeObjects;
  }

  /** {@code server_version_num}, such as 150010. */
  public int serverVersion() {
    return serverVersion;
  }

  /** The exporting session; queries on it see the snapshot. */
  public Connection connection() {
    return connection;
  }

  /** The tables of the given schemas at the snapshot (see {@link Fingerprints#tablesIn}). */
  public List<TableRef> tablesIn(List<String> schemas) throws SQLException {
    return Fingerprints.tablesIn(connection, schemas);
  }

  /**
   * Makes {@code session} see this snapshot: it must be new, or between transactions. It stays in
   * that read-only transaction until rolled back.
   */
  void share(Connection session) throws SQLException {
    session.setAutoCommit(false);
    try (Statement statement = session.createStatement()) {
      statement.execute(READ_ONLY_REPEATABLE_READ);
      statement.execute(snapshotStatement());
    }
  }

  /** What starts a transaction in this snapshot, for a client that is not pgjdbc (psql). */
  List<String> transactionStatements() {
    return List.of("BEGIN", READ_ONLY_REPEATABLE_READ, snapshotStatement());
  }

  private String snapshotStatement() {
    return "SET TRANSACTION SNAPSHOT '" + id + "'";
  }

  /** Ends the snapshot at once, stopping anything running on the exporting session. */
  public void abort() {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      if (!connection.isClosed()) {
        connection.rollback();
      }
    } finally {
      connection.close();
    }
  }
}
