package dev.supaneon.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.neonlocal.testing.LocalEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler invoked as Lambda invokes it, against a local source and neon-local. */
class BackupHandlerTest {

  static LocalEnvironment environment;

  @BeforeAll
  static void start() {
    environment = LocalEnvironment.start();
  }

  @AfterAll
  static void stop() {
    environment.close();
  }

  static final class TestContext implements Context {
    final List<String> lines = new ArrayList<>();

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          lines.add(message);
        }

        @Override
        public void log(byte[] message) {
          lines.add(new String(message, StandardCharsets.UTF_8));
        }
      };
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 900_000;
    }

    @Override
    public String getAwsRequestId() {
      return "test-request";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/supaneon";
    }

    @Override
    public String getLogStreamName() {
      return "test";
    }

    @Override
    public String getFunctionName() {
      return "supaneon-backup";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:eu-central-1:000000000000:function:supaneon-backup";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 512;
    }
  }

  /** An EventBridge rule's Scheduled Event: the handler accepts it as well as Scheduler's. */
  static Map<String, Object> event() {
    return Map.of(
        "version", "0",
        "id", "schedule-1",
        "detail-type", "Scheduled Event",
        "source", "aws.events",
        "time", "2026-11-23T03:17:00Z",
        "detail", Map.of());
  }

  @Test
  void aScheduledInvocationMakesAVerifiedBackup(@TempDir Path reports) {
    Map<String, String> env = new HashMap<>(environment.environment());
    env.put("SUPANEON_REPORT_DIR", reports.toString());
    TestContext context = new TestContext();
    Map<String, Object> result = new BackupHandler(env).handleRequest(event(), context);
    assertEquals("verified", result.get("outcome"));
    assertTrue(((String) result.get("branchName")).startsWith("backup-"));
    assertEquals(6, result.get("tables"));
    String log = String.join("\n", context.lines);
    assertTrue(log.contains("supaneon [verify] done"), log);
    assertTrue(log.contains("supaneon backup: verified"), log);
    assertTrue(log.contains("(Scheduled Event schedule-1 at 2026-11-23T03:17:00Z)"), log);
    for (String canary :
        List.of(LocalEnvironment.CANARY_PASSWORD, LocalEnvironment.CANARY_API_KEY)) {
      assertFalse(log.contains(canary), "the log");
      assertFalse(result.toString().contains(canary), "the invocation's result");
      assertFalse(reportsText(reports).contains(canary), "the reports");
    }
  }

  static String reportsText(Path reports) {
    try (var files = java.nio.file.Files.list(reports)) {
      StringBuilder text = new StringBuilder();
      for (Path file : files.toList()) {
        text.append(java.nio.file.Files.readString(file));
      }
      return text.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aFailedBackupFailsTheInvocation(@TempDir Path reports) {
    Map<String, String> env = new HashMap<>(environment.environment());
    env.put("SUPANEON_REPORT_DIR", reports.toString());
    env.put("NEON_PROJECT_ID", "no-such-project");
    TestContext context = new TestContext();
    BackupFailedException failure =
        assertThrows(
            BackupFailedException.class,
            () -> new BackupHandler(env).handleRequest(event(), context));
    assertTrue(failure.getMessage().contains("NEON_PROJECT_ID"), failure.getMessage());
    String log = String.join("\n", context.lines);
    assertTrue(log.contains("supaneon backup: failed"));
    for (String canary :
        List.of(LocalEnvironment.CANARY_PASSWORD, LocalEnvironment.CANARY_API_KEY)) {
      assertFalse(log.contains(canary), "the log");
      assertFalse(failure.getMessage().contains(canary), "the failure");
      assertFalse(reportsText(reports).contains(canary), "the reports");
    }
  }

  @Test
  void aFailureAfterItsBranchExistsFailsTheInvocationAndLeavesNoBackupBehind(
      @TempDir Path reports) {
    Map<String, String> env = new HashMap<>(environment.environment());
    env.put("SUPANEON_REPORT_DIR", reports.toString());
    var neon = environment.neon();
    Set<String> before = backupBranchIds();
    // The branch is made; creating the database in it is refused, always.
    neon.faults().failRandomly("createProjectBranchDatabase", 400, 1.0);
    TestContext context = new TestContext();
    try {
      BackupFailedException failure =
          assertThrows(
              BackupFailedException.class,
              () -> new BackupHandler(env).handleRequest(event(), context));
      assertEquals(BackupOutcome.FAILED, failure.report().outcome());
      assertTrue(failure.report().branchId() != null, "the run had made its branch");
    } finally {
      neon.faults().clear();
    }
    assertEquals(before, backupBranchIds(), "the run's branch is gone");
    String log = String.join("\n", context.lines);
    assertTrue(log.contains("supaneon backup: failed"), log);
    assertFalse(log.contains(LocalEnvironment.CANARY_PASSWORD), "the log");
  }

  static Set<String> backupBranchIds() {
    try (NeonClient client = new NeonClient(CoreTestEnvironment.neonSettings(environment.neon()))) {
      Set<String> ids = new TreeSet<>();
      client.listBranches().stream()
          .filter(b -> b.name().startsWith("backup-"))
          .forEach(b -> ids.add(b.id()));
      return ids;
    }
  }
}
