package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.supaneon.neonlocal.controlplane.Requests.EndpointChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The endpoints of branches: list, get, create, update, delete, start and suspend. */
public final class Endpoints extends ControlPlanePart {

  /** Neon's suspend timeout for an endpoint that sets none (and the only one on the Free plan). */
  static final Duration DEFAULT_SUSPEND_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration OPERATION_POLL = Duration.ofMillis(20);

  Endpoints(ControlPlane plane) {
    super(plane);
  }

  // ---- endpoints

  public List<EndpointRecord> listEndpoints(String requestedProjectId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return endpointStore.listEndpoints(projectId);
  }

  public List<EndpointRecord> listBranchEndpoints(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return endpointStore.listBranchEndpoints(branchId);
  }

  public EndpointRecord getEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return plane.endpoint(endpointId);
  }

  /** A new compute for a branch; it starts at once. A branch has at most one read_write one. */
  public EndpointChange createEndpoint(
      String requestedProjectId, String branchId, Requests.EndpointSpec spec)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    requireEndpointType(spec);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      if (spec.type().equals("read_write")
          && endpointStore.listBranchEndpoints(branch.id()).stream()
              .anyMatch(e -> e.type().equals("read_write"))) {
        throw NeonApiError.badRequest(
            "branch " + branch.id() + " already has a read_write endpoint");
      }
      EndpointChange started = startNewEndpoint(branch.id(), spec, plane.now());
      plane.operationsQueued();
      return new EndpointChange(plane.endpoint(started.endpoint().id()), started.operations());
    }
  }

  /** Size and suspend timeout; absent values stay as they are. */
  public EndpointChange updateEndpoint(
      String requestedProjectId,
      String endpointId,
      Optional<Double> minCu,
      Optional<Double> maxCu,
      Optional<Long> suspendTimeoutSeconds)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      EndpointRecord endpoint = plane.endpoint(endpointId);
      endpointStore.updateEndpointSettings(
          endpointId,
          minCu.orElse(endpoint.minCu()),
          maxCu.orElse(endpoint.maxCu()),
          suspendTimeoutSeconds.orElse(endpoint.suspendTimeoutSeconds()),
          plane.now());
      return new EndpointChange(plane.endpoint(endpointId), List.of());
    }
  }

  /** Removes the compute; its open sessions are closed. */
  public EndpointChange deleteEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      EndpointRecord endpoint = plane.endpoint(endpointId);
      cluster.terminateSessions(
          store.listDatabases(endpoint.branchId()).stream()
              .map(DatabaseRecord::physicalName)
              .toList());
      endpointStore.deleteEndpoint(endpointId, plane.now());
      removed();
      return new EndpointChange(endpoint, List.of());
    }
  }

  /**
   * Where a connection to the endpoint goes, for the given logical database and role; empty when
   * the endpoint is gone.
   */
  public Optional<ComputeRoute> route(String endpointId, String database, String role)
      throws SQLException {
    Optional<EndpointRecord> found = endpointStore.findEndpoint(projectId, endpointId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    EndpointRecord endpoint = found.get();
    Map<String, String> logicalByPhysical = new HashMap<>();
    Optional<String> physical = Optional.empty();
    for (DatabaseRecord candidate : store.listDatabases(endpoint.branchId())) {
      logicalByPhysical.put(candidate.physicalName(), candidate.name());
      if (candidate.name().equals(database)) {
        physical = Optional.of(candidate.physicalName());
      }
    }
    return Optional.of(
        new ComputeRoute(
            endpoint.id(),
            endpoint.branchId(),
            endpoint.type().equals("read_only"),
            physical,
            store.findRole(endpoint.branchId(), role).map(RoleRecord::password),
            logicalByPhysical));
  }

  /**
   * Waits until the branch's operations are done, as Neon's proxy waits for a starting compute: a
   * client that connects right after creating a branch finds its databases copied. Gives up after
   * {@code limit}; the connection then fails as the backing server answers.
   */
  public void awaitOperations(String branchId, Duration limit)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (plane.operations().hasPendingOperations(projectId, branchId)
        && System.nanoTime() < deadline) {
      Thread.sleep(OPERATION_POLL.toMillis());
    }
  }

  /**
   * A client logged in through the endpoint: a suspended compute wakes, as Neon's do on a
   * connection, and its compute time counts from now.
   */
  public void connected(String endpointId) throws SQLException {
    Optional<EndpointRecord> endpoint = endpointStore.findEndpoint(projectId, endpointId);
    if (endpoint.isEmpty()) {
      return;
    }
    Instant now = plane.now();
    if (endpoint.get().currentState().equals("idle") && endpoint.get().pendingState() == null) {
      endpointStore.updateEndpointState(endpointId, "active", null, now, true);
    } else {
      endpointStore.touch(endpointId, now);
    }
  }

  /**
   * A session through the endpoint ended, having sent these bytes to its client: they count as the
   * branch's data transfer, and the compute's idle time starts again.
   */
  public void sessionEnded(String endpointId, String branchId, long bytes) throws SQLException {
    if (bytes > 0) {
      endpointStore.addTransfer(branchId, projectId, bytes);
    }
    endpointStore.touch(endpointId, plane.now());
  }

  /**
   * Suspends every compute that has had no session for longer than its suspend timeout, as Neon
   * does: 0 means Neon's default of 5 minutes, -1 never. Returns how many were suspended.
   */
  public int suspendIdle() throws SQLException {
    Instant now = plane.now();
    int suspended = 0;
    for (EndpointRecord endpoint : endpointStore.listEndpoints(projectId)) {
      long timeout =
          endpoint.suspendTimeoutSeconds() == 0
              ? DEFAULT_SUSPEND_TIMEOUT.toSeconds()
              : endpoint.suspendTimeoutSeconds();
      Instant lastActive =
          endpoint.lastActive() != null ? endpoint.lastActive() : endpoint.startedAt();
      if (!endpoint.currentState().equals("active")
          || endpoint.pendingState() != null
          || timeout < 0
          || lastActive == null
          || lastActive.plusSeconds(timeout).isAfter(now)
          || plane.addresses().openSessions(endpoint.id()) > 0) {
        continue;
      }
      endpointStore.updateEndpointState(endpoint.id(), "idle", null, now, false);
      suspended++;
    }
    return suspended;
  }

  public EndpointChange startEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiError, SQLException {
    return changeEndpoint(requestedProjectId, endpointId, "start_compute", "active");
  }

  public EndpointChange suspendEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiError, SQLException {
    return changeEndpoint(requestedProjectId, endpointId, "suspend_compute", "idle");
  }

  private EndpointChange changeEndpoint(
      String requestedProjectId, String endpointId, String action, String pendingState)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      EndpointRecord endpoint = plane.endpoint(endpointId);
      Instant now = plane.now();
      endpointStore.setEndpointPendingState(endpointId, pendingState, now);
      OperationRecord operation =
          plane.queue(
              endpoint.branchId(),
              endpointId,
              action,
              JsonNodeFactory.instance.objectNode().put("endpoint_id", endpointId),
              now);
      plane.operationsQueued();
      return new EndpointChange(plane.endpoint(endpointId), List.of(operation));
    }
  }

  /** Gives a newly stored endpoint its port. */
  EndpointRecord listen(EndpointRecord endpoint) throws SQLException {
    try {
      int port = plane.addresses().listen(endpoint.id(), 0);
      endpointStore.setPort(endpoint.id(), port);
      return endpoint.withPort(port);
    } catch (IOException e) {
      throw new UncheckedIOException("neon-local found no port for " + endpoint.id(), e);
    }
  }

  /** Endpoints were deleted: their ports close, and their sessions with them. */
  void removed() throws SQLException {
    plane
        .addresses()
        .retainOnly(
            endpointStore.listEndpoints(projectId).stream()
                .map(EndpointRecord::id)
                .collect(Collectors.toSet()));
  }
}
