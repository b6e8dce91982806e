package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out queued operations one at a time, oldest first, moving each from {@code scheduling}
 * through {@code running} to {@code finished}, and deletes expired branches on a schedule.
 *
 * <p>Operations live in the control-plane database, so an operation cut short by a restart runs
 * again on the next start; every action is written to be repeatable.
 */
public final class OperationWorker implements AutoCloseable {

  private static final int MAX_ATTEMPTS = 3;

  private final ControlPlane controlPlane;
  private final ControlPlaneStore store;
  private final BackingCluster cluster;
  private final Duration schedulingDelay;
  private final Duration sweepInterval;
  private final Consumer<String> log;
  private final Semaphore wakeUp = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;
  private Instant nextSweep = Instant.EPOCH;

  public OperationWorker(
      ControlPlane controlPlane,
      Duration schedulingDelay,
      Duration sweepInterval,
      Consumer<String> log) {
    this.controlPlane = controlPlane;
    this.store = controlPlane.store();
    this.cluster = controlPlane.cluster();
    this.schedulingDelay = schedulingDelay;
    this.sweepInterval = sweepInterval;
    this.log = log;
    this.thread = new Thread(this::loop, "neon-local-operations");
    this.thread.setDaemon(true);
    controlPlane.onOperationsQueued(wakeUp::release);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        sweepIfDue();
        Optional<OperationRecord> next =
            controlPlane.operations().nextPendingOperation(controlPlane.projectId());
        if (next.isEmpty()) {
          wakeUp.tryAcquire(100, TimeUnit.MILLISECONDS);
          continue;
        }
        runOperation(next.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException | RuntimeException e) {
        if (running) {
          log.accept("neon-local: operation loop error: " + e.getMessage());
          sleepQuietly(Duration.ofMillis(500));
        }
      }
    }
  }

  private void sweepIfDue() throws SQLException {
    Instant now = controlPlane.clock().instant();
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(sweepInterval);
    controlPlane.endpoints().suspendIdle();
    int queued = controlPlane.deleteExpiredBranches();
    if (queued > 0) {
      log.accept("neon-local: deleting " + queued + " expired branch(es)");
    }
  }

  private void runOperation(OperationRecord operation) throws SQLException, InterruptedException {
    if (operation.status().equals(OperationStatus.SCHEDULING)) {
      Instant due = operation.createdAt().plus(schedulingDelay);
      long waitMillis = Duration.between(controlPlane.clock().instant(), due).toMillis();
      if (waitMillis > 0) {
        Thread.sleep(waitMillis);
      }
      controlPlane
          .operations()
          .markOperation(
              operation.id(), OperationStatus.RUNNING, null, operation.failuresCount(), now());
    }
    int failures = operation.failuresCount();
    try {
      execute(operation);
      controlPlane
          .operations()
          .markOperation(operation.id(), OperationStatus.FINISHED, null, failures, now());
    } catch (SQLException | RuntimeException e) {
      failures++;
      String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (failures >= MAX_ATTEMPTS) {
        log.accept("neon-local: operation " + operation.action() + " failed: " + error);
        controlPlane
            .operations()
            .markOperation(operation.id(), OperationStatus.FAILED, error, failures, now());
        markBranchFailed(operation);
      } else {
        controlPlane
            .operations()
            .markOperation(operation.id(), OperationStatus.RUNNING, error, failures, now());
        Thread.sleep(500L * failures);
      }
    }
  }

  private void execute(OperationRecord operation) throws SQLException, InterruptedException {
    JsonNode payload = operation.payload();
    switch (operation.action()) {
      case "create_timeline" -> {
        for (JsonNode physical : payload.path("drop")) {
          cluster.dropDatabase(physical.asText());
        }
        for (JsonNode copy : payload.path("copies")) {
          String target = copy.get("target").asText();
          cluster.copyDatabase(copy.get("source").asText(), target, copy.get("owner").asText());
          // Copied pages are shared with the source, as Neon's branches share history.
          store.setInheritedBytes(target, cluster.databaseSize(target));
        }
        String branchId = payload.get("branch_id").asText();
        Optional<BranchRecord> branch = store.findBranch(operation.projectId(), branchId);
        if (branch.isPresent()) {
          store.updateBranch(branch.get().inState("ready", null, now()));
        }
      }
      case "start_compute" ->
          controlPlane
              .endpointStore()
              .updateEndpointState(
                  payload.get("endpoint_id").asText(), "active", null, now(), true);
      case "suspend_compute" -> {
        List<String> databases =
            store.listDatabases(operation.branchId()).stream()
                .map(DatabaseRecord::physicalName)
                .toList();
        String endpointId = payload.get("endpoint_id").asText();
        controlPlane.addresses().disconnect(endpointId);
        cluster.terminateSessions(databases);
        controlPlane.endpointStore().updateEndpointState(endpointId, "idle", null, now(), false);
      }
      case "delete_timeline" -> {
        String branchId = payload.get("branch_id").asText();
        for (DatabaseRecord database : store.listDatabases(branchId)) {
          cluster.dropDatabase(database.physicalName());
        }
        List<RoleRecord> roles = store.listRoles(branchId);
        store.deleteBranchAndChildren(branchId);
        controlPlane.endpoints().removed();
        for (RoleRecord role : roles) {
          if (store.countRolesNamed(role.name()) == 0) {
            cluster.dropRoleIfPossible(role.name());
          }
        }
      }
      case "apply_config" -> applyConfig(payload);
      default -> throw new IllegalStateException("unknown operation " + operation.action());
    }
  }

  private void applyConfig(JsonNode payload) throws SQLException {
    switch (payload.get("kind").asText()) {
      case "create_database" ->
          cluster.createDatabase(payload.get("physical").asText(), payload.get("owner").asText());
      case "delete_database" -> cluster.dropDatabase(payload.get("physical").asText());
      case "create_role" -> {
        Optional<RoleRecord> role =
            store.findRole(payload.get("branch_id").asText(), payload.get("name").asText());
        if (role.isPresent()) {
          cluster.ensureRole(role.get().name(), Optional.ofNullable(role.get().password()));
        }
      }
      default -> throw new IllegalStateException("unknown configuration change " + payload);
    }
  }

  private void markBranchFailed(OperationRecord operation) throws SQLException {
    if (operation.action().equals("create_timeline") && operation.branchId() != null) {
      Optional<BranchRecord> branch = store.findBranch(operation.projectId(), operation.branchId());
      if (branch.isPresent()) {
        store.updateBranch(branch.get().inState("error", null, now()));
      }
    }
  }

  private Instant now() {
    return controlPlane.clock().instant();
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
