package dev.supaneon.neonlocal.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A running PostgreSQL server reachable over TCP with SSL, and a superuser to administer it.
 *
 * <p>Closing the server stops it and deletes whatever the launcher created for it; a server that
 * was handed in from outside (a URL) is left running.
 */
public interface PostgresServer extends AutoCloseable {

  String host();

  int port();

  /** The server's major version, for example 15. */
  int majorVersion();

  String superuser();

  /** The superuser's password. A secret: never log it. */
  String superuserPassword();

  /** Where this server came from, for log lines: never contains a secret. */
  String description();

  /**
   * The directory holding this server's own {@code postgres}, {@code pg_dump}, ... when it is a
   * local installation; empty for servers in containers or elsewhere.
   */
  java.util.Optional<java.nio.file.Path> binDirectory();

  /**
   * The server's Unix-domain socket when this process can reach it (a local installation): local
   * clients such as neon-local's proxy use it and skip TCP and a second TLS layer.
   */
  default java.util.Optional<java.nio.file.Path> unixSocket() {
    return java.util.Optional.empty();
  }

  /** A JDBC URL for a database on this server, with SSL required and without credentials. */
  default String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + host()
        + ":"
        + port()
        + "/"
        + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20")
        + "?sslmode=require";
  }

  /** Connects to a database as the superuser. */
  default Connection connectAsSuperuser(String database) throws SQLException {
    return connect(database, superuser(), superuserPassword());
  }

  /** Connects to a database as the given role. */
  default Connection connect(String database, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "require");
    properties.setProperty("ApplicationName", "supaneon");
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  @Override
  void close();
}
