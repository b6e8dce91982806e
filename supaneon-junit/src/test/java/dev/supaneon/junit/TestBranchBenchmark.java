package dev.supaneon.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.SharedFixtures;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Per-test overhead of {@code @NeonRestoredBranch} on neon-local, for a backup of pagila (or of the
 * shipped sample when ../shared is absent):
 *
 * <pre>./mvnw -Pbenchmark verify -pl supaneon-junit -am</pre>
 *
 * It times create, first connection and delete of a branch directly, then runs ten one-query tests
 * per method, per class, and without the extension, through the JUnit engine.
 */
public final class TestBranchBenchmark {

  private static final int ROUNDS = 10;

  private TestBranchBenchmark() {}

  @NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD)
  static class PerMethod extends TenQueries {}

  @NeonRestoredBranch
  static class PerClass extends TenQueries {}

  /** Ten tests of one query each; without the annotation, the baseline. */
  static class TenQueries {
    static void query(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT 1");
      }
    }

    @Test
    void t01(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t02(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t03(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t04(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t05(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t06(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t07(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t08(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t09(Connection c) throws SQLException {
      query(c);
    }

    @Test
    void t10(Connection c) throws SQLException {
      query(c);
    }
  }

  /** The baseline: the same ten tests on a plain connection, opened per test. */
  static class Baseline {
    static String jdbcUrl;
    static java.util.Properties properties;

    static void query() throws SQLException {
      try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, properties)) {
        TenQueries.query(connection);
      }
    }

    @Test
    void t01() throws SQLException {
      query();
    }

    @Test
    void t02() throws SQLException {
      query();
    }

    @Test
    void t03() throws SQLException {
      query();
    }

    @Test
    void t04() throws SQLException {
      query();
    }

    @Test
    void t05() throws SQLException {
      query();
    }

    @Test
    void t06() throws SQLException {
      query();
    }

    @Test
    void t07() throws SQLException {
      query();
    }

    @Test
    void t08() throws SQLException {
      query();
    }

    @Test
    void t09() throws SQLException {
      query();
    }

    @Test
    void t10() throws SQLException {
      query();
    }
  }

  public static void main(String[] args) throws Exception {
    Path output = Path.of(System.getProperty("benchmark.output", "target/benchmark"));
    Files.createDirectories(output);
    try (PostgresServer source = PostgresServers.start();
        PostgresServer backing = PostgresServers.start();
        NeonLocal neon = NeonLocal.builder().backingServer(backing).start()) {
      Optional<Path> pagila = SharedFixtures.dataset("pagila.sql");
      String database;
      if (pagila.isPresent()) {
        database = TestDatabases.createDatabase(source, "pagila");
        TestDatabases.loadFile(source, database, pagila.get());
      } else {
        database = TestDatabases.sampleDatabase(source);
      }
      BackupReport backup =
          new BackupRun(
                  new SettingsBuilder()
                      .set(Setting.SOURCE_URL, TestDatabases.url(source, database))
                      .set(Setting.NEON_API_KEY, neon.apiKey())
                      .set(Setting.NEON_PROJECT_ID, neon.projectId())
                      .set(Setting.NEON_API_URL, neon.apiUrl())
                      .set(Setting.REPORT_DIRECTORY, output.resolve("reports").toString())
                      .backup(),
                  new RunContext(
                      RunListener.SILENT,
                      Clock.systemUTC(),
                      NeonClientOptions.defaults(),
                      Map.of()))
              .execute();
      System.setProperty("supaneon.neonApiKey", neon.apiKey());
      System.setProperty("supaneon.neonProjectId", neon.projectId());
      System.setProperty("supaneon.neonApiUrl", neon.apiUrl());

      JunitConfiguration configuration = JunitConfiguration.fromSystem();
      NeonRestoredBranch annotation = PerClass.class.getAnnotation(NeonRestoredBranch.class);
      List<Long> create = new ArrayList<>();
      List<Long> connect = new ArrayList<>();
      List<Long> delete = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        long started = System.nanoTime();
        ScopedBranch branch =
            ScopedBranch.create(
                configuration.neon(),
                annotation,
                new BranchPermits(1),
                "benchmark",
                TestBranchBenchmark.class.getClassLoader(),
                m -> {});
        create.add(System.nanoTime() - started);
        started = System.nanoTime();
        try (Connection connection = branch.restored().connect()) {
          TenQueries.query(connection);
        }
        connect.add(System.nanoTime() - started);
        started = System.nanoTime();
        branch.close();
        delete.add(System.nanoTime() - started);
      }

      try (NeonClient client = new NeonClient(configuration.neon())) {
        var url =
            dev.supaneon.core.neon.NeonConnections.url(
                client, backup.branchId(), "neondb", "neondb_owner");
        Baseline.jdbcUrl = url.jdbcUrl();
        Baseline.properties = url.jdbcProperties();
      }
      long baseline = engineMillis(Baseline.class);
      long perMethod = engineMillis(PerMethod.class);
      long perClass = engineMillis(PerClass.class);
      String result =
          String.format(
              Locale.ROOT,
              "@NeonRestoredBranch overhead on neon-local, backup of %s (%d tables, %d rows, %s archive)%n"
                  + "  branch create (median of %d): %s, first connection + query: %s, delete: %s%n"
                  + "  10 one-query tests: no extension %s, per method %s (%s per test over baseline),"
                  + " per class %s (%s for the class over baseline)%n",
              pagila.isPresent() ? "pagila" : "the sample shop",
              backup.tableCount(),
              backup.rowCount(),
              Formats.bytes(backup.archiveBytes()),
              ROUNDS,
              median(create),
              median(connect),
              median(delete),
              Formats.millis(baseline),
              Formats.millis(perMethod),
              Formats.millis((perMethod - baseline) / 10),
              Formats.millis(perClass),
              Formats.millis(perClass - baseline));
      System.out.println(result);
      Files.writeString(output.resolve("junit-benchmark.txt"), result, StandardCharsets.UTF_8);
    }
  }

  private static long engineMillis(Class<?> testClass) {
    long started = System.nanoTime();
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.succeeded(10));
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static String median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return Formats.millis(sorted.get(sorted.size() / 2) / 1_000_000);
  }
}
