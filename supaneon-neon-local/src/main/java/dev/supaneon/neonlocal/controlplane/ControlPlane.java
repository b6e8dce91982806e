package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.controlplane.Requests.BranchChange;
import dev.supaneon.neonlocal.controlplane.Requests.BranchPage;
import dev.supaneon.neonlocal.controlplane.Requests.CreateBranch;
import dev.supaneon.neonlocal.controlplane.Requests.CreatedBranch;
import dev.supaneon.neonlocal.controlplane.Requests.DatabaseChange;
import dev.supaneon.neonlocal.controlplane.Requests.EndpointChange;
import dev.supaneon.neonlocal.controlplane.Requests.EndpointSpec;
import dev.supaneon.neonlocal.controlplane.Requests.OperationPage;
import dev.supaneon.neonlocal.controlplane.Requests.RestoreBranch;
import dev.supaneon.neonlocal.controlplane.Requests.RoleChange;
import dev.supaneon.neonlocal.controlplane.Requests.UpdateBranch;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * neon-local's control plane: validates every request the way Neon does, records the change, and
 * queues the operations that the {@link OperationWorker} carries out on the backing server.
 *
 * <p>Mutations are serialized per project: while an operation is not finished, another mutation is
 * refused with 423 Locked, as Neon does for conflicting operations.
 */
public final class ControlPlane implements AutoCloseable {

  public static final String DEFAULT_ROLE = "neondb_owner";
  public static final String DEFAULT_DATABASE = "neondb";
  static final Duration MAX_EXPIRY = Duration.ofDays(30);

  private final ControlPlaneStore store;
  private final BackingCluster cluster;
  private final ConnectionPool controlPool;
  private final ConnectionPool adminPool;
  private final Clock clock;
  private final ResourceIds ids = new ResourceIds();
  private final Object mutationLock = new Object();
  private final String projectId;
  private volatile Runnable operationsQueued = () -> {};

  private ControlPlane(
      ControlPlaneStore store,
      BackingCluster cluster,
      ConnectionPool controlPool,
      ConnectionPool adminPool,
      Clock clock,
      String projectId) {
    this.store = store;
    this.cluster = cluster;
    this.controlPool = controlPool;
    this.adminPool = adminPool;
    this.clock = clock;
    this.projectId = projectId;
  }

  /**
   * Opens the control plane on a backing server: reuses the project stored there (the one named, or
   * the only one) or creates it with a default branch {@code main}, role {@code neondb_owner},
   * database {@code neondb} and a read-write endpoint.
   */
  public static ControlPlane open(
      PostgresServer server, Optional<String> wantedProjectId, int branchLimit, Clock clock)
      throws SQLException {
    BackingCluster.bootstrap(server);
    ConnectionPool controlPool = new ConnectionPool(server, ControlPlaneStore.DATABASE, 16);
    ConnectionPool adminPool = new ConnectionPool(server, "postgres", 4);
    try {
      ControlPlaneStore store = new ControlPlaneStore(controlPool);
      store.createSchema();
      BackingCluster cluster = new BackingCluster(server, adminPool);
      List<ProjectRecord> projects = store.listProjects();
      String projectId;
      if (wantedProjectId.isPresent()) {
        projectId = wantedProjectId.get();
      } else if (projects.size() == 1) {
        projectId = projects.get(0).id();
      } else if (projects.isEmpty()) {
        projectId = new ResourceIds().project();
      } else {
        throw new IllegalStateException(
            "The backing server holds several neon-local projects ("
                + projects.stream().map(ProjectRecord::id).toList()
                + "); name one with --project-id.");
      }
      ControlPlane controlPlane =
          new ControlPlane(store, cluster, controlPool, adminPool, clock, projectId);
      controlPlane.ensureProject(server.majorVersion(), branchLimit);
      return controlPlane;
    } catch (SQLException | RuntimeException e) {
      controlPool.close();
      adminPool.close();
      throw e;
    }
  }

  private void ensureProject(int pgVersion, int branchLimit) throws SQLException {
    Instant now = now();
    Optional<ProjectRecord> existing = store.findProject(projectId);
    if (existing.isPresent()) {
      store.updateProjectSettings(projectId, pgVersion, branchLimit, now);
      return;
    }
    String branchId = ids.branch();
    String password = store.anyPasswordOf(DEFAULT_ROLE).orElse(ids.password());
    cluster.ensureRole(DEFAULT_ROLE, Optional.of(password));
    long databaseId = store.nextDatabaseId();
    String physical = physicalName(databaseId, DEFAULT_DATABASE);
    cluster.createDatabase(physical, DEFAULT_ROLE);
    // All rows in one transaction: a start cut short leaves no half-made project behind.
    store.insertNewProject(
        new ProjectRecord(projectId, projectId, "local", pgVersion, branchLimit, now, now),
        new BranchRecord(
            branchId,
            projectId,
            null,
            "main",
            "ready",
            null,
            now,
            now,
            now,
            null,
            false,
            true,
            null,
            null,
            "parent-data",
            "console",
            Map.of(),
            null,
            null,
            null),
        new RoleRecord(branchId, DEFAULT_ROLE, password, false, false, now, now),
        new DatabaseRecord(
            databaseId, branchId, DEFAULT_DATABASE, DEFAULT_ROLE, physical, now, now),
        new EndpointRecord(
            ids.endpoint(),
            projectId,
            branchId,
            "read_write",
            "active",
            null,
            0.25,
            0.25,
            0,
            now,
            now,
            now,
            null,
            now));
  }

  public String projectId() {
    return projectId;
  }

  public ControlPlaneStore store() {
    return store;
  }

  BackingCluster cluster() {
    return cluster;
  }

  Clock clock() {
    return clock;
  }

  void onOperationsQueued(Runnable listener) {
    this.operationsQueued = listener;
  }

  // ---- project

  public ProjectRecord project(String requestedProjectId) throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    return store.findProject(projectId).orElseThrow();
  }

  public BranchRecord defaultBranch() throws SQLException {
    return store.listBranches(projectId).stream()
        .filter(BranchRecord::isDefault)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the project has no default branch"));
  }

  // ---- branches

  public BranchPage listBranches(
      String requestedProjectId,
      Optional<String> search,
      Optional<String> sortBy,
      Optional<String> sortOrder,
      Optional<Integer> limit,
      Optional<String> cursor)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    String field = sortBy.orElse("updated_at");
    String order = sortOrder.orElse("desc");
    if (!List.of("name", "created_at", "updated_at").contains(field)) {
      throw NeonApiException.badRequest("sort_by must be one of name, created_at, updated_at");
    }
    if (!List.of("asc", "desc").contains(order)) {
      throw NeonApiException.badRequest("sort_order must be asc or desc");
    }
    if (limit.isPresent() && (limit.get() < 1 || limit.get() > 10000)) {
      throw NeonApiException.badRequest("limit must be between 1 and 10000");
    }
    Comparator<BranchRecord> comparator =
        Comparator.comparing((BranchRecord b) -> sortKey(b, field)).thenComparing(BranchRecord::id);
    if (order.equals("desc")) {
      comparator = comparator.reversed();
    }
    List<BranchRecord> all =
        store.listBranches(projectId).stream()
            .filter(b -> matches(b, search))
            .sorted(comparator)
            .toList();
    int start = 0;
    if (cursor.isPresent() && !cursor.get().isEmpty()) {
      String afterId = decodeCursor(cursor.get());
      start = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(afterId)) {
          start = i + 1;
          break;
        }
      }
    }
    int end = Math.min(all.size(), start + limit.orElse(all.size()));
    List<BranchRecord> page = all.subList(Math.min(start, all.size()), end);
    Optional<String> next =
        end < all.size() && !page.isEmpty()
            ? Optional.of(encodeCursor(page.get(page.size() - 1).id()))
            : Optional.empty();
    return new BranchPage(page, next, field, order);
  }

  public long countBranches(String requestedProjectId, Optional<String> search)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    return store.listBranches(projectId).stream().filter(b -> matches(b, search)).count();
  }

  public BranchRecord getBranch(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    return branch(branchId);
  }

  public long logicalSize(String branchId) throws SQLException {
    long size = 0;
    for (DatabaseRecord database : store.listDatabases(branchId)) {
      size += cluster.databaseSize(database.physicalName());
    }
    return size;
  }

  public CreatedBranch createBranch(String requestedProjectId, CreateBranch request)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    if (request.parentLsn().isPresent() || request.parentTimestamp().isPresent()) {
      throw NeonApiException.badRequest(
          "neon-local keeps no history: branches can only be created from the parent's current"
              + " state (omit parent_lsn and parent_timestamp)");
    }
    if (request.initSource().isPresent() && !request.initSource().get().equals("parent-data")) {
      throw NeonApiException.badRequest("neon-local supports only init_source parent-data");
    }
    long readWrite =
        request.endpoints().stream().filter(e -> e.type().equals("read_write")).count();
    if (readWrite > 1) {
      throw NeonApiException.badRequest("a branch supports only one read_write endpoint");
    }
    for (EndpointSpec endpoint : request.endpoints()) {
      if (!List.of("read_write", "read_only").contains(endpoint.type())) {
        throw NeonApiException.badRequest("endpoint type must be read_write or read_only");
      }
    }
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord parent =
          request.parentId().filter(id -> !id.isEmpty()).isPresent()
              ? branch(request.parentId().get())
              : defaultBranch();
      if (parent.expiresAt() != null) {
        throw NeonApiException.badRequest(
            "cannot create a branch from branch "
                + parent.id()
                + " because it has an expiration time; remove it first");
      }
      if (!parent.currentState().equals("ready")) {
        throw NeonApiException.badRequest("parent branch " + parent.id() + " is not ready");
      }
      Instant now = now();
      if (request.expiresAt().isPresent()) {
        validateExpiry(request.expiresAt().get(), now);
      }
      ProjectRecord project = store.findProject(projectId).orElseThrow();
      int existing = store.listBranches(projectId).size();
      if (existing >= project.branchLimit()) {
        throw NeonApiException.unprocessable(
            "BRANCHES_LIMIT_EXCEEDED",
            "number of branches in the project exceeds the limit of " + project.branchLimit());
      }
      String branchId = ids.branch();
      String name = request.name().filter(n -> !n.isBlank()).orElse(branchId);
      if (name.length() > 256) {
        throw NeonApiException.badRequest("branch name must be at most 256 characters");
      }
      if (store.findBranchByName(projectId, name).isPresent()) {
        throw NeonApiException.conflict("branch with name " + name + " already exists");
      }
      BranchRecord branch =
          new BranchRecord(
              branchId,
              projectId,
              parent.id(),
              name,
              "init",
              "ready",
              now,
              now,
              now,
              request.expiresAt().orElse(null),
              request.isProtected(),
              false,
              cluster.currentWalLsn(),
              null,
              "parent-data",
              "console",
              request.annotation(),
              request.annotation().isEmpty() ? null : now,
              request.annotation().isEmpty() ? null : now,
              null);
      store.insertBranch(branch);
      store.copyRoles(parent.id(), branchId, now);
      ArrayNode copies = JsonNodeFactory.instance.arrayNode();
      List<DatabaseRecord> databases = new ArrayList<>();
      for (DatabaseRecord source : store.listDatabases(parent.id())) {
        long id = store.nextDatabaseId();
        DatabaseRecord copy =
            new DatabaseRecord(
                id,
                branchId,
                source.name(),
                source.ownerName(),
                physicalName(id, source.name()),
                now,
                now);
        store.insertDatabase(copy);
        databases.add(copy);
        copies
            .addObject()
            .put("source", source.physicalName())
            .put("target", copy.physicalName())
            .put("owner", copy.ownerName());
      }
      List<OperationRecord> operations = new ArrayList<>();
      ObjectNode payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "create_branch")
              .put("branch_id", branchId);
      payload.set("copies", copies);
      operations.add(queue(branchId, null, "create_timeline", payload, now));
      List<EndpointRecord> endpoints = new ArrayList<>();
      for (EndpointSpec spec : request.endpoints()) {
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
                null);
        store.insertEndpoint(endpoint);
        endpoints.add(endpoint);
        operations.add(
            queue(
                branchId,
                endpoint.id(),
                "start_compute",
                JsonNodeFactory.instance.objectNode().put("endpoint_id", endpoint.id()),
                now));
      }
      operationsQueued.run();
      return new CreatedBranch(
          branch, endpoints, operations, store.listRoles(branchId), List.copyOf(databases));
    }
  }

  public BranchChange updateBranch(String requestedProjectId, String branchId, UpdateBranch request)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord branch = branch(branchId);
      Instant now = now();
      String name = branch.name();
      if (request.name().isPresent() && !request.name().get().equals(name)) {
        name = request.name().get();
        if (name.isBlank() || name.length() > 256) {
          throw NeonApiException.badRequest("branch name must be 1 to 256 characters");
        }
        if (store.findBranchByName(projectId, name).isPresent()) {
          throw NeonApiException.conflict("branch with name " + name + " already exists");
        }
      }
      Instant expiresAt = branch.expiresAt();
      if (request.expiresAt().isPresent()) {
        Optional<Instant> wanted = request.expiresAt().get();
        if (wanted.isPresent()) {
          if (branch.isDefault()) {
            throw NeonApiException.badRequest(
                "cannot set an expiration time on the default branch");
          }
          if (hasChildren(branchId)) {
            throw NeonApiException.badRequest(
                "cannot set an expiration time on a branch that has child branches");
          }
          validateExpiry(wanted.get(), now);
        }
        expiresAt = wanted.orElse(null);
      }
      boolean isProtected = request.isProtected().orElse(branch.isProtected());
      BranchRecord updated = branch.patched(name, expiresAt, isProtected, now);
      store.updateBranch(updated);
      return new BranchChange(updated, List.of());
    }
  }

  /** Deletes a branch; empty when it does not exist (answered 204). */
  public Optional<BranchChange> deleteBranch(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    synchronized (mutationLock) {
      Optional<BranchRecord> found = store.findBranch(projectId, branchId);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      requireUnlocked();
      BranchRecord branch = found.get();
      if (branch.isDefault()) {
        throw NeonApiException.unprocessable(
            "BRANCH_IS_DEFAULT", "cannot delete the default branch " + branch.id());
      }
      if (hasChildren(branchId)) {
        throw NeonApiException.unprocessable(
            "BRANCH_HAS_CHILDREN",
            "cannot delete branch " + branch.id() + " because it has child branches");
      }
      if (branch.isProtected()) {
        throw NeonApiException.unprocessable(
            "BRANCH_PROTECTED", "cannot delete protected branch " + branch.id());
      }
      Instant now = now();
      List<OperationRecord> operations = new ArrayList<>();
      for (EndpointRecord endpoint : store.listBranchEndpoints(branchId)) {
        if (endpoint.currentState().equals("active")) {
          operations.add(
              queue(
                  branchId,
                  endpoint.id(),
                  "suspend_compute",
                  JsonNodeFactory.instance.objectNode().put("endpoint_id", endpoint.id()),
                  now));
        }
      }
      operations.add(
          queue(
              branchId,
              null,
              "delete_timeline",
              JsonNodeFactory.instance.objectNode().put("branch_id", branchId),
              now));
      operationsQueued.run();
      return Optional.of(new BranchChange(branch, operations));
    }
  }

  public BranchChange setDefault(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord branch = branch(branchId);
      if (branch.expiresAt() != null) {
        throw NeonApiException.badRequest(
            "cannot make branch " + branchId + " the default: it has an expiration time");
      }
      Instant now = now();
      for (BranchRecord other : store.listBranches(projectId)) {
        if (other.isDefault() && !other.id().equals(branchId)) {
          store.updateBranch(other.asDefault(false, now));
        }
      }
      BranchRecord updated = branch.asDefault(true, now);
      store.updateBranch(updated);
      return new BranchChange(updated, List.of());
    }
  }

  public BranchChange restoreBranch(
      String requestedProjectId, String branchId, RestoreBranch request)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    if (request.sourceLsn().isPresent() || request.sourceTimestamp().isPresent()) {
      throw NeonApiException.badRequest(
          "neon-local keeps no history: restore from another branch's current state"
              + " (omit source_lsn and source_timestamp)");
    }
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord target = branch(branchId);
      BranchRecord source = branch(request.sourceBranchId());
      if (source.id().equals(target.id())) {
        throw NeonApiException.badRequest("a branch cannot be restored from its own current state");
      }
      Instant now = now();
      ArrayNode drop = JsonNodeFactory.instance.arrayNode();
      if (request.preserveUnderName().isPresent()) {
        String preserveName = request.preserveUnderName().get();
        if (store.findBranchByName(projectId, preserveName).isPresent()) {
          throw NeonApiException.conflict("branch with name " + preserveName + " already exists");
        }
        ProjectRecord project = store.findProject(projectId).orElseThrow();
        if (store.listBranches(projectId).size() >= project.branchLimit()) {
          throw NeonApiException.unprocessable(
              "BRANCHES_LIMIT_EXCEEDED",
              "number of branches in the project exceeds the limit of " + project.branchLimit());
        }
        String preservedId = ids.branch();
        store.insertBranch(
            new BranchRecord(
                preservedId,
                projectId,
                target.parentId(),
                preserveName,
                "ready",
                null,
                now,
                now,
                now,
                null,
                false,
                false,
                target.parentLsn(),
                null,
                "parent-data",
                "console",
                Map.of(),
                null,
                null,
                null));
        store.copyRoles(target.id(), preservedId, now);
        store.moveDatabases(target.id(), preservedId);
      } else {
        for (DatabaseRecord old : store.listDatabases(target.id())) {
          drop.add(old.physicalName());
          store.deleteDatabase(old.id());
        }
      }
      store.copyRoles(source.id(), target.id(), now);
      ArrayNode copies = JsonNodeFactory.instance.arrayNode();
      for (DatabaseRecord database : store.listDatabases(source.id())) {
        long id = store.nextDatabaseId();
        DatabaseRecord copy =
            new DatabaseRecord(
                id,
                target.id(),
                database.name(),
                database.ownerName(),
                physicalName(id, database.name()),
                now,
                now);
        store.insertDatabase(copy);
        copies
            .addObject()
            .put("source", database.physicalName())
            .put("target", copy.physicalName())
            .put("owner", copy.ownerName());
      }
      BranchRecord restoring = target.restoringFrom(source.id(), now);
      store.updateBranch(restoring);
      ObjectNode payload =
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "restore")
              .put("branch_id", target.id());
      payload.set("drop", drop);
      payload.set("copies", copies);
      List<OperationRecord> operations =
          new ArrayList<>(List.of(queue(target.id(), null, "create_timeline", payload, now)));
      operationsQueued.run();
      return new BranchChange(restoring, operations);
    }
  }

  // ---- endpoints

  public List<EndpointRecord> listEndpoints(String requestedProjectId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    return store.listEndpoints(projectId);
  }

  public List<EndpointRecord> listBranchEndpoints(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    branch(branchId);
    return store.listBranchEndpoints(branchId);
  }

  public EndpointRecord getEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    return endpoint(endpointId);
  }

  public EndpointChange startEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiException, SQLException {
    return changeEndpoint(requestedProjectId, endpointId, "start_compute", "active");
  }

  public EndpointChange suspendEndpoint(String requestedProjectId, String endpointId)
      throws NeonApiException, SQLException {
    return changeEndpoint(requestedProjectId, endpointId, "suspend_compute", "idle");
  }

  private EndpointChange changeEndpoint(
      String requestedProjectId, String endpointId, String action, String pendingState)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    synchronized (mutationLock) {
      requireUnlocked();
      EndpointRecord endpoint = endpoint(endpointId);
      Instant now = now();
      store.setEndpointPendingState(endpointId, pendingState, now);
      OperationRecord operation =
          queue(
              endpoint.branchId(),
              endpointId,
              action,
              JsonNodeFactory.instance.objectNode().put("endpoint_id", endpointId),
              now);
      operationsQueued.run();
      return new EndpointChange(endpoint(endpointId), List.of(operation));
    }
  }

  // ---- databases

  public List<DatabaseRecord> listDatabases(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    branch(branchId);
    return store.listDatabases(branchId);
  }

  public DatabaseRecord getDatabase(String requestedProjectId, String branchId, String name)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    branch(branchId);
    return store
        .findDatabase(branchId, name)
        .orElseThrow(() -> NeonApiException.notFound("database " + name + " not found"));
  }

  public DatabaseChange createDatabase(
      String requestedProjectId, String branchId, String name, String ownerName)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    if (name == null || name.isBlank() || name.getBytes(StandardCharsets.UTF_8).length > 63) {
      throw NeonApiException.badRequest("database name must be 1 to 63 bytes");
    }
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord branch = branch(branchId);
      if (store.findDatabase(branch.id(), name).isPresent()) {
        throw NeonApiException.conflict("database " + name + " already exists");
      }
      if (store.findRole(branch.id(), ownerName).isEmpty()) {
        throw NeonApiException.notFound("role " + ownerName + " not found on branch " + branchId);
      }
      Instant now = now();
      long id = store.nextDatabaseId();
      DatabaseRecord database =
          new DatabaseRecord(id, branchId, name, ownerName, physicalName(id, name), now, now);
      store.insertDatabase(database);
      OperationRecord operation =
          queue(
              branchId,
              null,
              "apply_config",
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "create_database")
                  .put("physical", database.physicalName())
                  .put("owner", ownerName),
              now);
      operationsQueued.run();
      return new DatabaseChange(database, List.of(operation));
    }
  }

  /** Deletes a database; empty when it does not exist (answered 204). */
  public Optional<DatabaseChange> deleteDatabase(
      String requestedProjectId, String branchId, String name)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    synchronized (mutationLock) {
      branch(branchId);
      Optional<DatabaseRecord> found = store.findDatabase(branchId, name);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      requireUnlocked();
      DatabaseRecord database = found.get();
      store.deleteDatabase(database.id());
      OperationRecord operation =
          queue(
              branchId,
              null,
              "apply_config",
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "delete_database")
                  .put("physical", database.physicalName()),
              now());
      operationsQueued.run();
      return Optional.of(new DatabaseChange(database, List.of(operation)));
    }
  }

  // ---- roles

  public List<RoleRecord> listRoles(String requestedProjectId, String branchId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    branch(branchId);
    return store.listRoles(branchId);
  }

  public RoleRecord getRole(String requestedProjectId, String branchId, String name)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    branch(branchId);
    return store
        .findRole(branchId, name)
        .orElseThrow(() -> NeonApiException.notFound("role " + name + " not found"));
  }

  public RoleChange createRole(
      String requestedProjectId, String branchId, String name, boolean noLogin)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    if (name == null
        || name.isBlank()
        || name.getBytes(StandardCharsets.UTF_8).length > 63
        || name.startsWith("pg_")
        || name.equals(BackingCluster.NEON_SUPERUSER)) {
      throw NeonApiException.badRequest(
          "role name must be 1 to 63 bytes and must not be reserved (pg_*, neon_superuser)");
    }
    synchronized (mutationLock) {
      requireUnlocked();
      BranchRecord branch = branch(branchId);
      if (store.findRole(branch.id(), name).isPresent()) {
        throw NeonApiException.conflict("role " + name + " already exists");
      }
      Instant now = now();
      // One cluster-wide role per name: reuse its password so other branches keep working.
      String password = noLogin ? null : store.anyPasswordOf(name).orElse(ids.password());
      RoleRecord role = new RoleRecord(branchId, name, password, noLogin, false, now, now);
      store.insertRole(role);
      OperationRecord operation =
          queue(
              branchId,
              null,
              "apply_config",
              JsonNodeFactory.instance
                  .objectNode()
                  .put("kind", "create_role")
                  .put("branch_id", branchId)
                  .put("name", name),
              now);
      operationsQueued.run();
      return new RoleChange(role, List.of(operation));
    }
  }

  public String revealPassword(String requestedProjectId, String branchId, String name)
      throws NeonApiException, SQLException {
    RoleRecord role = getRole(requestedProjectId, branchId, name);
    if (role.password() == null) {
      throw new NeonApiException(
          412, "ROLE_HAS_NO_PASSWORD", "role " + name + " cannot log in and has no password");
    }
    return role.password();
  }

  /** The {@code postgresql://} URI of a database as a role, pointing at the backing server. */
  public String connectionUri(
      String requestedProjectId,
      Optional<String> branchId,
      Optional<String> endpointId,
      String databaseName,
      String roleName)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    BranchRecord branch;
    if (endpointId.isPresent()) {
      EndpointRecord endpoint = endpoint(endpointId.get());
      branch = branch(endpoint.branchId());
      if (branchId.isPresent() && !branchId.get().equals(branch.id())) {
        throw NeonApiException.badRequest(
            "endpoint " + endpointId.get() + " is not on branch " + branchId.get());
      }
    } else {
      branch = branchId.isPresent() ? branch(branchId.get()) : defaultBranch();
    }
    DatabaseRecord database =
        store
            .findDatabase(branch.id(), databaseName)
            .orElseThrow(
                () -> NeonApiException.notFound("database " + databaseName + " not found"));
    RoleRecord role =
        store
            .findRole(branch.id(), roleName)
            .orElseThrow(() -> NeonApiException.notFound("role " + roleName + " not found"));
    if (role.password() == null) {
      throw new NeonApiException(
          412, "ROLE_HAS_NO_PASSWORD", "role " + roleName + " cannot log in");
    }
    PostgresServer server = cluster.server();
    return "postgresql://"
        + encode(role.name())
        + ":"
        + encode(role.password())
        + "@"
        + server.host()
        + ":"
        + server.port()
        + "/"
        + encode(database.physicalName())
        // As Neon writes them: SSL and SCRAM channel binding required.
        + "?sslmode=require&channel_binding=require";
  }

  // ---- operations

  public OperationPage listOperations(
      String requestedProjectId, Optional<String> cursor, Optional<Integer> limit)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    int size = limit.orElse(10);
    if (size < 1 || size > 1000) {
      throw NeonApiException.badRequest("limit must be between 1 and 1000");
    }
    Long before = null;
    if (cursor.isPresent() && !cursor.get().isEmpty()) {
      try {
        before = Long.parseLong(decodeCursor(cursor.get()));
      } catch (NumberFormatException e) {
        throw NeonApiException.badRequest("invalid cursor");
      }
    }
    List<OperationRecord> page = store.listOperations(projectId, before, size);
    // Like Neon, every non-empty page carries a cursor; the page after the last one is empty.
    Optional<String> next =
        page.isEmpty()
            ? Optional.empty()
            : Optional.of(encodeCursor(Long.toString(page.get(page.size() - 1).sequence())));
    return new OperationPage(page, next);
  }

  public OperationRecord getOperation(String requestedProjectId, String operationId)
      throws NeonApiException, SQLException {
    requireProject(requestedProjectId);
    UUID id;
    try {
      id = UUID.fromString(operationId);
    } catch (IllegalArgumentException e) {
      throw NeonApiException.notFound("operation " + operationId + " not found");
    }
    return store
        .findOperation(projectId, id)
        .orElseThrow(() -> NeonApiException.notFound("operation " + operationId + " not found"));
  }

  // ---- expiry

  /** Queues the deletion of every expired branch; returns how many were queued. */
  public int deleteExpiredBranches() throws SQLException {
    int queued = 0;
    Instant now = now();
    for (BranchRecord branch : store.listBranches(projectId)) {
      if (branch.expiresAt() != null && !branch.expiresAt().isAfter(now)) {
        try {
          if (deleteBranch(projectId, branch.id()).isPresent()) {
            queued++;
          }
        } catch (NeonApiException busyOrRefused) {
          // the project is locked by another operation: the next sweep retries
        }
      }
    }
    return queued;
  }

  // ---- plumbing

  private OperationRecord queue(
      String branchId, String endpointId, String action, JsonNode payload, Instant now)
      throws SQLException {
    OperationRecord operation =
        new OperationRecord(
            UUID.randomUUID(),
            0,
            projectId,
            branchId,
            endpointId,
            action,
            OperationStatus.SCHEDULING,
            null,
            0,
            now,
            now,
            0,
            payload);
    store.insertOperation(operation);
    return store.findOperation(projectId, operation.id()).orElseThrow();
  }

  private void requireProject(String requestedProjectId) throws NeonApiException {
    if (!projectId.equals(requestedProjectId)) {
      throw NeonApiException.notFound("project " + requestedProjectId + " not found");
    }
  }

  private void requireUnlocked() throws NeonApiException, SQLException {
    if (store.hasPendingOperations(projectId)) {
      throw NeonApiException.locked();
    }
  }

  private BranchRecord branch(String branchId) throws NeonApiException, SQLException {
    return store
        .findBranch(projectId, branchId)
        .orElseThrow(() -> NeonApiException.notFound("branch " + branchId + " not found"));
  }

  private EndpointRecord endpoint(String endpointId) throws NeonApiException, SQLException {
    return store
        .findEndpoint(projectId, endpointId)
        .orElseThrow(() -> NeonApiException.notFound("endpoint " + endpointId + " not found"));
  }

  private boolean hasChildren(String branchId) throws SQLException {
    return store.listBranches(projectId).stream().anyMatch(b -> branchId.equals(b.parentId()));
  }

  private void validateExpiry(Instant expiresAt, Instant now) throws NeonApiException {
    if (expiresAt.getNano() != 0) {
      throw NeonApiException.badRequest(
          "expires_at must be an RFC 3339 timestamp with a precision of seconds");
    }
    if (!expiresAt.isAfter(now)) {
      throw NeonApiException.badRequest("expires_at must be in the future");
    }
    if (expiresAt.isAfter(now.plus(MAX_EXPIRY))) {
      throw NeonApiException.badRequest("expires_at must be at most 30 days in the future");
    }
  }

  private static boolean matches(BranchRecord branch, Optional<String> search) {
    if (search.isEmpty() || search.get().isEmpty()) {
      return true;
    }
    String needle = search.get().toLowerCase(Locale.ROOT);
    return branch.name().toLowerCase(Locale.ROOT).contains(needle)
        || branch.id().toLowerCase(Locale.ROOT).contains(needle);
  }

  private static String sortKey(BranchRecord branch, String field) {
    return switch (field) {
      case "name" -> branch.name();
      case "created_at" -> String.format(Locale.ROOT, "%020d", branch.createdAt().toEpochMilli());
      default -> String.format(Locale.ROOT, "%020d", branch.updatedAt().toEpochMilli());
    };
  }

  private static String encodeCursor(String value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) throws NeonApiException {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw NeonApiException.badRequest("invalid cursor");
    }
  }

  static String physicalName(long databaseId, String name) {
    StringBuilder readable = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        readable.append(c);
      }
    }
    String prefix = "nl_" + databaseId + "_";
    String tail = readable.toString();
    return prefix + tail.substring(0, Math.min(tail.length(), 63 - prefix.length()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public void close() {
    controlPool.close();
    adminPool.close();
  }
}
