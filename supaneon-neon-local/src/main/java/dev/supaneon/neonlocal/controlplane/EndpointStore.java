package dev.supaneon.neonlocal.controlplane;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The branches' computes: their rows in {@code neon_local.endpoint}. */
public final class EndpointStore extends StoreAccess {

  private static final String ENDPOINT_COLUMNS =
      "id, project_id, branch_id, type, current_state, pending_state, min_cu, max_cu,"
          + " suspend_timeout_seconds, created_at, updated_at, started_at, suspended_at,"
          + " last_active, port";

  EndpointStore(ConnectionPool pool) {
    super(pool);
  }

  public List<EndpointRecord> listEndpoints(String projectId) throws SQLException {
    return query(
        "SELECT "
            + ENDPOINT_COLUMNS
            + " FROM neon_local.endpoint WHERE project_id = ?"
            + " ORDER BY created_at, id",
        StoreRows::endpoint,
        projectId);
  }

  public List<EndpointRecord> listBranchEndpoints(String branchId) throws SQLException {
    return query(
        "SELECT "
            + ENDPOINT_COLUMNS
            + " FROM neon_local.endpoint WHERE branch_id = ?"
            + " ORDER BY created_at, id",
        StoreRows::endpoint,
        branchId);
  }

  public Optional<EndpointRecord> findEndpoint(String projectId, String id) throws SQLException {
    return queryOne(
        "SELECT " + ENDPOINT_COLUMNS + " FROM neon_local.endpoint WHERE project_id = ? AND id = ?",
        StoreRows::endpoint,
        projectId,
        id);
  }

  void deleteEndpoint(String id, Instant now) throws SQLException {
    accrueComputeTime(id, now);
    update("DELETE FROM neon_local.endpoint WHERE id = ?", id);
  }

  /**
   * Adds an active endpoint's time since it started, and that time its minimum CU, to its branch's
   * compute use: called when it stops, is suspended or deleted.
   */
  private void accrueComputeTime(String id, Instant now) throws SQLException {
    update(
        "INSERT INTO neon_local.compute_usage (branch_id, project_id, cu_seconds, active_seconds)"
            + " SELECT branch_id, project_id, min_cu * seconds, seconds FROM (SELECT branch_id,"
            + " project_id, min_cu, greatest(0, extract(epoch FROM ?::timestamptz - started_at))"
            + "::float8 AS seconds FROM neon_local.endpoint WHERE id = ?"
            + " AND current_state = 'active' AND started_at IS NOT NULL) AS stopped"
            + " ON CONFLICT (branch_id) DO UPDATE SET"
            + " cu_seconds = neon_local.compute_usage.cu_seconds + excluded.cu_seconds,"
            + " active_seconds = neon_local.compute_usage.active_seconds + excluded.active_seconds",
        now,
        id);
  }

  /** Compute use of the project's stopped computes, and the data sent out, per branch. */
  List<ComputeUsage.Accrued> accruedComputeTime(String projectId) throws SQLException {
    return query(
        "SELECT branch_id, cu_seconds, active_seconds, transfer_bytes"
            + " FROM neon_local.compute_usage WHERE project_id = ?",
        rows ->
            new ComputeUsage.Accrued(
                rows.getString(1), rows.getDouble(2), rows.getDouble(3), rows.getLong(4)),
        projectId);
  }

  /** Adds bytes sent to a client to a branch's data transfer; kept if the branch is deleted. */
  void addTransfer(String branchId, String projectId, long bytes) throws SQLException {
    update(
        "INSERT INTO neon_local.compute_usage"
            + " (branch_id, project_id, cu_seconds, active_seconds, transfer_bytes)"
            + " VALUES (?, ?, 0, 0, ?) ON CONFLICT (branch_id) DO UPDATE SET"
            + " transfer_bytes = neon_local.compute_usage.transfer_bytes + excluded.transfer_bytes",
        branchId,
        projectId,
        bytes);
  }

  void updateEndpointSettings(
      String id, double minCu, double maxCu, long suspendTimeoutSeconds, Instant now)
      throws SQLException {
    update(
        "UPDATE neon_local.endpoint SET min_cu = ?, max_cu = ?, suspend_timeout_seconds = ?,"
            + " updated_at = ? WHERE id = ?",
        minCu,
        maxCu,
        suspendTimeoutSeconds,
        now,
        id);
  }

  void insertEndpoint(EndpointRecord e) throws SQLException {
    try (Connection connection = pool.borrow()) {
      insertEndpoint(connection, e);
    }
  }

  static void insertEndpoint(Connection connection, EndpointRecord e) throws SQLException {
    update(
        connection,
        "INSERT INTO neon_local.endpoint ("
            + ENDPOINT_COLUMNS
            + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id(),
        e.projectId(),
        e.branchId(),
        e.type(),
        e.currentState(),
        e.pendingState(),
        e.minCu(),
        e.maxCu(),
        e.suspendTimeoutSeconds(),
        e.createdAt(),
        e.updatedAt(),
        e.startedAt(),
        e.suspendedAt(),
        e.lastActive(),
        e.port());
  }

  void setPort(String id, int port) throws SQLException {
    update("UPDATE neon_local.endpoint SET port = ? WHERE id = ?", port, id);
  }

  /** A connection reached the endpoint. */
  void touch(String id, Instant now) throws SQLException {
    update("UPDATE neon_local.endpoint SET last_active = ? WHERE id = ?", now, id);
  }

  void updateEndpointState(
      String id, String currentState, String pendingState, Instant now, boolean started)
      throws SQLException {
    if (!started) {
      accrueComputeTime(id, now);
    }
    update(
        "UPDATE neon_local.endpoint SET current_state = ?, pending_state = ?, updated_at = ?,"
            + (started ? " started_at = ?, last_active = ?" : " suspended_at = ?, last_active = ?")
            + " WHERE id = ?",
        currentState,
        pendingState,
        now,
        now,
        now,
        id);
  }

  void setEndpointPendingState(String id, String pendingState, Instant now) throws SQLException {
    update(
        "UPDATE neon_local.endpoint SET pending_state = ?, updated_at = ? WHERE id = ?",
        pendingState,
        now,
        id);
  }
}
