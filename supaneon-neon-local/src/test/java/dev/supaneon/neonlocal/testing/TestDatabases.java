package dev.supaneon.neonlocal.testing;

import dev.supaneon.neonlocal.postgres.PostgresInstallation;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Source databases for tests: a second local server (so that sources and neon-local's branches live
 * apart, as Supabase and Neon do), fresh databases on it, and loaders for the shipped sample and
 * for SQL files.
 */
public final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Object LOCK = new Object();
  private static PostgresServer sourceServer;

  private TestDatabases() {}

  /** A server for source databases, shared by this JVM and stopped when it exits. */
  public static PostgresServer sourceServer() {
    synchronized (LOCK) {
      if (sourceServer == null) {
        PostgresServer server = PostgresServers.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "supaneon-source-shutdown"));
        sourceServer = server;
      }
      return sourceServer;
    }
  }

  /** A new empty database with a unique name. */
  public static String createDatabase(PostgresServer server, String prefix) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    execute(server, "postgres", "CREATE DATABASE \"" + name + "\"");
    return name;
  }

  public static void execute(PostgresServer server, String database, String sql) {
    try (Connection connection = server.connectAsSuperuser(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
    }
  }

  /** A SQL script shipped next to this class. */
  public static String script(String name) {
    try (InputStream in = TestDatabases.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped sample database: a small shop with ~37,000 rows of every common type. */
  public static String sampleDatabase(PostgresServer server) {
    return databaseFromScript(server, "shop", "sample-shop.sql");
  }

  /** A database shaped like a stock Supabase project (roles, auth, storage, RLS, ...). */
  public static String supabaseDatabase(PostgresServer server) {
    return databaseFromScript(server, "supabase", "supabase-shaped.sql");
  }

  /** Identifiers and values that break careless quoting and comparison. */
  public static String trickyDatabase(PostgresServer server) {
    return databaseFromScript(server, "tricky", "tricky-identifiers.sql");
  }

  private static String databaseFromScript(PostgresServer server, String prefix, String script) {
    String database = createDatabase(server, prefix);
    execute(server, database, script(script));
    return database;
  }

  /**
   * Loads a SQL file with psql (which understands COPY ... FROM stdin), stopping at the first
   * error.
   */
  public static void loadFile(PostgresServer server, String database, Path file) {
    Path psql = psql(server);
    ProcessBuilder builder =
        new ProcessBuilder(
                psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.toString())
            .redirectErrorStream(true);
    builder.environment().put("PGHOST", server.host());
    builder.environment().put("PGPORT", Integer.toString(server.port()));
    builder.environment().put("PGUSER", server.superuser());
    builder.environment().put("PGPASSWORD", server.superuserPassword());
    builder.environment().put("PGDATABASE", database);
    builder.environment().put("PGSSLMODE", "require");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("psql -f " + file + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path psql(PostgresServer server) {
    Optional<Path> own = server.binDirectory().map(d -> d.resolve("psql"));
    if (own.isPresent() && own.get().toFile().canExecute()) {
      return own.get();
    }
    List<PostgresInstallation> found = PostgresInstallation.discover();
    return found.stream()
        .map(i -> i.binDirectory().resolve("psql"))
        .filter(p -> p.toFile().canExecute())
        .findFirst()
        .orElseGet(
            () ->
                PostgresInstallation.locate(Optional.empty(), OptionalInt.empty())
                    .binDirectory()
                    .resolve("psql"));
  }

  /** A libpq URL for a database as the superuser, with SSL required. */
  public static String url(PostgresServer server, String database) {
    return url(server, database, server.superuser(), server.superuserPassword());
  }

  public static String url(PostgresServer server, String database, String user, String password) {
    return "postgresql://"
        + encode(user)
        + ":"
        + encode(password)
        + "@"
        + server.host()
        + ":"
        + server.port()
        + "/"
        + encode(database)
        + "?sslmode=require";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
