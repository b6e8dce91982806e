package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.RetryPolicy;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.RecordedRequest;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup when Neon answers 423, 503 or 500 at the steps that matter: marking the backup verified,
 * deleting, cleaning up after a failure. Retries wait through a recording sleeper, so nothing here
 * waits for real; faults are always cleared, whatever the outcome.
 */
class BackupFaultsTest {

  PostgresServer source;
  String database;
  NeonLocal neon;
  final List<Duration> waits = new ArrayList<>();
  @TempDir Path reports;

  @BeforeEach
  void start() {
    source = TestDatabases.sourceServer();
    database = TestDatabases.sampleDatabase(source);
    neon = CoreTestEnvironment.neonLocal(10);
  }

  @AfterEach
  void stop() {
    try {
      neon.faults().clear();
    } finally {
      neon.close();
    }
  }

  BackupSettings settings() {
    return CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
        .set(Setting.STANDBY, "false")
        .backup();
  }

  BackupRun run(RecordingListener listener) {
    return run(listener, settings());
  }

  BackupRun run(RecordingListener listener, BackupSettings settings) {
    NeonClientOptions options =
        NeonClientOptions.defaults()
            .withSleeper(waits::add, Clock.systemUTC())
            .withRetryPolicy(
                new RetryPolicy(
                    5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1)));
    return new BackupRun(settings, new RunContext(listener, Clock.systemUTC(), options, Map.of()));
  }

  List<Integer> statuses(String operation) {
    return neon.requests().stream()
        .filter(r -> r.operation().equals(operation))
        .map(RecordedRequest::status)
        .toList();
  }

  @Test
  void lockedAndUnavailableAnswersToTheUpdateThatMarksTheBackupVerifiedAreRetried() {
    neon.faults().failNext("updateProjectBranch", 423, 1).failNext("updateProjectBranch", 503, 1);
    BackupReport report = run(new RecordingListener()).execute();
    assertEquals(BackupOutcome.VERIFIED, report.outcome());
    assertEquals(List.of(423, 503, 200), statuses("updateProjectBranch"));
    assertTrue(waits.size() >= 2, "two backoffs, not slept: " + waits);
  }

  @Test
  void unavailableAnswersToRetentionsDeletesAreRetried() {
    BackupReport first = run(new RecordingListener()).execute();
    neon.faults().failNext("deleteProjectBranch", 503, 2);
    BackupReport second =
        run(
                new RecordingListener(),
                CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                    .set(Setting.STANDBY, "false")
                    .set(Setting.KEEP_DAILY, "1")
                    .backup())
            .execute();
    assertEquals(BackupOutcome.VERIFIED, second.outcome());
    assertEquals(List.of(503, 503, 200), statuses("deleteProjectBranch"));
    try (NeonClient client = new NeonClient(settings().neon())) {
      BackupInventory inventory = new BackupInventory(client.listBranches());
      assertTrue(
          inventory.byIdOrName(first.branchId()).isEmpty(),
          "the older backup was deleted after all");
    }
  }

  @Test
  void aFailureAfterTheBackupIsVerifiedFailsTheRunButKeepsTheBackup() {
    // Suspending the backup's compute comes after it is marked verified: Neon fails it, always.
    neon.faults().failRandomly("suspendProjectEndpoint", 500, 1.0);
    BackupFailedException failure =
        assertThrows(BackupFailedException.class, () -> run(new RecordingListener()).execute());
    assertEquals(BackupOutcome.FAILED, failure.report().outcome());
    assertTrue(
        failure.report().finalState().startsWith("Verified backup"), failure.report().finalState());
    assertTrue(failure.report().finalState().contains("But the run failed afterwards"));
    neon.faults().clear();
    try (NeonClient client = new NeonClient(settings().neon())) {
      BackupInventory inventory = new BackupInventory(client.listBranches());
      assertEquals(
          failure.report().branchId(),
          inventory.newestVerifiedBackup().orElseThrow().branch().id(),
          "the verified backup stays");
    }
  }

  @Test
  void aCleanupThatFailsLeavesABranchThatExpiresAndSaysSo() {
    neon.faults().failRandomly("createProjectBranchDatabase", 400, 1.0);
    neon.faults().failRandomly("deleteProjectBranch", 500, 1.0);
    BackupFailedException failure =
        assertThrows(BackupFailedException.class, () -> run(new RecordingListener()).execute());
    assertTrue(
        failure.report().finalState().contains("could not be deleted now; it expires by itself"),
        failure.report().finalState());
    neon.faults().clear();
    try (NeonClient client = new NeonClient(settings().neon())) {
      BackupInventory inventory = new BackupInventory(client.listBranches());
      assertTrue(inventory.verifiedBackups().isEmpty(), "no verified backup");
      assertEquals(1, inventory.incompleteBackups().size(), "the unfinished branch is left");
      assertTrue(inventory.incompleteBackups().get(0).expiry().isPresent(), "and it expires");
    }
  }

  @Test
  void neonsComputeQuotaIsRecognisedAndSaysWhatToDoAndNothingIsLeftBehind() {
    neon.faults().exceedQuota("createProjectBranch", "compute time", 1);
    BackupFailedException failure =
        assertThrows(BackupFailedException.class, () -> run(new RecordingListener()).execute());
    assertTrue(
        failure.getMessage().startsWith("Neon's compute time quota was reached"),
        failure.getMessage());
    assertTrue(failure.report().finalState() != null);
    try (NeonClient client = new NeonClient(settings().neon())) {
      BackupInventory inventory = new BackupInventory(client.listBranches());
      assertTrue(inventory.verifiedBackups().isEmpty());
      assertTrue(inventory.incompleteBackups().isEmpty());
    }
  }
}
