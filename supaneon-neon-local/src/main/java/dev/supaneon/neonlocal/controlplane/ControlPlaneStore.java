package dev.supaneon.neonlocal.controlplane;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's state, kept in schema {@code neon_local} of a database on the backing server,
 * so that a restarted neon-local on the same server finds every branch again.
 */
public final class ControlPlaneStore extends StoreAccess {

  static final String DATABASE = "neon_local";

  private static final String BRANCH_COLUMNS =
      "id, project_id, parent_id, name, current_state, pending_state, state_changed_at,"
          + " created_at, updated_at, expires_at, protected, is_default, parent_lsn,"
          + " parent_timestamp, init_source, creation_source, annotation::text,"
          + " annotation_created_at, annotation_updated_at, restored_from";

  ControlPlaneStore(ConnectionPool pool) {
    super(pool);
  }

  void createSchema() throws SQLException {
    StoreSchema.create(pool);
  }

  // ---- settings

  public Optional<String> setting(String name) throws SQLException {
    return queryOne(
        "SELECT value FROM neon_local.setting WHERE name = ?", rows -> rows.getString(1), name);
  }

  public void putSetting(String name, String value) throws SQLException {
    update(
        "INSERT INTO neon_local.setting VALUES (?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
        name,
        value);
  }

  // ---- project

  public Optional<ProjectRecord> findProject(String id) throws SQLException {
    return queryOne(
        "SELECT id, name, region_id, pg_version, branch_limit, created_at, updated_at"
            + " FROM neon_local.project WHERE id = ?",
        StoreRows::project,
        id);
  }

  public List<ProjectRecord> listProjects() throws SQLException {
    return query(
        "SELECT id, name, region_id, pg_version, branch_limit, created_at, updated_at"
            + " FROM neon_local.project ORDER BY created_at",
        StoreRows::project);
  }

  /** A new project with its default branch, role, database and endpoint, all or nothing. */
  void insertNewProject(
      ProjectRecord project,
      BranchRecord branch,
      RoleRecord role,
      DatabaseRecord database,
      EndpointRecord endpoint)
      throws SQLException {
    try (Connection connection = pool.borrow()) {
      connection.setAutoCommit(false);
      insertBranch(connection, branch);
      insertRole(connection, role);
      insertDatabase(connection, database);
      EndpointStore.insertEndpoint(connection, endpoint);
      insertProject(connection, project);
      connection.commit();
    }
  }

  private static void insertProject(Connection connection, ProjectRecord project)
      throws SQLException {
    update(
        connection,
        "INSERT INTO neon_local.project VALUES (?, ?, ?, ?, ?, ?, ?)",
        project.id(),
        project.name(),
        project.regionId(),
        project.pgVersion(),
        project.branchLimit(),
        project.createdAt(),
        project.updatedAt());
  }

  void renameProject(String id, String name, Instant now) throws SQLException {
    update("UPDATE neon_local.project SET name = ?, updated_at = ? WHERE id = ?", name, now, id);
  }

  void updateProjectSettings(String id, int pgVersion, int branchLimit, Instant now)
      throws SQLException {
    update(
        "UPDATE neon_local.project SET pg_version = ?, branch_limit = ?, updated_at = ?"
            + " WHERE id = ?",
        pgVersion,
        branchLimit,
        now,
        id);
  }

  // ---- branches

  public List<BranchRecord> listBranches(String projectId) throws SQLException {
    return query(
        "SELECT " + BRANCH_COLUMNS + " FROM neon_local.branch WHERE project_id = ?",
        StoreRows::branch,
        projectId);
  }

  public Optional<BranchRecord> findBranch(String projectId, String id) throws SQLException {
    return queryOne(
        "SELECT " + BRANCH_COLUMNS + " FROM neon_local.branch WHERE project_id = ? AND id = ?",
        StoreRows::branch,
        projectId,
        id);
  }

  Optional<BranchRecord> findBranchByName(String projectId, String name) throws SQLException {
    return queryOne(
        "SELECT " + BRANCH_COLUMNS + " FROM neon_local.branch WHERE project_id = ? AND name = ?",
        StoreRows::branch,
        projectId,
        name);
  }

  void insertBranch(BranchRecord b) throws SQLException {
    try (Connection connection = pool.borrow()) {
      insertBranch(connection, b);
    }
  }

  private static void insertBranch(Connection connection, BranchRecord b) throws SQLException {
    update(
        connection,
        "INSERT INTO neon_local.branch ("
            + BRANCH_COLUMNS.replace("::text", "")
            + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
        b.id(),
        b.projectId(),
        b.parentId(),
        b.name(),
        b.currentState(),
        b.pendingState(),
        b.stateChangedAt(),
        b.createdAt(),
        b.updatedAt(),
        b.expiresAt(),
        b.isProtected(),
        b.isDefault(),
        b.parentLsn(),
        b.parentTimestamp(),
        b.initSource(),
        b.creationSource(),
        StoreRows.toJson(b.annotation()),
        b.annotationCreatedAt(),
        b.annotationUpdatedAt(),
        b.restoredFrom());
  }

  /** Replaces every mutable field of a branch. */
  void updateBranch(BranchRecord b) throws SQLException {
    update(
        "UPDATE neon_local.branch SET parent_id = ?, name = ?, current_state = ?,"
            + " pending_state = ?, state_changed_at = ?, updated_at = ?, expires_at = ?,"
            + " protected = ?, is_default = ?, restored_from = ? WHERE id = ?",
        b.parentId(),
        b.name(),
        b.currentState(),
        b.pendingState(),
        b.stateChangedAt(),
        b.updatedAt(),
        b.expiresAt(),
        b.isProtected(),
        b.isDefault(),
        b.restoredFrom(),
        b.id());
  }

  void deleteBranchAndChildren(String branchId) throws SQLException {
    try (Connection connection = pool.borrow()) {
      connection.setAutoCommit(false);
      for (String table : List.of("endpoint", "role", "database")) {
        try (PreparedStatement statement =
            connection.prepareStatement(
                "DELETE FROM neon_local." + table + " WHERE branch_id = ?")) {
          statement.setString(1, branchId);
          statement.executeUpdate();
        }
      }
      try (PreparedStatement statement =
          connection.prepareStatement("DELETE FROM neon_local.branch WHERE id = ?")) {
        statement.setString(1, branchId);
        statement.executeUpdate();
      }
      connection.commit();
    }
  }

  // ---- roles

  public List<RoleRecord> listRoles(String branchId) throws SQLException {
    return query(
        "SELECT branch_id, name, password, no_login, protected, created_at, updated_at"
            + " FROM neon_local.role WHERE branch_id = ? ORDER BY created_at, name",
        StoreRows::role,
        branchId);
  }

  public Optional<RoleRecord> findRole(String branchId, String name) throws SQLException {
    return queryOne(
        "SELECT branch_id, name, password, no_login, protected, created_at, updated_at"
            + " FROM neon_local.role WHERE branch_id = ? AND name = ?",
        StoreRows::role,
        branchId,
        name);
  }

  /** The password of the cluster-wide role behind a role name, from any branch that has it. */
  Optional<String> anyPasswordOf(String roleName) throws SQLException {
    return queryOne(
        "SELECT password FROM neon_local.role WHERE name = ? AND password IS NOT NULL LIMIT 1",
        rows -> rows.getString(1),
        roleName);
  }

  long countRolesNamed(String roleName) throws SQLException {
    return queryOne(
            "SELECT count(*) FROM neon_local.role WHERE name = ?",
            rows -> rows.getLong(1),
            roleName)
        .orElse(0L);
  }

  void deleteRole(String branchId, String name) throws SQLException {
    update("DELETE FROM neon_local.role WHERE branch_id = ? AND name = ?", branchId, name);
  }

  /** A new password for the cluster-wide role, so on every branch that has it. */
  void setRolePassword(String name, String password, Instant now) throws SQLException {
    update(
        "UPDATE neon_local.role SET password = ?, updated_at = ?"
            + " WHERE name = ? AND password IS NOT NULL",
        password,
        now,
        name);
  }

  void insertRole(RoleRecord r) throws SQLException {
    try (Connection connection = pool.borrow()) {
      insertRole(connection, r);
    }
  }

  private static void insertRole(Connection connection, RoleRecord r) throws SQLException {
    update(
        connection,
        "INSERT INTO neon_local.role VALUES (?, ?, ?, ?, ?, ?, ?)",
        r.branchId(),
        r.name(),
        r.password(),
        r.noLogin(),
        r.isProtected(),
        r.createdAt(),
        r.updatedAt());
  }

  // ---- databases

  public List<DatabaseRecord> listDatabases(String branchId) throws SQLException {
    return query(
        "SELECT id, branch_id, name, owner_name, physical_name, created_at, updated_at"
            + " FROM neon_local.database WHERE branch_id = ? ORDER BY id",
        StoreRows::database,
        branchId);
  }

  public Optional<DatabaseRecord> findDatabase(String branchId, String name) throws SQLException {
    return queryOne(
        "SELECT id, branch_id, name, owner_name, physical_name, created_at, updated_at"
            + " FROM neon_local.database WHERE branch_id = ? AND name = ?",
        StoreRows::database,
        branchId,
        name);
  }

  long nextDatabaseId() throws SQLException {
    return queryOne(
            "SELECT nextval(pg_get_serial_sequence('neon_local.database', 'id'))",
            rows -> rows.getLong(1))
        .orElseThrow();
  }

  void insertDatabase(DatabaseRecord d) throws SQLException {
    try (Connection connection = pool.borrow()) {
      insertDatabase(connection, d);
    }
  }

  private static void insertDatabase(Connection connection, DatabaseRecord d) throws SQLException {
    update(
        connection,
        "INSERT INTO neon_local.database VALUES (?, ?, ?, ?, ?, ?, ?)",
        d.id(),
        d.branchId(),
        d.name(),
        d.ownerName(),
        d.physicalName(),
        d.createdAt(),
        d.updatedAt());
  }

  void setInheritedBytes(String physicalName, long bytes) throws SQLException {
    update(
        "UPDATE neon_local.database SET inherited_bytes = ? WHERE physical_name = ?",
        bytes,
        physicalName);
  }

  /** Each database of the branch: its physical name and the bytes it inherited. */
  List<Map.Entry<String, Long>> inheritedBytes(String branchId) throws SQLException {
    return query(
        "SELECT physical_name, inherited_bytes FROM neon_local.database WHERE branch_id = ?",
        rows -> Map.entry(rows.getString(1), rows.getLong(2)),
        branchId);
  }

  void deleteDatabase(long id) throws SQLException {
    update("DELETE FROM neon_local.database WHERE id = ?", id);
  }

  void moveDatabases(String fromBranchId, String toBranchId) throws SQLException {
    update(
        "UPDATE neon_local.database SET branch_id = ? WHERE branch_id = ?",
        toBranchId,
        fromBranchId);
  }

  void copyRoles(String fromBranchId, String toBranchId, Instant now) throws SQLException {
    update(
        "INSERT INTO neon_local.role SELECT ?, name, password, no_login, protected, ?, ?"
            + " FROM neon_local.role WHERE branch_id = ? ON CONFLICT DO NOTHING",
        toBranchId,
        now,
        now,
        fromBranchId);
  }
}
