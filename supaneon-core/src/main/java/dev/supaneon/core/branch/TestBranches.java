package dev.supaneon.core.branch;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.RetryPolicy;
import dev.supaneon.core.postgres.PgConnections;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Short-lived branches restored from a backup for an application's tests: what the JUnit extension
 * asks of core. Many test scopes share one project at once, so this client is patient with Neon's
 * 423 answers and, when the project is full, waits for another test's branch to go.
 */
public final class TestBranches implements AutoCloseable {

  /** How long a creation waits for room while the project is full of other tests' branches. */
  public static final Duration WAIT_FOR_ROOM = Duration.ofMinutes(10);

  /** The annotation that names the test scope a branch was made for. */
  public static final String TEST_ANNOTATION = "supaneon-test";

  /** A test branch: where it came from, how to reach it, and when Neon deletes it by itself. */
  public record TestBranch(
      String id, String name, String sourceName, Instant expiresAt, PostgresUrl url) {

    @Override
    public String toString() {
      return name + " (" + id + ") from " + sourceName + ", " + url;
    }
  }

  private final NeonSettings settings;
  private final NeonClient neon;
  private final BranchLifecycle lifecycle;

  private TestBranches(NeonSettings settings, NeonClientOptions options) {
    this.settings = settings;
    this.neon = new NeonClient(settings, options);
    this.lifecycle = BranchLifecycle.of(neon, options.clock(), options);
  }

  public static TestBranches open(NeonSettings settings) {
    // Parallel tests queue behind each other's operations: give 423 answers time to clear.
    return new TestBranches(
        settings,
        NeonClientOptions.defaults()
            .withRetryPolicy(
                new RetryPolicy(
                    40, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(10))));
  }

  /**
   * Creates a branch of {@code source} (a branch id or name; blank: the newest verified backup)
   * that expires after {@code expiry}, and waits for it.
   */
  public TestBranch create(
      String source, Duration expiry, String scopeName, String database, String role) {
    Branch from = source(source);
    String scope = scopeName.length() > 200 ? scopeName.substring(0, 200) : scopeName;
    CreatedBranch created =
        lifecycle.create(
            BranchLifecycle.Request.of(
                    TimestampedName.TEST,
                    from,
                    lifecycle.clock().instant().plus(expiry),
                    UUID.randomUUID().toString())
                .withAnnotation(TEST_ANNOTATION, scope)
                .waitingForRoom(WAIT_FOR_ROOM));
    Branch branch = created.branch();
    try {
      return new TestBranch(
          branch.id(),
          branch.name(),
          from.name(),
          branch.expiresAt(),
          lifecycle.connectionUrl(branch, database, role));
    } catch (RuntimeException e) {
      lifecycle.delete(branch);
      throw e;
    }
  }

  /** Deletes the branch and waits; a branch already gone is fine. */
  public void delete(TestBranch branch) {
    lifecycle.delete(branch.id());
  }

  /**
   * Opens a connection to the branch with the settings every supaneon connection has (errors that
   * name the database, never row values); {@code what} names it in errors.
   */
  public static Connection connect(PostgresUrl url, String what) {
    return PgConnections.open(url, what);
  }

  private Branch source(String wanted) {
    BackupInventory inventory = lifecycle.inventory();
    if (!wanted.isBlank()) {
      return inventory
          .byIdOrName(wanted)
          .orElseThrow(
              () ->
                  new SupaneonException(
                      "Neon project " + settings.projectId() + " has no branch " + wanted,
                      "Name an existing branch by id or name, or leave source empty for the"
                          + " newest verified backup.",
                      null));
    }
    return inventory
        .requireNewestVerifiedBackup(
            settings.projectId(),
            "Run supaneon:backup first, or name a branch with source = \"...\".")
        .branch();
  }

  @Override
  public void close() {
    neon.close();
  }
}
