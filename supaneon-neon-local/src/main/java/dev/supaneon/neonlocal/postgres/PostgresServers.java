package dev.supaneon.neonlocal.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Starts a PostgreSQL server for tests, neon-local and the demo, choosing in this order:
 *
 * <ol>
 *   <li>an existing server named by {@code SUPANEON_TEST_PG_URL} (a superuser URL);
 *   <li>a fresh local cluster from an installation on this machine ({@code SUPANEON_PG_BIN}, the
 *       PATH, {@code /usr/lib/postgresql/<N>/bin}, ...);
 *   <li>a Testcontainers container, when Testcontainers is on the class path and Docker answers.
 * </ol>
 *
 * <p>{@code SUPANEON_TEST_PG_VERSION} asks for a major version.
 */
public final class PostgresServers {

  public static final String VERSION_VARIABLE = "SUPANEON_TEST_PG_VERSION";

  private static final Object SHARED_LOCK = new Object();
  private static PostgresServer shared;

  private PostgresServers() {}

  /** Starts a server as configured by the environment. */
  public static PostgresServer start() {
    return start(requestedMajorVersion());
  }

  /** Starts a server of the given major version, or the newest available when empty. */
  public static PostgresServer start(OptionalInt majorVersion) {
    String url = System.getenv(ExternalPostgresServer.URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      return ExternalPostgresServer.fromUrl(url.strip());
    }
    Optional<Path> configured =
        Optional.ofNullable(System.getenv(PostgresInstallation.BIN_DIRECTORY_VARIABLE))
            .filter(value -> !value.isBlank())
            .map(Path::of);
    try {
      return LocalPostgresCluster.start(PostgresInstallation.locate(configured, majorVersion));
    } catch (PostgresLaunchException notInstalled) {
      if (configured.isEmpty() && ContainerPostgresServer.available()) {
        return ContainerPostgresServer.start(majorVersion.orElse(15), temporaryDirectory());
      }
      throw notInstalled;
    }
  }

  /**
   * One server shared by everything in this JVM, started on first use and stopped when the JVM
   * exits. Tests that share it must create their own databases and roles.
   */
  public static PostgresServer shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        PostgresServer server = start();
        Runtime.getRuntime()
            .addShutdownHook(new Thread(server::close, "supaneon-shared-postgres-shutdown"));
        shared = server;
      }
      return shared;
    }
  }

  private static OptionalInt requestedMajorVersion() {
    String value = System.getenv(VERSION_VARIABLE);
    if (value == null || value.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      throw new PostgresLaunchException(
          VERSION_VARIABLE + " must be a major version number such as 15");
    }
  }

  private static Path temporaryDirectory() {
    try {
      Path directory = Files.createTempDirectory("supaneon-container-");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
