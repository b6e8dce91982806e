package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.backup.BackupInventory;
import dev.supaneon.core.backup.TimestampedName;
import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonApiException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.BranchCreation;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.neon.RetryPolicy;
import dev.supaneon.core.postgres.PgConnections;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test branch: created from the backup, masked, and deleted when its scope closes (kept until
 * its expiry when asked to and a test failed). Lives in JUnit's store, which closes it.
 */
final class TestBranch implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  /** The free plan has ten branches: bound how many tests hold one at a time. */
  private static final Object PERMITS_LOCK = new Object();

  private static Semaphore permits;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NeonSettings settings;
  private final Branch branch;
  private final RestoredBranch restored;
  private final boolean keepOnFailure;
  private final Semaphore permit;
  private final Consumer<String> report;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Optional<SpringDataSourceProperties> spring;

  private TestBranch(
      NeonSettings settings,
      Branch branch,
      RestoredBranch restored,
      boolean keepOnFailure,
      Semaphore permit,
      Consumer<String> report,
      Optional<SpringDataSourceProperties> spring) {
    this.settings = settings;
    this.branch = branch;
    this.restored = restored;
    this.keepOnFailure = keepOnFailure;
    this.permit = permit;
    this.report = report;
    this.spring = spring;
  }

  static NeonClient.Options clientOptions() {
    // Parallel tests queue behind each other's operations: give 423 answers time to clear.
    return NeonClient.Options.defaults()
        .withRetryPolicy(
            new RetryPolicy(
                40, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(10)));
  }

  /** Creates, waits for and masks a branch for {@code scopeName}. */
  static TestBranch create(
      JunitConfiguration configuration,
      NeonRestoredBranch annotation,
      String scopeName,
      ClassLoader resources,
      Consumer<String> report) {
    NeonSettings settings = configuration.neon();
    String database = annotation.database().isBlank() ? settings.database() : annotation.database();
    String role = annotation.role().isBlank() ? settings.role() : annotation.role();
    Duration expiry = Expiry.parse(annotation.expiry());
    Semaphore permit = permits(configuration.maxBranches());
    acquire(permit);
    try (NeonClient neon = new NeonClient(settings, clientOptions())) {
      Branch source = source(neon, annotation.source(), settings.projectId());
      CreatedBranch created = createWithRoom(neon, source, expiry, scopeName);
      Branch branch = created.branch();
      try {
        PostgresUrl url = NeonConnections.url(neon, branch.id(), database, role);
        mask(url, annotation.masking(), resources);
        RestoredBranch restored = new RestoredBranch(branch.id(), branch.name(), url);
        Optional<SpringDataSourceProperties> spring =
            annotation.springProperties()
                ? Optional.of(SpringDataSourceProperties.hold(restored))
                : Optional.empty();
        report.accept(branch.name() + " (" + branch.id() + ") from " + source.name());
        return new TestBranch(
            settings, branch, restored, annotation.keepOnFailure(), permit, report, spring);
      } catch (RuntimeException e) {
        neon.deleteBranch(branch.id()).ifPresent(neon::awaitOperations);
        throw e;
      }
    } catch (RuntimeException e) {
      permit.release();
      throw e;
    }
  }

  private static Branch source(NeonClient neon, String wanted, String projectId) {
    BackupInventory inventory = new BackupInventory(neon.listBranches());
    if (!wanted.isBlank()) {
      return inventory
          .byIdOrName(wanted)
          .orElseThrow(
              () ->
                  new SupaneonException(
                      "@NeonRestoredBranch(source = \""
                          + wanted
                          + "\"): Neon project "
                          + projectId
                          + " has no such branch"));
    }
    return inventory
        .newestVerifiedBackup()
        .orElseThrow(
            () ->
                new SupaneonException(
                    "@NeonRestoredBranch: Neon project "
                        + projectId
                        + " holds no verified backup to restore from;"
                        + " run supaneon:backup first, or name a branch with source = \"...\""))
        .branch();
  }

  /** Creates the branch; while the project is full of other tests' branches, waits for room. */
  private static CreatedBranch createWithRoom(
      NeonClient neon, Branch source, Duration expiry, String scopeName) {
    String runId = UUID.randomUUID().toString();
    Map<String, String> annotation = new LinkedHashMap<>();
    annotation.put(NeonClient.RUN_ID_ANNOTATION, runId);
    annotation.put("supaneon-kind", "test");
    annotation.put(
        "supaneon-test", scopeName.length() > 200 ? scopeName.substring(0, 200) : scopeName);
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(10));
    Duration pause = Duration.ofMillis(500);
    while (true) {
      byte[] suffix = new byte[3];
      RANDOM.nextBytes(suffix);
      String name =
          TimestampedName.TEST.format(Instant.now()) + "-" + HexFormat.of().formatHex(suffix);
      try {
        CreatedBranch created =
            neon.createBranch(
                new BranchCreation(
                    name,
                    Optional.of(source.id()),
                    Optional.of(Instant.now().plus(expiry)),
                    true,
                    annotation));
        neon.awaitOperations(created.operations());
        return created;
      } catch (NeonApiException e) {
        if (!"BRANCHES_LIMIT_EXCEEDED".equals(e.code()) || Instant.now().isAfter(giveUp)) {
          throw e;
        }
        sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : pause.multipliedBy(2);
      }
    }
  }

  private static void mask(PostgresUrl url, String[] scripts, ClassLoader resources) {
    if (scripts.length == 0) {
      return;
    }
    try (Connection connection = PgConnections.open(url, "the test branch, to mask it")) {
      connection.setAutoCommit(false);
      for (String script : scripts) {
        String path = script.startsWith("/") ? script.substring(1) : script;
        String sql;
        try (InputStream in = resources.getResourceAsStream(path)) {
          if (in == null) {
            throw new SupaneonException(
                "@NeonRestoredBranch(masking): "
                    + script
                    + " is not on the class path;"
                    + " the branch was deleted so that no unmasked data reaches a test");
          }
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new SupaneonException("@NeonRestoredBranch(masking): cannot read " + script, e);
        }
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
        } catch (SQLException e) {
          throw new SupaneonException(
              "@NeonRestoredBranch(masking): "
                  + script
                  + " failed: "
                  + e.getMessage()
                  + "; the branch was deleted so that no unmasked data reaches a test",
              e);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new SupaneonException(
          "@NeonRestoredBranch(masking): could not commit the masking on the branch: "
              + e.getMessage(),
          e);
    }
  }

  RestoredBranch restored() {
    return restored;
  }

  void markFailed() {
    failed.set(true);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      spring.ifPresent(SpringDataSourceProperties::close);
      if (keepOnFailure && failed.get()) {
        report.accept(
            "kept "
                + branch.name()
                + " ("
                + branch.id()
                + ") for inspection until its expiry "
                + branch.expiresAt()
                + "; connect with "
                + restored);
        return;
      }
      try (NeonClient neon = new NeonClient(settings, clientOptions())) {
        neon.deleteBranch(branch.id()).ifPresent(neon::awaitOperations);
      }
    } finally {
      permit.release();
    }
  }

  private static Semaphore permits(int maxBranches) {
    synchronized (PERMITS_LOCK) {
      if (permits == null) {
        permits = new Semaphore(maxBranches, true);
      }
      return permits;
    }
  }

  private static void acquire(Semaphore permit) {
    try {
      if (!permit.tryAcquire(30, TimeUnit.MINUTES)) {
        throw new SupaneonException(
            "@NeonRestoredBranch: no branch became free within 30 minutes;"
                + " raise supaneon.junit.maxBranches or run fewer tests in parallel");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupaneonException("interrupted while waiting for a free test branch", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupaneonException("interrupted while waiting for room for a test branch", e);
    }
  }
}
