package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What every part of the control plane shares: the plane itself (for its checks and its operation
 * queue), the store, the backing cluster, id generation, and the lock that serializes mutations.
 */
abstract class ControlPlanePart {

  protected final ControlPlane plane;
  protected final ControlPlaneStore store;
  protected final EndpointStore endpointStore;
  protected final BackingCluster cluster;
  protected final ResourceIds ids;
  protected final Object mutationLock;
  protected final String projectId;

  ControlPlanePart(ControlPlane plane) {
    this.plane = plane;
    this.store = plane.store();
    this.endpointStore = plane.endpointStore();
    this.cluster = plane.cluster();
    this.ids = plane.ids();
    this.mutationLock = plane.mutationLock();
    this.projectId = plane.projectId();
  }

  /** The branch, after checking the project: what a request about one branch starts with. */
  BranchRecord existingBranch(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return plane.branch(branchId);
  }

  /** A configuration change of the branch, queued for the operation worker, which is woken. */
  OperationRecord queueApplyConfig(String branchId, ObjectNode payload, Instant now)
      throws SQLException {
    OperationRecord operation = plane.queue(branchId, null, "apply_config", payload, now);
    plane.operationsQueued();
    return operation;
  }

  /**
   * A new endpoint of the branch, stored and queued to start (its state is {@code init}, pending
   * {@code active}, until the operation runs).
   */
  Requests.EndpointChange startNewEndpoint(String branchId, Requests.EndpointSpec spec, Instant now)
      throws SQLException {
    EndpointRecord endpoint =
        new EndpointRecord(
            ids.endpoint(),
            projectId,
            branchId,
            spec.type(),
            "init",
            "active",
            spec.minCu(),
            spec.maxCu(),
            spec.suspendTimeoutSeconds(),
            now,
            now,
            null,
            null,
            null,
            0);
    endpointStore.insertEndpoint(endpoint);
    endpoint = plane.endpoints().listen(endpoint);
    OperationRecord operation =
        plane.queue(
            branchId,
            endpoint.id(),
            "start_compute",
            JsonNodeFactory.instance.objectNode().put("endpoint_id", endpoint.id()),
            now);
    return new Requests.EndpointChange(endpoint, List.of(operation));
  }

  /** Neon's two kinds of compute; anything else is a bad request. */
  static void requireEndpointType(Requests.EndpointSpec spec) throws NeonApiError {
    if (!List.of("read_write", "read_only").contains(spec.type())) {
      throw NeonApiError.badRequest("endpoint type must be read_write or read_only");
    }
  }

  /** The value, or 404 naming what was not found. */
  static <T> T found(Optional<T> value, String what) throws NeonApiError {
    return value.orElseThrow(() -> NeonApiError.notFound(what + " not found"));
  }
}
