package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.restoretest.RestoreTestRun;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.standby.PromoteRun;
import dev.supaneon.core.status.StatusRun;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary password in the source and target URLs, a canary API key and the Neon role's password
 * must appear in no log line, report, exception message or process argument list, in any goal
 * (backup, status, promote, restore, restore test), whether it succeeds or fails.
 */
class SecretsStayHiddenTest {

  static final String PASSWORD = "CanaryPw-" + Long.toHexString(System.nanoTime());
  static final String KEY = "CanaryKey-" + Long.toHexString(System.nanoTime());

  @Test
  void noGoalShowsTheSecretsWhetherItSucceedsOrFails(@TempDir Path reports) throws Exception {
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    // Values stored out of line: this table's rows go through psql, whose argument list is
    // watched too.
    TestDatabases.execute(
        source,
        database,
        "CREATE TABLE public.canary_documents AS SELECT g AS id, (SELECT string_agg("
            + "pg_catalog.md5(g::text || '.' || p), '') FROM generate_series(1, 200) AS p) AS body"
            + " FROM generate_series(1, 2000) AS g");
    String role = "canary_" + Long.toHexString(System.nanoTime());
    TestDatabases.execute(
        source, "postgres", "CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
    try (NeonLocal neon =
            NeonLocal.builder()
                .backingServer(PostgresServers.shared())
                .apiKey(KEY)
                .projectId("canary-" + Long.toHexString(System.nanoTime()))
                .operationDelay(Duration.ofMillis(10))
                .start();
        ArgumentListWatcher watcher = new ArgumentListWatcher()) {
      BackupSettings settings =
          CoreTestEnvironment.settings(
                  neon, TestDatabases.url(source, database, role, PASSWORD), reports)
              .backup();
      RecordingListener listener = new RecordingListener();
      BackupReport report =
          new BackupRun(
                  settings,
                  new RunContext(
                      listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
              .execute();
      assertEquals(BackupOutcome.VERIFIED, report.outcome());

      neon.faults().failNext("createProjectBranch", 500, 20);
      BackupFailedException failure =
          assertThrows(
              BackupFailedException.class,
              () ->
                  new BackupRun(
                          settings,
                          new RunContext(
                              listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
                      .execute());

      neon.faults().clear();
      // Every other goal, on the same project: status, promote, restore (its target URL carries
      // the canary password too), and a restore test.
      RunContext context =
          new RunContext(listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of());
      SettingsBuilder others =
          CoreTestEnvironment.settings(
                  neon, TestDatabases.url(source, database, role, PASSWORD), reports)
              .set(
                  Setting.TARGET_URL,
                  TestDatabases.url(
                      source, TestDatabases.createDatabase(source, "canary"), role, PASSWORD));
      new StatusRun(others.status(), context).execute();
      new PromoteRun(others.promote(), context).execute();
      new RestoreRun(others.restore(), context).execute();
      new RestoreTestRun(others.restoreTest(), context).execute();
      RestoreFailedException refused =
          assertThrows(
              RestoreFailedException.class,
              () -> new RestoreRun(others.restore(), context).execute());
      String neonRolePassword;
      try (NeonClient client = new NeonClient(settings.neon())) {
        neonRolePassword =
            NeonConnections.url(client, report.branchId(), "neondb", "neondb_owner")
                .password()
                .reveal();
      }

      assertTrue(
          watcher.sawCommandContaining("pg_dump"), "the watcher saw pg_dump's argument list");
      assertTrue(watcher.sawCommandContaining("psql -X"), "the watcher saw psql's argument list");
      for (String secret : Set.of(PASSWORD, KEY, neonRolePassword)) {
        assertFalse(listener.text().contains(secret), "log");
        assertFalse(watcher.everything().contains(secret), "argument lists");
        assertFalse(String.valueOf(failure.getMessage()).contains(secret), "exception");
        assertFalse(String.valueOf(refused.getMessage()).contains(secret), "exception");
        try (Stream<Path> files = Files.list(reports)) {
          for (Path file : files.toList()) {
            assertFalse(Files.readString(file).contains(secret), file.toString());
          }
        }
      }
    }
  }

  /** Reads every process's argument list from /proc, many times a second, while a run goes on. */
  static final class ArgumentListWatcher implements AutoCloseable {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    ArgumentListWatcher() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                    processes
                        .filter(
                            p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(
                            p -> {
                              try {
                                byte[] bytes = Files.readAllBytes(p.resolve("cmdline"));
                                seen.add(
                                    new String(bytes, StandardCharsets.UTF_8).replace('\0', ' '));
                              } catch (IOException gone) {
                                // the process ended
                              }
                            });
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "argument-list-watcher");
      thread.setDaemon(true);
      thread.start();
    }

    boolean sawCommandContaining(String program) {
      return seen.stream().anyMatch(command -> command.contains(program));
    }

    String everything() {
      return String.join("\n", seen);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
