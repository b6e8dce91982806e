package dev.supaneon.core.branch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each lifecycle step returns only once Neon has finished what it started: against a neon-local
 * whose operations take a noticeable time, the state right after each call is the final one.
 */
class BranchLifecycleWaitsTest {

  static NeonLocal neon;
  static NeonClient client;
  static BranchLifecycle lifecycle;
  static Branch parent;

  @BeforeAll
  static void start() {
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("waits-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(Duration.ofMillis(400))
            .start();
    client = new NeonClient(CoreTestEnvironment.neonSettings(neon));
    lifecycle = BranchLifecycle.of(client, Clock.systemUTC(), NeonClientOptions.defaults());
    parent = lifecycle.inventory().defaultBranch().orElseThrow();
  }

  @AfterAll
  static void stop() {
    client.close();
    neon.close();
  }

  static BranchLifecycle.Request request(String runId) {
    return BranchLifecycle.Request.of(
        TimestampedName.TEST, parent, Clock.systemUTC().instant().plusSeconds(3600), runId);
  }

  static String state(String branchId) {
    return client.findBranch(branchId).orElseThrow().currentState();
  }

  static List<String> endpointStates(String branchId) {
    return client.listBranchEndpoints(branchId).stream().map(e -> e.currentState()).toList();
  }

  @Test
  void aCreatedBranchIsReadyWithItsComputeRunningWhenCreateReturns() {
    CreatedBranch created = lifecycle.create(request("waits-create"));
    assertEquals("ready", state(created.branch().id()));
    assertEquals(List.of("active"), endpointStates(created.branch().id()));
    lifecycle.delete(created.branch());
  }

  @Test
  void aLastingBranchIsReadyWhenCreateLastingReturns() {
    CreatedBranch created = lifecycle.createLasting("lasting-waits", "standby", parent, "r");
    assertEquals("ready", state(created.branch().id()));
    lifecycle.delete(created.branch());
  }

  @Test
  void suspendedComputesAreIdleWhenSuspendReturns() {
    CreatedBranch created = lifecycle.create(request("waits-suspend"));
    assertEquals(1, lifecycle.suspendEndpoints(created.branch()));
    assertEquals(List.of("idle"), endpointStates(created.branch().id()));
    lifecycle.delete(created.branch());
  }

  @Test
  void aDeletedBranchIsGoneWhenDeleteReturns() {
    CreatedBranch created = lifecycle.create(request("waits-delete"));
    lifecycle.delete(created.branch());
    assertTrue(client.findBranch(created.branch().id()).isEmpty());
  }

  @Test
  void aBranchWhoseExpiryWasClearedIsReadyAgainWhenClearExpiryReturns() {
    CreatedBranch created = lifecycle.create(request("waits-expiry"));
    Branch cleared = lifecycle.clearExpiry(created.branch());
    assertTrue(cleared.expiry().isEmpty());
    assertEquals("ready", state(created.branch().id()));
    lifecycle.delete(created.branch());
  }
}
