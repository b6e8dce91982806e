package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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
  private final OperationStore operations;
  private final EndpointStore endpointStore;
  private final BackingCluster cluster;
  private final ConnectionPool controlPool;
  private final ConnectionPool adminPool;
  private final Clock clock;
  private final ResourceIds ids = new ResourceIds();
  private final Object mutationLock = new Object();
  private final String projectId;
  private volatile Runnable operationsQueued = () -> {};
  private volatile EndpointAddresses addresses = EndpointAddresses.NONE;
  private final BranchMutations branches;
  private final BranchQueries branchQueries;
  private final Endpoints endpoints;
  private final OperationQueries operationQueries;
  private final DatabasesAndRoles databasesAndRoles;
  private final ComputeUsage computeUsage;
  private final StorageModel storage;
  private final long storageLimitBytes;

  private ControlPlane(
      ControlPlaneStore store,
      BackingCluster cluster,
      ConnectionPool controlPool,
      ConnectionPool adminPool,
      Clock clock,
      String projectId,
      long storageLimitBytes) {
    this.store = store;
    this.operations = new OperationStore(controlPool);
    this.endpointStore = new EndpointStore(controlPool);
    this.cluster = cluster;
    this.controlPool = controlPool;
    this.adminPool = adminPool;
    this.clock = clock;
    this.projectId = projectId;
    this.branches = new BranchMutations(this);
    this.branchQueries = new BranchQueries(this);
    this.endpoints = new Endpoints(this);
    this.operationQueries = new OperationQueries(this);
    this.databasesAndRoles = new DatabasesAndRoles(this);
    this.storage = new StorageModel(this);
    this.computeUsage = new ComputeUsage(this);
    this.storageLimitBytes = storageLimitBytes;
  }

  /**
   * Opens the control plane on a backing server: reuses the project stored there (the one named, or
   * the only one) or creates it with a default branch {@code main}, role {@code neondb_owner},
   * database {@code neondb} and a read-write endpoint.
   */
  public static ControlPlane open(
      PostgresServer server,
      Optional<String> wantedProjectId,
      int branchLimit,
      long storageLimitBytes,
      Clock clock)
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
          new ControlPlane(
              store, cluster, controlPool, adminPool, clock, projectId, storageLimitBytes);
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
        BranchRecord.ready(branchId, projectId, null, "main", true, null, now),
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
            now,
            0));
  }

  public String projectId() {
    return projectId;
  }

  /** The endpoints' rows. */
  public EndpointStore endpointStore() {
    return endpointStore;
  }

  /** The operations queue. */
  public OperationStore operations() {
    return operations;
  }

  public ControlPlaneStore store() {
    return store;
  }

  BackingCluster cluster() {
    return cluster;
  }

  ResourceIds ids() {
    return ids;
  }

  Object mutationLock() {
    return mutationLock;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Serves the project's endpoints at these addresses from now on: every existing endpoint gets its
   * port (the one it had, when it is free), and new ones get theirs as they are made.
   */
  public void serveEndpointsAt(EndpointAddresses endpointAddresses)
      throws SQLException, IOException {
    this.addresses = endpointAddresses;
    for (EndpointRecord endpoint : endpointStore.listEndpoints(projectId)) {
      int port = endpointAddresses.listen(endpoint.id(), endpoint.port());
      if (port != endpoint.port()) {
        endpointStore.setPort(endpoint.id(), port);
      }
    }
  }

  EndpointAddresses addresses() {
    return addresses;
  }

  /** Wakes the operation worker: new operations are queued. */
  void operationsQueued() {
    operationsQueued.run();
  }

  void onOperationsQueued(Runnable listener) {
    this.operationsQueued = listener;
  }

  /** {@link BranchMutations}. */
  public BranchMutations branches() {
    return branches;
  }

  /** {@link Endpoints}. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** {@link OperationQueries}. */
  public OperationQueries operationQueries() {
    return operationQueries;
  }

  /** {@link DatabasesAndRoles}. */
  public DatabasesAndRoles databasesAndRoles() {
    return databasesAndRoles;
  }

  /** {@link BranchQueries}. */
  public BranchQueries branchQueries() {
    return branchQueries;
  }

  /** {@link StorageModel}. */
  public StorageModel storage() {
    return storage;
  }

  /** {@link ComputeUsage}. */
  public ComputeUsage computeUsage() {
    return computeUsage;
  }

  /** The project's storage limit, which the API reports as its quota and branch size limit. */
  public long storageLimitBytes() {
    return storageLimitBytes;
  }

  // ---- project

  public ProjectRecord project(String requestedProjectId) throws NeonApiError, SQLException {
    requireProject(requestedProjectId);
    return store.findProject(projectId).orElseThrow();
  }

  /** Renames the project: the one change of a project neon-local models. */
  public ProjectRecord renameProject(String requestedProjectId, String name)
      throws NeonApiError, SQLException {
    requireProject(requestedProjectId);
    if (name.isBlank() || name.length() > 64) {
      throw NeonApiError.badRequest("the project name must be 1 to 64 characters");
    }
    synchronized (mutationLock) {
      store.renameProject(projectId, name, now());
    }
    return store.findProject(projectId).orElseThrow();
  }

  public BranchRecord defaultBranch() throws SQLException {
    return store.listBranches(projectId).stream()
        .filter(BranchRecord::isDefault)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the project has no default branch"));
  }

  // ---- expiry

  /** Queues the deletion of every expired branch; returns how many were queued. */
  public int deleteExpiredBranches() throws SQLException {
    int queued = 0;
    Instant now = now();
    for (BranchRecord branch : store.listBranches(projectId)) {
      if (branch.expiresAt() != null && !branch.expiresAt().isAfter(now)) {
        try {
          if (branches.deleteBranch(projectId, branch.id()).isPresent()) {
            queued++;
          }
        } catch (NeonApiError busyOrRefused) {
          // the project is locked by another operation: the next sweep retries
        }
      }
    }
    return queued;
  }

  // ---- plumbing

  OperationRecord queue(
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
    operations.insertOperation(operation);
    return operations.findOperation(projectId, operation.id()).orElseThrow();
  }

  void requireProject(String requestedProjectId) throws NeonApiError {
    if (!projectId.equals(requestedProjectId)) {
      throw NeonApiError.notFound("project " + requestedProjectId + " not found");
    }
  }

  void requireUnlocked() throws NeonApiError, SQLException {
    if (operations.hasPendingOperations(projectId)) {
      throw NeonApiError.locked();
    }
  }

  BranchRecord branch(String branchId) throws NeonApiError, SQLException {
    return store
        .findBranch(projectId, branchId)
        .orElseThrow(() -> NeonApiError.notFound("branch " + branchId + " not found"));
  }

  EndpointRecord endpoint(String endpointId) throws NeonApiError, SQLException {
    return endpointStore
        .findEndpoint(projectId, endpointId)
        .orElseThrow(() -> NeonApiError.notFound("endpoint " + endpointId + " not found"));
  }

  boolean hasChildren(String branchId) throws SQLException {
    return store.listBranches(projectId).stream().anyMatch(b -> branchId.equals(b.parentId()));
  }

  void validateExpiry(Instant expiresAt, Instant now) throws NeonApiError {
    if (expiresAt.getNano() != 0) {
      throw NeonApiError.badRequest(
          "expires_at must be an RFC 3339 timestamp with a precision of seconds");
    }
    if (!expiresAt.isAfter(now)) {
      throw NeonApiError.badRequest("expires_at must be in the future");
    }
    if (expiresAt.isAfter(now.plus(MAX_EXPIRY))) {
      throw NeonApiError.badRequest("expires_at must be at most 30 days in the future");
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

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public void close() {
    controlPool.close();
    adminPool.close();
  }
}
