package dev.supaneon.core.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A server's version, as {@code server_version_num} reports it (150018 is 15.18). */
public record ServerInfo(int versionNumber, String version) {

  public int majorVersion() {
    return versionNumber / 10000;
  }

  public static ServerInfo of(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
      rows.next();
      return new ServerInfo(rows.getInt(1), rows.getString(2));
    }
  }
}
