package dev.supaneon.neonlocal.controlplane;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The operations queue: what mutations started, and what the operation worker runs next. */
public final class OperationStore extends StoreAccess {

  private static final String OPERATION_COLUMNS =
      "id, seq, project_id, branch_id, endpoint_id, action, status, error, failures_count,"
          + " created_at, updated_at, total_duration_ms, payload::text";

  OperationStore(ConnectionPool pool) {
    super(pool);
  }

  void insertOperation(OperationRecord o) throws SQLException {
    update(
        "INSERT INTO neon_local.operation (id, project_id, branch_id, endpoint_id, action,"
            + " status, created_at, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
        o.id(),
        o.projectId(),
        o.branchId(),
        o.endpointId(),
        o.action(),
        o.status(),
        o.createdAt(),
        o.updatedAt(),
        o.payload() == null ? "{}" : o.payload().toString());
  }

  public Optional<OperationRecord> findOperation(String projectId, UUID id) throws SQLException {
    return queryOne(
        "SELECT "
            + OPERATION_COLUMNS
            + " FROM neon_local.operation"
            + " WHERE project_id = ? AND id = ?",
        StoreRows::operation,
        projectId,
        id);
  }

  /** Operations newest first, starting after the given sequence number when one is given. */
  public List<OperationRecord> listOperations(String projectId, Long beforeSequence, int limit)
      throws SQLException {
    return query(
        "SELECT "
            + OPERATION_COLUMNS
            + " FROM neon_local.operation WHERE project_id = ?"
            + " AND (?::bigint IS NULL OR seq < ?::bigint) ORDER BY seq DESC LIMIT ?",
        StoreRows::operation,
        projectId,
        beforeSequence,
        beforeSequence,
        limit);
  }

  boolean hasPendingOperations(String projectId) throws SQLException {
    return queryOne(
            "SELECT EXISTS (SELECT 1 FROM neon_local.operation WHERE project_id = ?"
                + " AND status IN ('scheduling', 'running'))",
            rows -> rows.getBoolean(1),
            projectId)
        .orElse(false);
  }

  /** Whether operations on the branch (its databases' copies, say) are still to finish. */
  boolean hasPendingOperations(String projectId, String branchId) throws SQLException {
    return queryOne(
            "SELECT EXISTS (SELECT 1 FROM neon_local.operation WHERE project_id = ?"
                + " AND branch_id = ? AND status IN ('scheduling', 'running'))",
            rows -> rows.getBoolean(1),
            projectId,
            branchId)
        .orElse(false);
  }

  /**
   * The project's oldest operation not yet done, if any. Only its own: several neon-locals may
   * share a backing server, each with its own project and its own operation delay.
   */
  Optional<OperationRecord> nextPendingOperation(String projectId) throws SQLException {
    return queryOne(
        "SELECT "
            + OPERATION_COLUMNS
            + " FROM neon_local.operation"
            + " WHERE project_id = ? AND status IN ('scheduling', 'running') ORDER BY seq LIMIT 1",
        StoreRows::operation,
        projectId);
  }

  void markOperation(UUID id, String status, String error, int failures, Instant now)
      throws SQLException {
    update(
        "UPDATE neon_local.operation SET status = ?, error = ?, failures_count = ?,"
            + " updated_at = ?, total_duration_ms ="
            + " LEAST(2147483647, (EXTRACT(EPOCH FROM (?::timestamptz - created_at)) * 1000)::bigint)"
            + " WHERE id = ?",
        status,
        error,
        failures,
        now,
        now,
        id);
  }
}
