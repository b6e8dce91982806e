package dev.supaneon.core.restoretest;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.report.RestoreTestReport.Check;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User assertions: a SQL file of queries, each ending with a semicolon at the end of a line. A
 * query returns one value: a boolean that must be true, or a number that must be at least N, where
 * N comes from a {@code -- at least N} comment just above the query (default 1).
 *
 * <pre>
 * select count(*) &gt;= 1 from profiles;
 * -- at least 100
 * select count(*) from orders;
 * </pre>
 *
 * Queries run in a read-only transaction: an assertion cannot change the backup.
 */
public final class SqlAssertions {

  private static final Pattern AT_LEAST = Pattern.compile("^--\\s*at\\s+least\\s+(\\d+)\\s*$");

  /** One query and what it must return. */
  public record Assertion(String sql, long atLeast, int line) {}

  private SqlAssertions() {}

  public static List<Assertion> parse(String text) {
    List<Assertion> assertions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    long atLeast = 1;
    int startLine = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      Matcher directive = AT_LEAST.matcher(line);
      if (current.length() == 0 && directive.matches()) {
        atLeast = Long.parseLong(directive.group(1));
        continue;
      }
      if (current.length() == 0 && (line.isEmpty() || line.startsWith("--"))) {
        continue;
      }
      if (current.length() == 0) {
        startLine = i + 1;
      }
      current.append(lines[i]).append('\n');
      if (line.endsWith(";")) {
        String sql = current.toString().strip();
        assertions.add(
            new Assertion(sql.substring(0, sql.length() - 1).strip(), atLeast, startLine));
        current.setLength(0);
        atLeast = 1;
      }
    }
    if (current.length() > 0) {
      throw new SupaneonException(
          "The assertions file ends inside a query that starts on line "
              + startLine
              + ": end every query with a semicolon at the end of a line");
    }
    return assertions;
  }

  /** Runs every assertion read-only and reports each as a check. */
  public static List<Check> run(Connection connection, List<Assertion> assertions)
      throws SQLException {
    List<Check> checks = new ArrayList<>();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TRANSACTION READ ONLY");
      statement.execute("SET LOCAL statement_timeout = '60s'");
      for (Assertion assertion : assertions) {
        String name = "assertion (line " + assertion.line() + "): " + oneLine(assertion.sql());
        statement.execute("SAVEPOINT assertion");
        try (ResultSet rows = statement.executeQuery(assertion.sql())) {
          if (!rows.next()) {
            checks.add(new Check(name, false, "returned no row"));
            continue;
          }
          int type = rows.getMetaData().getColumnType(1);
          if (type == Types.BOOLEAN || type == Types.BIT) {
            boolean value = rows.getBoolean(1);
            checks.add(
                new Check(
                    name,
                    value && !rows.wasNull(),
                    "returned " + (rows.wasNull() ? "null" : value)));
          } else {
            long value = rows.getLong(1);
            boolean ok = !rows.wasNull() && value >= assertion.atLeast();
            checks.add(
                new Check(
                    name,
                    ok,
                    "returned "
                        + (rows.wasNull() ? "null" : value)
                        + ", at least "
                        + assertion.atLeast()
                        + " required"));
          }
          statement.execute("RELEASE SAVEPOINT assertion");
        } catch (SQLException e) {
          statement.execute("ROLLBACK TO SAVEPOINT assertion");
          checks.add(new Check(name, false, "failed: " + e.getMessage()));
        }
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
    return checks;
  }

  private static String oneLine(String sql) {
    String flat = sql.replaceAll("\\s+", " ");
    return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
  }
}
