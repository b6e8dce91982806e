package dev.supaneon.neonlocal.controlplane;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the stores share: the control database's connections, and statements with parameters. */
abstract class StoreAccess {

  protected final ConnectionPool pool;

  StoreAccess(ConnectionPool pool) {
    this.pool = pool;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rows) throws SQLException;
  }

  <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) throws SQLException {
    try (Connection connection = pool.borrow();
        PreparedStatement statement = prepare(connection, sql, parameters);
        ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    }
  }

  <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters)
      throws SQLException {
    List<T> rows = query(sql, mapper, parameters);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  int update(String sql, Object... parameters) throws SQLException {
    try (Connection connection = pool.borrow()) {
      return update(connection, sql, parameters);
    }
  }

  static int update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      if (value == null) {
        statement.setNull(i + 1, Types.NULL);
      } else if (value instanceof Instant instant) {
        statement.setTimestamp(i + 1, Timestamp.from(instant));
      } else {
        statement.setObject(i + 1, value);
      }
    }
    return statement;
  }
}
