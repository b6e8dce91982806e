package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.supaneon.neonlocal.controlplane.Requests.DatabaseChange;
import dev.supaneon.neonlocal.controlplane.Requests.RoleChange;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The databases and roles of branches: list, get, create, delete, reveal passwords, and the
 * connection URI of a database as a role.
 */
public final class DatabasesAndRoles extends ControlPlanePart {

  DatabasesAndRoles(ControlPlane plane) {
    super(plane);
  }

  // ---- databases

  public List<DatabaseRecord> listDatabases(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return store.listDatabases(branchId);
  }

  public DatabaseRecord getDatabase(String requestedProjectId, String branchId, String name)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return found(store.findDatabase(branchId, name), "database " + name);
  }

  public DatabaseChange createDatabase(
      String requestedProjectId, String branchId, String name, String ownerName)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    if (name == null || name.isBlank() || name.getBytes(StandardCharsets.UTF_8).length > 63) {
      throw NeonApiError.badRequest("database name must be 1 to 63 bytes");
    }
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      if (store.findDatabase(branch.id(), name).isPresent()) {
        throw NeonApiError.conflict("database " + name + " already exists");
      }
      if (store.findRole(branch.id(), ownerName).isEmpty()) {
        throw NeonApiError.notFound("role " + ownerName + " not found on branch " + branchId);
      }
      Instant now = plane.now();
      long id = store.nextDatabaseId();
      DatabaseRecord database =
          new DatabaseRecord(
              id, branchId, name, ownerName, ControlPlane.physicalName(id, name), now, now);
      store.insertDatabase(database);
      OperationRecord operation =
          queueApplyConfig(
              branchId,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "create_database")
                  .put("physical", database.physicalName())
                  .put("owner", ownerName),
              now);
      return new DatabaseChange(database, List.of(operation));
    }
  }

  /** Deletes a database; empty when it does not exist (answered 204). */
  public Optional<DatabaseChange> deleteDatabase(
      String requestedProjectId, String branchId, String name) throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.branch(branchId);
      Optional<DatabaseRecord> found = store.findDatabase(branchId, name);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      plane.requireUnlocked();
      DatabaseRecord database = found.get();
      store.deleteDatabase(database.id());
      OperationRecord operation =
          queueApplyConfig(
              branchId,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "delete_database")
                  .put("physical", database.physicalName()),
              plane.now());
      return Optional.of(new DatabaseChange(database, List.of(operation)));
    }
  }

  // ---- roles

  public List<RoleRecord> listRoles(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return store.listRoles(branchId);
  }

  public RoleRecord getRole(String requestedProjectId, String branchId, String name)
      throws NeonApiError, SQLException {
    existingBranch(requestedProjectId, branchId);
    return found(store.findRole(branchId, name), "role " + name);
  }

  public RoleChange createRole(
      String requestedProjectId, String branchId, String name, boolean noLogin)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    if (name == null
        || name.isBlank()
        || name.getBytes(StandardCharsets.UTF_8).length > 63
        || name.startsWith("pg_")
        || name.equals(BackingCluster.NEON_SUPERUSER)) {
      throw NeonApiError.badRequest(
          "role name must be 1 to 63 bytes and must not be reserved (pg_*, neon_superuser)");
    }
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      if (store.findRole(branch.id(), name).isPresent()) {
        throw NeonApiError.conflict("role " + name + " already exists");
      }
      Instant now = plane.now();
      // One cluster-wide role per name: reuse its password so other branches keep working.
      String password = noLogin ? null : store.anyPasswordOf(name).orElse(ids.password());
      RoleRecord role = new RoleRecord(branchId, name, password, noLogin, false, now, now);
      store.insertRole(role);
      OperationRecord operation =
          queueApplyConfig(
              branchId,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "create_role")
                  .put("branch_id", branchId)
                  .put("name", name),
              now);
      return new RoleChange(role, List.of(operation));
    }
  }

  /**
   * Removes the role from the branch; refused while it owns one of the branch's databases. The
   * cluster-wide role is dropped once no branch has it any more.
   */
  public RoleChange deleteRole(String requestedProjectId, String branchId, String name)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      RoleRecord role = roleOf(branch, name);
      if (role.isProtected() || name.equals("neondb_owner")) {
        throw NeonApiError.badRequest("role " + name + " is protected and cannot be deleted");
      }
      if (store.listDatabases(branch.id()).stream().anyMatch(d -> d.ownerName().equals(name))) {
        throw NeonApiError.badRequest(
            "role " + name + " owns databases of the branch: delete them or change their owner");
      }
      store.deleteRole(branch.id(), name);
      if (store.countRolesNamed(name) == 0) {
        cluster.dropRoleIfPossible(name);
      }
      return new RoleChange(role, List.of());
    }
  }

  /**
   * A new password. Roles are cluster-wide in neon-local, so the password changes for every branch
   * that has the role (on Neon, only this branch's role changes).
   */
  public RoleChange resetPassword(String requestedProjectId, String branchId, String name)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    synchronized (mutationLock) {
      plane.requireUnlocked();
      BranchRecord branch = plane.branch(branchId);
      RoleRecord role = roleOf(branch, name);
      if (role.password() == null) {
        throw noPassword(name);
      }
      Instant now = plane.now();
      store.setRolePassword(name, ids.password(), now);
      OperationRecord operation =
          queueApplyConfig(
              branch.id(),
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "create_role")
                  .put("branch_id", branch.id())
                  .put("name", name),
              now);
      return new RoleChange(roleOf(branch, name), List.of(operation));
    }
  }

  public String revealPassword(String requestedProjectId, String branchId, String name)
      throws NeonApiError, SQLException {
    RoleRecord role = getRole(requestedProjectId, branchId, name);
    if (role.password() == null) {
      throw noPassword(name);
    }
    return role.password();
  }

  /**
   * The {@code postgresql://} URI of a database as a role, at an endpoint's address: the one named,
   * else the branch's read_write endpoint, else its first. The database is the logical name, as the
   * endpoint shows it. neon-local has no pooler: the pooled URI is the same address.
   */
  public String connectionUri(
      String requestedProjectId,
      Optional<String> branchId,
      Optional<String> endpointId,
      String databaseName,
      String roleName)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    BranchRecord branch;
    EndpointRecord endpoint;
    if (endpointId.isPresent()) {
      endpoint = plane.endpoint(endpointId.get());
      branch = plane.branch(endpoint.branchId());
      if (branchId.isPresent() && !branchId.get().equals(branch.id())) {
        throw NeonApiError.badRequest(
            "endpoint " + endpointId.get() + " is not on branch " + branchId.get());
      }
    } else {
      branch = branchId.isPresent() ? plane.branch(branchId.get()) : plane.defaultBranch();
      List<EndpointRecord> endpoints = endpointStore.listBranchEndpoints(branch.id());
      endpoint =
          endpoints.stream()
              .filter(e -> e.type().equals("read_write"))
              .findFirst()
              .or(() -> endpoints.stream().findFirst())
              .orElseThrow(
                  () ->
                      NeonApiError.badRequest(
                          "branch " + branch.id() + " has no endpoint to connect to"));
    }
    DatabaseRecord database =
        store
            .findDatabase(branch.id(), databaseName)
            .orElseThrow(() -> NeonApiError.notFound("database " + databaseName + " not found"));
    RoleRecord role =
        store
            .findRole(branch.id(), roleName)
            .orElseThrow(() -> NeonApiError.notFound("role " + roleName + " not found"));
    if (role.password() == null) {
      throw new NeonApiError(412, "ROLE_HAS_NO_PASSWORD", "role " + roleName + " cannot log in");
    }
    return "postgresql://"
        + ControlPlane.encode(role.name())
        + ":"
        + ControlPlane.encode(role.password())
        + "@"
        + plane.addresses().host()
        + ":"
        + endpoint.port()
        + "/"
        + ControlPlane.encode(database.name())
        // As Neon writes them: SSL and SCRAM channel binding required.
        + "?sslmode=require&channel_binding=require";
  }

  private RoleRecord roleOf(BranchRecord branch, String name) throws NeonApiError, SQLException {
    return found(store.findRole(branch.id(), name), "role " + name);
  }

  private static NeonApiError noPassword(String name) {
    return new NeonApiError(
        412, "ROLE_HAS_NO_PASSWORD", "role " + name + " cannot log in and has no password");
  }
}
