package dev.supaneon.core.postgres;

import static dev.supaneon.core.postgres.ToolProcesses.remaining;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * How every session of a copy is set up, pgjdbc's and psql's alike: the settings fingerprints
 * depend on ({@link Fingerprints#PINNED_SETTINGS}), and no statement outliving the copy's deadline.
 */
final class CopySessions {

  private CopySessions() {}

  /** Sets a pgjdbc session up. */
  static void prepare(Connection connection, long deadline) throws SQLException {
    Fingerprints.pinSessionSettings(connection);
    try (Statement statement = connection.createStatement()) {
      statement.execute(statementTimeout(deadline));
    }
  }

  /** What psql runs on the target: the set-up, then {@code copy}. */
  static List<String> onTarget(long deadline, String copy) {
    List<String> statements = setUp(deadline);
    statements.add(copy);
    return statements;
  }

  /** What psql runs on the source: the set-up, then {@code copy} in the snapshot. */
  static List<String> onSource(long deadline, SourceSnapshot snapshot, String copy) {
    List<String> statements = setUp(deadline);
    statements.addAll(snapshot.transactionStatements());
    statements.add(copy);
    statements.add("COMMIT");
    return statements;
  }

  private static List<String> setUp(long deadline) {
    List<String> statements = new ArrayList<>(Fingerprints.PINNED_SETTINGS);
    statements.add(statementTimeout(deadline));
    return statements;
  }

  private static String statementTimeout(long deadline) {
    return "SET statement_timeout = " + Math.max(1000, remaining(deadline) / 1_000_000);
  }
}
