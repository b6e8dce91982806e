package dev.supaneon.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension driven through the JUnit engine, against neon-local with a real verified backup.
 */
class NeonRestoredBranchExtensionTest {

  static PostgresServer source;
  static NeonLocal neon;
  static BackupReport backup;
  static final Set<String> SEEN_BRANCHES = ConcurrentHashMap.newKeySet();
  static final Set<String> SEEN_THREADS = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void backUp() throws Exception {
    source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("junit-" + Long.toHexString(System.nanoTime()))
            .operationDelay(Duration.ofMillis(10))
            .start();
    Path reports = Files.createTempDirectory("supaneon-junit-reports");
    backup =
        new BackupRun(
                new SettingsBuilder()
                    .set(Setting.SOURCE_URL, TestDatabases.url(source, database))
                    .set(Setting.NEON_API_KEY, neon.apiKey())
                    .set(Setting.NEON_PROJECT_ID, neon.projectId())
                    .set(Setting.NEON_API_URL, neon.apiUrl())
                    .set(Setting.REPORT_DIRECTORY, reports.toString())
                    .backup(),
                RunListener.SILENT,
                Clock.systemUTC(),
                NeonClient.Options.defaults(),
                Map.of())
            .execute();
    System.setProperty("supaneon.neonApiKey", neon.apiKey());
    System.setProperty("supaneon.neonProjectId", neon.projectId());
    System.setProperty("supaneon.neonApiUrl", neon.apiUrl());
  }

  @AfterAll
  static void stop() {
    for (String property :
        List.of("supaneon.neonApiKey", "supaneon.neonProjectId", "supaneon.neonApiUrl")) {
      System.clearProperty(property);
    }
    neon.close();
  }

  @BeforeEach
  void forget() {
    SEEN_BRANCHES.clear();
    SEEN_THREADS.clear();
  }

  static List<Branch> testBranches() {
    try (NeonClient client =
        new NeonClient(
            new SettingsBuilder()
                .set(Setting.NEON_API_KEY, neon.apiKey())
                .set(Setting.NEON_PROJECT_ID, neon.projectId())
                .set(Setting.NEON_API_URL, neon.apiUrl())
                .neon())) {
      return client.listBranches().stream()
          .filter(b -> b.name().startsWith("supaneon-test-"))
          .toList();
    }
  }

  static EngineExecutionResults run(Class<?> testClass, Map<String, String> parameters) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(parameters)
        .selectors(selectClass(testClass))
        .execute();
  }

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  // ---- the classes the engine runs (nested static classes: surefire does not run them itself)

  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class ThreeTestsThreeBranches {
    void writeAndCheckIsolation(Connection connection, RestoredBranch branch, String marker)
        throws SQLException {
      SEEN_BRANCHES.add(branch.branchId());
      SEEN_THREADS.add(Thread.currentThread().getName());
      assertEquals(
          2000, count(connection, "SELECT count(*) FROM public.customers"), "the backup's data");
      assertEquals(
          0,
          count(connection, "SELECT count(*) FROM public.customers WHERE email LIKE 'marker-%'"),
          "no other test's write is visible");
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "INSERT INTO public.customers (email, full_name, signed_up_at) VALUES ('marker-"
                + marker
                + "@x.y', 'Marker', now())");
      }
    }

    @Test
    void first(Connection connection, RestoredBranch branch) throws SQLException {
      writeAndCheckIsolation(connection, branch, "1");
    }

    @Test
    void second(Connection connection, RestoredBranch branch) throws SQLException {
      writeAndCheckIsolation(connection, branch, "2");
    }

    @Test
    void third(Connection connection, RestoredBranch branch) throws SQLException {
      writeAndCheckIsolation(connection, branch, "3");
    }
  }

  @Test
  void perMethodTestsEachGetTheirOwnBranchAndAllAreDeletedAfterwards() {
    run(ThreeTestsThreeBranches.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.started(3).succeeded(3));
    assertEquals(3, SEEN_BRANCHES.size(), "three distinct branches");
    assertEquals(List.of(), testBranches(), "all test branches are gone");
  }

  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class FourParallelTests extends ThreeTestsThreeBranches {
    @Test
    void fourth(Connection connection, RestoredBranch branch) throws SQLException {
      writeAndCheckIsolation(connection, branch, "4");
    }
  }

  @Test
  void parallelTestsWork() {
    run(
            FourParallelTests.class,
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
        .testEvents()
        .assertStatistics(s -> s.started(4).succeeded(4));
    assertEquals(4, SEEN_BRANCHES.size());
    assertTrue(SEEN_THREADS.size() > 1, "ran on several threads: " + SEEN_THREADS);
    assertEquals(List.of(), testBranches());
  }

  @NeonRestoredBranch(masking = "masking/anonymize-customers.sql")
  static class MaskedClass {
    @Test
    void seesOnlyMaskedData(DataSource dataSource, RestoredBranch branch) throws SQLException {
      SEEN_BRANCHES.add(branch.branchId());
      try (Connection connection = dataSource.getConnection()) {
        assertEquals(
            0,
            count(
                connection,
                "SELECT count(*) FROM public.customers WHERE email LIKE '%@example.com'"));
        assertEquals(
            2000,
            count(
                connection,
                "SELECT count(*) FROM public.customers WHERE email LIKE '%@example.invalid'"));
      }
    }

    @Test
    void sharesTheClassBranch(RestoredBranch branch) throws SQLException {
      SEEN_BRANCHES.add(branch.branchId());
      // The libpq URI a user would hand to psql reaches the same branch database.
      PostgresUrl uri = PostgresUrl.parse(branch.libpqUri(), Setting.SOURCE_URL);
      try (Connection connection = PgConnections.open(uri, "the libpq URI")) {
        assertEquals(
            2000,
            count(
                connection,
                "SELECT count(*) FROM public.customers WHERE email LIKE '%@example.invalid'"));
      }
      assertFalse(branch.toString().contains(branch.password()), "toString hides the password");
    }
  }

  @Test
  void maskingIsAppliedBeforeTheFirstTestAndOneBranchServesTheClass() throws SQLException {
    run(MaskedClass.class, Map.of()).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertEquals(1, SEEN_BRANCHES.size(), "per class: one branch");
    try (NeonClient client =
            new NeonClient(
                new SettingsBuilder()
                    .set(Setting.NEON_API_KEY, neon.apiKey())
                    .set(Setting.NEON_PROJECT_ID, neon.projectId())
                    .set(Setting.NEON_API_URL, neon.apiUrl())
                    .neon());
        Connection connection =
            dev.supaneon.core.postgres.PgConnections.open(
                dev.supaneon.core.neon.NeonConnections.url(
                    client, backup.branchId, "neondb", "neondb_owner"),
                "backup")) {
      assertEquals(
          2000,
          count(
              connection, "SELECT count(*) FROM public.customers WHERE email LIKE '%@example.com'"),
          "the backup itself is untouched");
    }
  }

  @NeonRestoredBranch(masking = "masking/broken.sql")
  static class BrokenMasking {
    @Test
    void neverRuns() {
      SEEN_BRANCHES.add("ran");
    }
  }

  @Test
  void aFailingMaskingScriptFailsTheTestsAndDeletesTheBranch() {
    EngineExecutionResults results = run(BrokenMasking.class, Map.of());
    results.containerEvents().assertStatistics(s -> s.failed(1));
    assertTrue(SEEN_BRANCHES.isEmpty(), "no test saw unmasked data");
    String message =
        results.containerEvents().failed().stream()
            .map(
                e ->
                    e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .orElseThrow()
                        .getMessage())
            .findFirst()
            .orElseThrow();
    assertTrue(message.contains("masking/broken.sql failed"), message);
    assertEquals(List.of(), testBranches());
  }

  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class OneFails {
    @Test
    void fails(RestoredBranch branch) {
      SEEN_BRANCHES.add(branch.branchId());
      throw new AssertionError("deliberately");
    }
  }

  @Test
  void aFailingTestStillDeletesItsBranch() {
    run(OneFails.class, Map.of()).testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertEquals(1, SEEN_BRANCHES.size());
    assertEquals(List.of(), testBranches());
  }

  @NeonRestoredBranch(
      lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD,
      keepOnFailure = true,
      expiry = "30m")
  static class OneFailsAndKeeps extends OneFails {}

  @Test
  void keepOnFailureKeepsTheBranchWithItsExpiry() {
    run(OneFailsAndKeeps.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.started(1).failed(1));
    List<Branch> kept = testBranches();
    assertEquals(1, kept.size());
    Branch branch = kept.get(0);
    assertEquals(SEEN_BRANCHES.iterator().next(), branch.id());
    assertTrue(branch.expiry().isPresent(), "a kept branch still expires");
    assertEquals(
        "test", branch.annotation().get("supaneon-kind"), "marked as a supaneon test branch");
    try (NeonClient client =
        new NeonClient(
            new SettingsBuilder()
                .set(Setting.NEON_API_KEY, neon.apiKey())
                .set(Setting.NEON_PROJECT_ID, neon.projectId())
                .set(Setting.NEON_API_URL, neon.apiUrl())
                .neon())) {
      client.deleteBranch(branch.id()).ifPresent(client::awaitOperations);
    }
  }

  @NeonRestoredBranch(springProperties = true)
  static class SpringTest {
    @Test
    void seesTheDatasourceProperties(RestoredBranch branch) {
      SEEN_BRANCHES.add(branch.branchId());
      assertEquals(branch.jdbcUrl(), System.getProperty("spring.datasource.url"));
      assertEquals(branch.user(), System.getProperty("spring.datasource.username"));
      assertNotNull(System.getProperty("spring.datasource.password"));
    }
  }

  @Test
  void springPropertiesAreSetForTheScopeAndRestoredAfterwards() {
    System.setProperty("spring.datasource.url", "jdbc:previous");
    try {
      run(SpringTest.class, Map.of()).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
      assertEquals("jdbc:previous", System.getProperty("spring.datasource.url"));
      assertFalse(System.getProperties().containsKey("spring.datasource.password"));
    } finally {
      System.clearProperty("spring.datasource.url");
    }
  }

  @NeonRestoredBranch
  static class NeedsNeon {
    @Test
    void runs() {
      SEEN_BRANCHES.add("ran");
    }
  }

  @Test
  void withoutNeonSettingsTestsAreSkippedWithTheReasonOrFailWhenRequired() {
    assumeTrue(System.getenv("NEON_API_KEY") == null, "NEON_API_KEY is set in this environment");
    String key = System.clearProperty("supaneon.neonApiKey");
    try {
      EngineExecutionResults skipped = run(NeedsNeon.class, Map.of());
      skipped.containerEvents().assertStatistics(s -> s.skipped(1));
      String reason =
          skipped.containerEvents().skipped().stream()
              .findFirst()
              .orElseThrow()
              .getPayload(String.class)
              .orElseThrow();
      assertTrue(reason.contains("NEON_API_KEY"), reason);
      System.setProperty("supaneon.junit.required", "true");
      run(NeedsNeon.class, Map.of()).containerEvents().assertStatistics(s -> s.failed(1));
      assertTrue(SEEN_BRANCHES.isEmpty());
    } finally {
      System.clearProperty("supaneon.junit.required");
      System.setProperty("supaneon.neonApiKey", key);
    }
  }
}
