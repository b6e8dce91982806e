package dev.supaneon.neonlocal.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The workplace's shared, read-only fixtures ({@code ../shared}): Neon's OpenAPI spec and sample
 * databases. They are not part of the project; tests that need them skip when they are absent.
 */
public final class SharedFixtures {

  private SharedFixtures() {}

  /**
   * The shared folder, from {@code -Dsupaneon.shared.dir}, {@code SUPANEON_SHARED_DIR}, or
   * ../shared.
   */
  public static Optional<Path> directory() {
    String configured = System.getProperty("supaneon.shared.dir");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("SUPANEON_SHARED_DIR");
    }
    Path candidate =
        configured == null || configured.isBlank() ? Path.of("..", "shared") : Path.of(configured);
    return Files.isDirectory(candidate)
        ? Optional.of(candidate.toAbsolutePath().normalize())
        : Optional.empty();
  }

  public static Optional<Path> openApiSpec() {
    return directory()
        .map(d -> d.resolve("neon-api").resolve("openAPIDefinition.json"))
        .filter(Files::isRegularFile);
  }

  public static Optional<Path> dataset(String fileName) {
    return directory()
        .map(d -> d.resolve("datasets").resolve(fileName))
        .filter(Files::isRegularFile);
  }

  /** One of GitHub's JSON schemas (SchemaStore's): github-workflows.json or github-actions.json. */
  public static Optional<Path> githubSchema(String fileName) {
    return directory()
        .map(d -> d.resolve("schemas").resolve(fileName))
        .filter(Files::isRegularFile);
  }
}
