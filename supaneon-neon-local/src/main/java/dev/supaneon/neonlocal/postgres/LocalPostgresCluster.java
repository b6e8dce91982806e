package dev.supaneon.neonlocal.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fresh PostgreSQL cluster in a temporary directory: {@code initdb}, a generated SSL certificate,
 * a free port on the loopback interface, and the server as a child process.
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM is root the cluster belongs to an
 * unprivileged user and every program runs through {@code runuser}. A temporary cluster is stopped
 * and deleted on {@link #close()} and, failing that, when the JVM exits.
 */
public final class LocalPostgresCluster implements PostgresServer {

  /** Environment variable naming the unprivileged OS user to run PostgreSQL as, when root. */
  public static final String OS_USER_VARIABLE = "SUPANEON_PG_OS_USER";

  static final String SUPERUSER = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final PostgresInstallation installation;
  private final Path baseDirectory;
  private final Path dataDirectory;
  private final Optional<String> osUser;
  private final int port;
  private final String password;
  private final Process process;
  private final boolean temporary;
  private volatile Duration startupTime = Duration.ZERO;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalPostgresCluster(
      PostgresInstallation installation,
      Path baseDirectory,
      Optional<String> osUser,
      int port,
      String password,
      Process process,
      boolean temporary) {
    this.installation = installation;
    this.baseDirectory = baseDirectory;
    this.dataDirectory = baseDirectory.resolve("data");
    this.osUser = osUser;
    this.port = port;
    this.password = password;
    this.process = process;
    this.temporary = temporary;
    this.shutdownHook = new Thread(this::stop, "supaneon-postgres-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Creates and starts a throw-away cluster, deleted on close. */
  public static LocalPostgresCluster start(PostgresInstallation installation) {
    Path base;
    try {
      base = Files.createTempDirectory("supaneon-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(installation, base, true);
  }

  /**
   * Starts a cluster kept in {@code directory}: created there on first use, found again on later
   * starts (same superuser password, same port when it is free), and left in place on close.
   */
  public static LocalPostgresCluster startPersistent(
      PostgresInstallation installation, Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new PostgresLaunchException("Cannot create " + directory + ": " + e.getMessage(), e);
    }
    return start(installation, directory.toAbsolutePath(), false);
  }

  private static LocalPostgresCluster start(
      PostgresInstallation installation, Path base, boolean temporary) {
    long started = System.nanoTime();
    Optional<String> osUser = ClusterSetup.unprivilegedUserWhenRoot();
    Process process = null;
    try {
      Path data = base.resolve("data");
      Path passwordFile = base.resolve("superuser.password");
      Path portFile = base.resolve("port");
      if (Files.exists(data.resolve("PG_VERSION"))) {
        String existing = Files.readString(data.resolve("PG_VERSION")).strip();
        if (!existing.equals(Integer.toString(installation.majorVersion()))) {
          throw new PostgresLaunchException(
              "The data directory "
                  + data
                  + " was created by PostgreSQL "
                  + existing
                  + " but PostgreSQL "
                  + installation.version()
                  + " was found. Install PostgreSQL "
                  + existing
                  + ", or use another data directory.");
        }
      } else {
        ClusterSetup.initialize(installation, base, osUser);
      }
      String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      int port = reusablePort(portFile);
      Files.writeString(portFile, Integer.toString(port), StandardCharsets.US_ASCII);
      Path log = base.resolve("postgres.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  ClusterSetup.asUser(
                      osUser,
                      installation.program("postgres").toString(),
                      "-D",
                      data.toString(),
                      "-p",
                      Integer.toString(port)))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = builder.start();
      LocalPostgresCluster cluster =
          new LocalPostgresCluster(installation, base, osUser, port, password, process, temporary);
      try {
        cluster.awaitReady(log, started);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      cluster.startupTime = Duration.ofNanos(System.nanoTime() - started);
      return cluster;
    } catch (IOException e) {
      destroy(process);
      if (temporary) {
        deleteRecursively(base);
      }
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      destroy(process);
      if (temporary) {
        deleteRecursively(base);
      }
      throw e;
    }
  }

  private static int reusablePort(Path portFile) throws IOException {
    if (Files.exists(portFile)) {
      try {
        int previous = Integer.parseInt(Files.readString(portFile).strip());
        try (ServerSocket probe = new ServerSocket(previous, 1, InetAddress.getLoopbackAddress())) {
          return previous;
        } catch (IOException taken) {
          // someone else has it now: take a new one
        }
      } catch (NumberFormatException corrupt) {
        // take a new one
      }
    }
    return freePort();
  }

  /** Time from the start of {@link #start} to a server accepting connections. */
  public Duration startupTime() {
    return startupTime;
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Optional<Path> unixSocket() {
    return Optional.of(baseDirectory.resolve("run").resolve(".s.PGSQL." + port))
        .filter(Files::exists);
  }

  @Override
  public int majorVersion() {
    return installation.majorVersion();
  }

  @Override
  public String superuser() {
    return SUPERUSER;
  }

  @Override
  public String superuserPassword() {
    return password;
  }

  @Override
  public Optional<Path> binDirectory() {
    return Optional.of(installation.binDirectory());
  }

  @Override
  public String description() {
    return "local PostgreSQL "
        + installation.version()
        + " on port "
        + port
        + " in "
        + dataDirectory
        + osUser.map(user -> " (as OS user " + user + ")").orElse("");
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private void stop() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (process.isAlive()) {
        ExternalCommand.of(
                ClusterSetup.asUser(
                    osUser,
                    installation.program("pg_ctl").toString(),
                    "stop",
                    "--pgdata=" + dataDirectory,
                    "--mode=fast",
                    "--wait",
                    "--timeout=30"))
            .timeout(Duration.ofSeconds(45))
            .run();
      }
    } catch (RuntimeException e) {
      // fall through to killing the process
    } finally {
      destroy(process);
      if (temporary) {
        deleteRecursively(baseDirectory);
      }
    }
  }

  private void awaitReady(Path log, long startedNanos) {
    long deadline = startedNanos + START_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new PostgresLaunchException(
            "PostgreSQL exited during start-up with code "
                + process.exitValue()
                + ". Server log:\n"
                + tail(log));
      }
      try (Connection ignored = connectAsSuperuser("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PostgresLaunchException("Interrupted while waiting for PostgreSQL", e);
      }
    }
    throw new PostgresLaunchException(
        "PostgreSQL did not accept connections within "
            + START_TIMEOUT.toSeconds()
            + " s (last error: "
            + (last == null ? "none" : last.getMessage())
            + "). Server log:\n"
            + tail(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void destroy(Process process) {
    if (process == null) {
      return;
    }
    // runuser does not always pass a kill on to postgres: end the whole tree.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                throws IOException {
              Files.deleteIfExists(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort: a leftover temporary directory is not worth failing a test run for
    }
  }
}
