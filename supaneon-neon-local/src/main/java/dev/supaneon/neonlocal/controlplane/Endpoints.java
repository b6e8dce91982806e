package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.supaneon.neonlocal.controlplane.Requests.EndpointChange;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The endpoints of branches: list, get, start and suspend. */
public final class Endpoints extends ControlPlanePart {

  Endpoints(ControlPlane plane) {
    super(plane);
  }

  // ---- endpoints

  public List<EndpointRecord> listEndpoints(String requestedProjectId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return store.listEndpoints(projectId);
  }

  public List<EndpointRecord> listBranchEndpoints(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return store.listBranchEndpoints(branchId);
  }

  public EndpointRecord getEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return plane.endpoint(endpointId);
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
      store.setEndpointPendingState(endpointId, pendingState, now);
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
}
