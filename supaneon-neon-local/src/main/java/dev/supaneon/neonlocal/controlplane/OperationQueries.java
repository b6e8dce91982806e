package dev.supaneon.neonlocal.controlplane;

import dev.supaneon.neonlocal.controlplane.Requests.OperationPage;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The project's operations, newest first, a page at a time, and one by id. */
public final class OperationQueries extends ControlPlanePart {

  OperationQueries(ControlPlane plane) {
    super(plane);
  }

  public OperationPage listOperations(
      String requestedProjectId, Optional<String> cursor, Optional<Integer> limit)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    int size = limit.orElse(10);
    if (size < 1 || size > 1000) {
      throw NeonApiError.badRequest("limit must be between 1 and 1000");
    }
    Long before = null;
    if (cursor.isPresent() && !cursor.get().isEmpty()) {
      try {
        before = Long.parseLong(BranchQueries.decodeCursor(cursor.get()));
      } catch (NumberFormatException e) {
        throw NeonApiError.badRequest("invalid cursor");
      }
    }
    List<OperationRecord> page = plane.operations().listOperations(projectId, before, size);
    // Like Neon, every non-empty page carries a cursor; the page after the last one is empty.
    Optional<String> next =
        page.isEmpty()
            ? Optional.empty()
            : Optional.of(
                BranchQueries.encodeCursor(Long.toString(page.get(page.size() - 1).sequence())));
    return new OperationPage(page, next);
  }

  public OperationRecord getOperation(String requestedProjectId, String operationId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    UUID id;
    try {
      id = UUID.fromString(operationId);
    } catch (IllegalArgumentException e) {
      throw NeonApiError.notFound("operation " + operationId + " not found");
    }
    return plane
        .operations()
        .findOperation(projectId, id)
        .orElseThrow(() -> NeonApiError.notFound("operation " + operationId + " not found"));
  }
}
