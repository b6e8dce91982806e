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
          + " last_active";

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

  void deleteEndpoint(String id) throws SQLException {
    update("DELETE FROM neon_local.endpoint WHERE id = ?", id);
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
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        e.lastActive());
  }

  void updateEndpointState(
      String id, String currentState, String pendingState, Instant now, boolean started)
      throws SQLException {
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
