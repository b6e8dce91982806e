package dev.supaneon.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
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
                new RunContext(
                    RunListener.SILENT, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
            .execute();
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  /**
   * The Neon settings as JUnit configuration parameters, as junit-platform.properties gives them.
   */
  static Map<String, String> neonParameters() {
    return Map.of(
        "supaneon.neonApiKey", neon.apiKey(),
        "supaneon.neonProjectId", neon.projectId(),
        "supaneon.neonApiUrl", neon.apiUrl());
  }

  @BeforeEach
  void forget() {
    SEEN_BRANCHES.clear();
    SEEN_THREADS.clear();
  }

  static List<Branch> testBranches() {
    try (NeonClient client = neonClient()) {
      return client.listBranches().stream()
          .filter(b -> b.name().startsWith("supaneon-test-"))
          .toList();
    }
  }

  /** Runs the class with the Neon settings and {@code parameters}. */
  static EngineExecutionResults run(Class<?> testClass, Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(neonParameters());
    all.putAll(parameters);
    return runWithout(testClass, all);
  }

  /** Runs the class with {@code parameters} alone. */
  static EngineExecutionResults runWithout(Class<?> testClass, Map<String, String> parameters) {
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
                    client, backup.branchId(), "neondb", "neondb_owner"),
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
    EngineExecutionResults skipped = runWithout(NeedsNeon.class, Map.of());
    skipped.containerEvents().assertStatistics(s -> s.skipped(1));
    String reason =
        skipped.containerEvents().skipped().stream()
            .findFirst()
            .orElseThrow()
            .getPayload(String.class)
            .orElseThrow();
    assertTrue(reason.contains("NEON_API_KEY"), reason);
    runWithout(NeedsNeon.class, Map.of("supaneon.junit.required", "true"))
        .containerEvents()
        .assertStatistics(s -> s.failed(1));
    assertTrue(SEEN_BRANCHES.isEmpty());
  }

  static class NotAnnotated {
    @Test
    void runs() {
      SEEN_BRANCHES.add("ran");
    }
  }

  @Test
  void aClassWithoutTheAnnotationIsNotReportedAsConfigured() {
    EngineExecutionResults results = runWithout(NotAnnotated.class, Map.of());
    results.testEvents().assertStatistics(s -> s.succeeded(1));
    assertEquals(List.of("ran"), List.copyOf(SEEN_BRANCHES));
  }

  @Test
  void systemPropertiesStillConfigureTheExtension() {
    Map<String, String> previous = new HashMap<>();
    neonParameters().forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
    try {
      runWithout(NeedsNeon.class, Map.of()).testEvents().assertStatistics(s -> s.succeeded(1));
      assertEquals(List.of("ran"), List.copyOf(SEEN_BRANCHES));
      assertEquals(List.of(), testBranches());
    } finally {
      previous.forEach(
          (name, value) -> {
            if (value == null) {
              System.clearProperty(name);
            } else {
              System.setProperty(name, value);
            }
          });
    }
  }

  @NeonRestoredBranch
  static class OuterWithNested {
    @Test
    void outer(RestoredBranch branch) {
      SEEN_BRANCHES.add(branch.branchId());
    }

    @Nested
    class Inner {
      @Test
      void inner(RestoredBranch branch) {
        SEEN_BRANCHES.add(branch.branchId());
      }

      @Nested
      class Deeper {
        @Test
        void deeper(RestoredBranch branch) {
          SEEN_BRANCHES.add(branch.branchId());
        }
      }
    }
  }

  @Test
  void nestedClassesShareTheBranchOfTheClassThatDeclaresTheAnnotation() {
    run(OuterWithNested.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.started(3).succeeded(3));
    assertEquals(1, SEEN_BRANCHES.size(), "one branch for the class and its nested classes");
    assertEquals(List.of(), testBranches());
  }

  /** Two tests that can only both finish while both hold a branch at once. */
  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class TwoAtOnce {
    static volatile CyclicBarrier barrier = new CyclicBarrier(2);

    void meet(RestoredBranch branch) throws Exception {
      SEEN_BRANCHES.add(branch.branchId());
      barrier.await(60, TimeUnit.SECONDS);
    }

    @Test
    void one(RestoredBranch branch) throws Exception {
      meet(branch);
    }

    @Test
    void two(RestoredBranch branch) throws Exception {
      meet(branch);
    }
  }

  /** At most one branch at a time: each test holds it alone, and the two never overlap. */
  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class OneAtATime {
    static final AtomicInteger HOLDING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    void hold(RestoredBranch branch) throws InterruptedException {
      SEEN_BRANCHES.add(branch.branchId());
      MOST.accumulateAndGet(HOLDING.incrementAndGet(), Math::max);
      Thread.sleep(300);
      HOLDING.decrementAndGet();
    }

    @Test
    void one(RestoredBranch branch) throws InterruptedException {
      hold(branch);
    }

    @Test
    void two(RestoredBranch branch) throws InterruptedException {
      hold(branch);
    }
  }

  @Test
  void twoRunsAtOnceEachKeepTheirOwnMaxBranches() throws Exception {
    Map<String, String> parallel =
        Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");
    Map<String, String> single = new HashMap<>(parallel);
    single.put("supaneon.junit.maxBranches", "1");
    Map<String, String> double_ = new HashMap<>(parallel);
    double_.put("supaneon.junit.maxBranches", "2");
    TwoAtOnce.barrier = new CyclicBarrier(2);
    OneAtATime.MOST.set(0);
    // The run limited to one branch starts first: its limit must not become the other run's.
    CompletableFuture<EngineExecutionResults> first =
        CompletableFuture.supplyAsync(() -> run(OneAtATime.class, single));
    CompletableFuture<EngineExecutionResults> second =
        CompletableFuture.supplyAsync(() -> run(TwoAtOnce.class, double_));
    first.get(5, TimeUnit.MINUTES).testEvents().assertStatistics(s -> s.succeeded(2));
    second.get(5, TimeUnit.MINUTES).testEvents().assertStatistics(s -> s.succeeded(2));
    assertEquals(1, OneAtATime.MOST.get(), "maxBranches=1 held one branch at a time");
    assertEquals(4, SEEN_BRANCHES.size());
    assertEquals(List.of(), testBranches());
  }

  /** Per-class branches: every test of a class sees the class's branch, whatever the thread. */
  static final Map<String, Set<String>> BRANCHES_BY_CLASS = new ConcurrentHashMap<>();

  abstract static class RecordsItsClassBranch {
    void record(RestoredBranch branch) {
      BRANCHES_BY_CLASS
          .computeIfAbsent(getClass().getSimpleName(), name -> ConcurrentHashMap.newKeySet())
          .add(branch.branchId());
    }

    @Test
    void a(RestoredBranch branch) {
      record(branch);
    }

    @Test
    void b(RestoredBranch branch) {
      record(branch);
    }

    @Test
    void c(RestoredBranch branch) {
      record(branch);
    }
  }

  @NeonRestoredBranch
  static class FirstClass extends RecordsItsClassBranch {}

  @NeonRestoredBranch
  static class SecondClass extends RecordsItsClassBranch {}

  @NeonRestoredBranch
  static class ThirdClass extends RecordsItsClassBranch {}

  @Test
  void severalPerClassScopesRunningInParallelEachGetOneBranchOfTheirOwn() {
    BRANCHES_BY_CLASS.clear();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameters(neonParameters())
            .configurationParameters(
                Map.of(
                    "junit.jupiter.execution.parallel.enabled", "true",
                    "junit.jupiter.execution.parallel.mode.default", "concurrent",
                    "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                    "junit.jupiter.execution.parallel.config.strategy", "fixed",
                    "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"))
            .selectors(
                selectClass(FirstClass.class),
                selectClass(SecondClass.class),
                selectClass(ThirdClass.class))
            .execute();
    results.testEvents().assertStatistics(s -> s.started(9).succeeded(9));
    assertEquals(Set.of("FirstClass", "SecondClass", "ThirdClass"), BRANCHES_BY_CLASS.keySet());
    BRANCHES_BY_CLASS.forEach(
        (name, branches) ->
            assertEquals(1, branches.size(), name + " used one branch: " + branches));
    assertEquals(
        3,
        BRANCHES_BY_CLASS.values().stream().flatMap(Set::stream).distinct().count(),
        "no two classes shared a branch");
    assertEquals(List.of(), testBranches());
  }

  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class NeedsRoom {
    static volatile Instant createdAfter;

    @Test
    void runs(RestoredBranch branch) {
      SEEN_BRANCHES.add(branch.branchId());
      createdAfter = Instant.now();
    }
  }

  @Test
  void aTestInAFullProjectWaitsForRoomInsteadOfFailing() throws Exception {
    List<String> fillers = new ArrayList<>();
    try (NeonClient client = neonClient()) {
      // Fill the project to Neon's branch limit with branches that are not the test's.
      while (client.listBranches().size() < 10) {
        fillers.add(
            client
                .createBranch(
                    new NeonClient.BranchCreation(
                        "filler-" + fillers.size(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Map.of()))
                .branch()
                .id());
      }
      CompletableFuture<EngineExecutionResults> waiting =
          CompletableFuture.supplyAsync(() -> run(NeedsRoom.class, Map.of()));
      Thread.sleep(1_000);
      Instant roomMade = Instant.now();
      client.deleteBranch(fillers.remove(0));
      // The project was full until roomMade: a branch the test got was created after it.
      waiting.get(5, TimeUnit.MINUTES).testEvents().assertStatistics(s -> s.succeeded(1));
      assertTrue(NeedsRoom.createdAfter.isAfter(roomMade), "the test ran once there was room");
      assertEquals(1, SEEN_BRANCHES.size());
    } finally {
      try (NeonClient client = neonClient()) {
        fillers.forEach(client::deleteBranch);
      }
    }
    assertEquals(List.of(), testBranches());
  }

  static NeonClient neonClient() {
    return new NeonClient(CoreTestEnvironment.neonSettings(neon));
  }
}
