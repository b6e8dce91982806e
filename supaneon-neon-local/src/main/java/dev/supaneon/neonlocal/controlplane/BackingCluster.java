package dev.supaneon.neonlocal.controlplane;

import dev.supaneon.neonlocal.postgres.PostgresInstallation;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * The real databases and roles on the backing server behind branches: each (branch, database) is
 * one PostgreSQL database, and a branch is made by copying its parent's databases.
 */
final class BackingCluster {

  /** The group role that API-created roles join, as on Neon. */
  static final String NEON_SUPERUSER = "neon_superuser";

  private static final String OBJECT_IN_USE = "55006";
  private static final Duration TEMPLATE_BUSY_WAIT = Duration.ofSeconds(2);

  /** Databases smaller than this are copied through the WAL, larger ones as files. */
  private static final long WAL_LOG_LIMIT_BYTES = 64L * 1024 * 1024;

  private final PostgresServer server;
  private final ConnectionPool admin;

  BackingCluster(PostgresServer server, ConnectionPool admin) {
    this.server = server;
    this.admin = admin;
  }

  PostgresServer server() {
    return server;
  }

  /** Creates the control-plane database and the roles every project needs. */
  static void bootstrap(PostgresServer server) throws SQLException {
    try (Connection connection = server.connectAsSuperuser("postgres");
        Statement statement = connection.createStatement()) {
      if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", "neon_local")) {
        statement.execute("CREATE DATABASE neon_local");
      }
      // The control plane holds role passwords: branch roles must not be able to connect to it.
      statement.execute("REVOKE CONNECT, TEMPORARY ON DATABASE neon_local FROM PUBLIC");
      if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", NEON_SUPERUSER)) {
        statement.execute(
            "CREATE ROLE " + NEON_SUPERUSER + " NOLOGIN CREATEDB CREATEROLE BYPASSRLS");
      }
    }
  }

  /**
   * Makes sure the cluster-wide role exists. Login roles get what {@code neondb_owner} gets on
   * Neon: CREATEDB, CREATEROLE, BYPASSRLS and membership in neon_superuser; never SUPERUSER.
   */
  void ensureRole(String name, Optional<String> password) throws SQLException {
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      boolean exists = exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
      if (password.isEmpty()) {
        if (!exists) {
          statement.execute("CREATE ROLE " + quote(name) + " NOLOGIN");
        }
        return;
      }
      if (!exists) {
        statement.execute(
            "CREATE ROLE "
                + quote(name)
                + " LOGIN CREATEDB CREATEROLE BYPASSRLS IN ROLE "
                + NEON_SUPERUSER);
      } else {
        statement.execute("ALTER ROLE " + quote(name) + " LOGIN CREATEDB CREATEROLE BYPASSRLS");
        statement.execute("GRANT " + NEON_SUPERUSER + " TO " + quote(name));
      }
      // Hashed on this side: the password never appears in a statement the server could log.
      connection
          .unwrap(PGConnection.class)
          .alterUserPassword(name, password.get().toCharArray(), "scram-sha-256");
    }
  }

  /** Drops a role if nothing still uses it; a role that owns objects is left in place. */
  void dropRoleIfPossible(String name) {
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP ROLE IF EXISTS " + quote(name));
    } catch (SQLException stillInUse) {
      // owns objects in some database: harmless to keep
    }
  }

  private long size(String physicalName) throws SQLException {
    try (Connection connection = admin.borrow();
        PreparedStatement statement =
            connection.prepareStatement("SELECT pg_catalog.pg_database_size(?)")) {
      statement.setString(1, physicalName);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  boolean databaseExists(String physicalName) throws SQLException {
    try (Connection connection = admin.borrow()) {
      return exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", physicalName);
    }
  }

  void createDatabase(String physicalName, String owner) throws SQLException {
    if (databaseExists(physicalName)) {
      return;
    }
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + quote(physicalName) + " OWNER " + quote(owner));
    }
  }

  /**
   * Copies a database as it is now. {@code CREATE DATABASE ... TEMPLATE} is instant but needs the
   * source free of sessions; when someone stays connected to it, the copy goes through pg_dump and
   * pg_restore under a snapshot instead, so a connected client never blocks branching.
   *
   * <p>Neon branches copy on write, in no time whatever the size. Here a small database is copied
   * through the WAL (PostgreSQL 15's default), which costs its size in WAL; FILE_COPY copies files
   * but first checkpoints the whole cluster, which after a large load took 0.3-0.7 s even for an
   * empty database. So FILE_COPY only where the WAL would cost more.
   */
  void copyDatabase(String sourcePhysical, String targetPhysical, String owner)
      throws SQLException, InterruptedException {
    if (databaseExists(targetPhysical)) {
      return;
    }
    String strategy =
        server.majorVersion() >= 15 && size(sourcePhysical) >= WAL_LOG_LIMIT_BYTES
            ? " STRATEGY FILE_COPY"
            : "";
    long deadline = System.nanoTime() + TEMPLATE_BUSY_WAIT.toNanos();
    while (true) {
      try (Connection connection = admin.borrow();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE DATABASE "
                + quote(targetPhysical)
                + " TEMPLATE "
                + quote(sourcePhysical)
                + " OWNER "
                + quote(owner)
                + strategy);
        return;
      } catch (SQLException e) {
        if (!OBJECT_IN_USE.equals(e.getSQLState())) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          Optional<Path> tools = clientTools();
          if (tools.isPresent()) {
            copyWithDump(tools.get(), sourcePhysical, targetPhysical, owner);
            return;
          }
          if (System.nanoTime() > deadline + Duration.ofSeconds(60).toNanos()) {
            throw e;
          }
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * {@code pg_dump --schema-only} of a database; needs a pg_dump of the server's version or later.
   */
  String schemaOf(String physical) throws SQLException, InterruptedException {
    Path bin =
        clientTools()
            .orElseThrow(
                () ->
                    new SQLException(
                        "no pg_dump of PostgreSQL "
                            + server.majorVersion()
                            + " or later is installed beside neon-local"));
    ProcessBuilder dump = asSuperuser(bin, "pg_dump", physical, "--schema-only");
    Path errors = null;
    try {
      errors = Files.createTempFile("neon-local-schema-", ".log");
      Process dumping = dump.redirectError(errors.toFile()).start();
      dumping.getOutputStream().close();
      String sql = new String(dumping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!dumping.waitFor(5, TimeUnit.MINUTES) || dumping.exitValue() != 0) {
        dumping.destroyForcibly();
        throw new SQLException("pg_dump --schema-only failed: " + Files.readString(errors).strip());
      }
      // Recent pg_dump releases fence the script with a random \restrict key: dropped, so that
      // two schemas differ only where the databases do (schema-diff compares them as text).
      return sql.lines()
          .filter(line -> !line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict "))
          .collect(Collectors.joining("\n", "", "\n"));
    } catch (IOException e) {
      throw new SQLException("pg_dump --schema-only failed: " + e.getMessage(), e);
    } finally {
      if (errors != null) {
        try {
          Files.deleteIfExists(errors);
        } catch (IOException ignored) {
          // a temporary file
        }
      }
    }
  }

  /** A client tool run as the superuser on a database; the password goes in its environment. */
  private ProcessBuilder asSuperuser(Path bin, String tool, String database, String option) {
    ProcessBuilder builder =
        new ProcessBuilder(
            bin.resolve(tool).toString(),
            option,
            "--no-password",
            "--host=" + server.host(),
            "--port=" + server.port(),
            "--username=" + server.superuser(),
            "--dbname=" + database);
    builder.environment().put("PGPASSWORD", server.superuserPassword());
    builder.environment().put("PGSSLMODE", "require");
    return builder;
  }

  private Optional<Path> clientTools() {
    Optional<Path> own =
        server.binDirectory().filter(d -> Files.isExecutable(d.resolve("pg_dump")));
    if (own.isPresent()) {
      return own;
    }
    return PostgresInstallation.discover().stream()
        .filter(i -> i.majorVersion() >= server.majorVersion())
        .map(PostgresInstallation::binDirectory)
        .filter(d -> Files.isExecutable(d.resolve("pg_dump")))
        .findFirst();
  }

  /** Copies through a temporary name, so a copy cut short never passes for a finished one. */
  private void copyWithDump(Path bin, String source, String target, String owner)
      throws SQLException, InterruptedException {
    String temporary = "nl_copy_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE DATABASE " + quote(temporary) + " TEMPLATE template0 OWNER " + quote(owner));
    }
    ProcessBuilder dump = asSuperuser(bin, "pg_dump", source, "--format=custom");
    ProcessBuilder restore = asSuperuser(bin, "pg_restore", temporary, "--exit-on-error");
    Path errors = null;
    String failure = null;
    try {
      errors = Files.createTempFile("neon-local-copy-", ".log");
      dump.redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
      restore.redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
      Process dumping = dump.start();
      Process restoring = restore.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (InputStream in = dumping.getInputStream();
          OutputStream out = restoring.getOutputStream()) {
        in.transferTo(out);
      }
      boolean finished =
          dumping.waitFor(30, TimeUnit.MINUTES) && restoring.waitFor(30, TimeUnit.MINUTES);
      dumping.destroyForcibly();
      restoring.destroyForcibly();
      if (!finished || dumping.exitValue() != 0 || restoring.exitValue() != 0) {
        failure = Files.readString(errors).strip();
      }
    } catch (IOException e) {
      failure = e.getMessage();
    } finally {
      if (errors != null) {
        try {
          Files.deleteIfExists(errors);
        } catch (IOException ignored) {
          // a temporary file
        }
      }
    }
    if (failure != null) {
      dropDatabase(temporary);
      throw new SQLException(
          "Copying database " + source + " with pg_dump and pg_restore failed: " + failure);
    }
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER DATABASE " + quote(temporary) + " RENAME TO " + quote(target));
    }
  }

  void dropDatabase(String physicalName) throws SQLException {
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + quote(physicalName) + " WITH (FORCE)");
    }
  }

  /** Ends every session on the given databases, as suspending a Neon compute does. */
  void terminateSessions(List<String> physicalNames) throws SQLException {
    if (physicalNames.isEmpty()) {
      return;
    }
    try (Connection connection = admin.borrow();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ANY (?) AND pid <> pg_backend_pid()")) {
      statement.setArray(1, connection.createArrayOf("text", physicalNames.toArray()));
      statement.execute();
    }
  }

  /** The server's current WAL position, reported as a new branch's {@code parent_lsn}. */
  String currentWalLsn() throws SQLException {
    try (Connection connection = admin.borrow();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rows.next();
      return rows.getString(1);
    }
  }

  /** The sizes of the named databases, in one query; a name not found is left out. */
  Map<String, Long> databaseSizes(Collection<String> physicalNames) throws SQLException {
    Map<String, Long> sizes = new HashMap<>();
    if (physicalNames.isEmpty()) {
      return sizes;
    }
    try (Connection connection = admin.borrow();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT datname, pg_database_size(datname) FROM pg_database"
                    + " WHERE datname = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", physicalNames.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          sizes.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return sizes;
  }

  long databaseSize(String physicalName) throws SQLException {
    try (Connection connection = admin.borrow();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_database_size(datname) FROM pg_database WHERE datname = ?")) {
      statement.setString(1, physicalName);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    }
  }

  private static boolean exists(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
