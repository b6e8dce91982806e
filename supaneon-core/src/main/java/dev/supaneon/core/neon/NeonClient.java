package dev.supaneon.core.neon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.core.config.NeonSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * A typed client for the parts of Neon's API v2 that supaneon uses.
 *
 * <p>Every call retries 423 (conflicting operation), 429 (rate limit) and 503 with capped
 * exponential backoff and jitter. Calls that are safe to repeat also retry other 5xx answers and
 * network failures. A branch creation is never re-sent blindly: when its outcome is unknown the
 * branch is looked up by name first. The API key goes only into the Authorization header and is
 * scrubbed from every message.
 */
public final class NeonClient implements AutoCloseable {

  /** Annotation key that carries the id of the run that made a branch. */
  public static final String RUN_ID_ANNOTATION = "supaneon-run-id";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What {@link #createBranch} asks for. */
  public record BranchCreation(
      String name,
      Optional<String> parentId,
      Optional<Instant> expiresAt,
      boolean withReadWriteEndpoint,
      Map<String, String> annotation) {

    public BranchCreation {
      annotation = Map.copyOf(annotation);
    }
  }

  /** A created branch, its endpoints and the operations to wait for. */
  public record CreatedBranch(
      Branch branch, List<Endpoint> endpoints, List<Operation> operations) {}

  private final NeonSettings settings;
  private final NeonClientOptions options;
  private final NeonHttp http;
  private final Polling polling;
  private final String projectPath;

  public NeonClient(NeonSettings settings) {
    this(settings, NeonClientOptions.defaults());
  }

  public NeonClient(NeonSettings settings, NeonClientOptions options) {
    this(settings, options, new OkHttpClient.Builder());
  }

  /** With an OkHttp builder to extend, for example with a test interceptor. */
  public NeonClient(
      NeonSettings settings, NeonClientOptions options, OkHttpClient.Builder httpBuilder) {
    this.settings = settings;
    this.options = options;
    this.http = new NeonHttp(settings, options, httpBuilder);
    this.polling = new Polling(options, http);
    this.projectPath = "projects/" + settings.projectId();
  }

  public NeonSettings settings() {
    return settings;
  }

  // ---- project

  public Project getProject() {
    NeonHttp.Answer answer = call("GET", projectPath, null);
    return http.read(answer.body().path("project"), Project.class);
  }

  // ---- branches

  /** Every branch of the project, with annotations. */
  public List<Branch> listBranches() {
    List<Branch> branches = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    for (int page = 0; page < 1000; page++) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("limit", Integer.toString(options.pageSize()));
      query.put("sort_by", "created_at");
      query.put("sort_order", "asc");
      cursor.ifPresent(c -> query.put("cursor", c));
      JsonNode body =
          http.call("GET", projectPath + "/branches", query, null, NeonHttp.Repeat.SAFE, false)
              .body();
      JsonNode annotations = body.path("annotations");
      for (JsonNode node : body.path("branches")) {
        Branch branch = http.read(node, Branch.class);
        JsonNode value = annotations.path(branch.id()).path("value");
        branches.add(branch.withAnnotation(NeonHttp.stringMap(value)));
      }
      JsonNode next = body.path("pagination").path("next");
      if (!next.isTextual() || next.asText().isEmpty() || body.path("branches").isEmpty()) {
        return branches;
      }
      cursor = Optional.of(next.asText());
    }
    throw new NeonUnavailableException("the branch listing did not end after 1000 pages", null);
  }

  public Optional<Branch> findBranch(String branchId) {
    NeonHttp.Answer answer =
        http.call(
            "GET",
            projectPath + "/branches/" + encode(branchId),
            Map.of(),
            null,
            NeonHttp.Repeat.SAFE,
            true);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    Branch branch = http.read(answer.body().path("branch"), Branch.class);
    return Optional.of(
        branch.withAnnotation(NeonHttp.stringMap(answer.body().path("annotation").path("value"))));
  }

  public Optional<Branch> findBranchByName(String name) {
    return listBranches().stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /**
   * Creates a branch. When the answer is lost (a timeout, a 5xx), the branch is looked up by name:
   * if it exists with this creation's annotation it is ours and is returned once ready; if it does
   * not exist the creation is sent again; if it exists without our annotation it belongs to someone
   * else and that is a failure.
   */
  public CreatedBranch createBranch(BranchCreation creation) {
    ObjectNode body = NODES.objectNode();
    ObjectNode branch = body.putObject("branch").put("name", creation.name());
    creation.parentId().ifPresent(parent -> branch.put("parent_id", parent));
    creation.expiresAt().ifPresent(expiry -> branch.put("expires_at", rfc3339(expiry)));
    if (creation.withReadWriteEndpoint()) {
      body.putArray("endpoints").addObject().put("type", "read_write");
    }
    if (!creation.annotation().isEmpty()) {
      ObjectNode annotation = body.putObject("annotation_value");
      creation.annotation().forEach(annotation::put);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        NeonHttp.Answer answer =
            http.call(
                "POST",
                projectPath + "/branches",
                Map.of(),
                body,
                NeonHttp.Repeat.ONLY_IF_NOT_APPLIED,
                false);
        return createdBranch(answer.body());
      } catch (NeonHttp.OutcomeUnknown unknown) {
        options
            .log()
            .accept(
                "the answer to creating branch "
                    + creation.name()
                    + " was lost; looking it up by name");
        Optional<Branch> existing = findBranchByName(creation.name());
        if (existing.isPresent()) {
          if (!existing.get().annotation().equals(creation.annotation())) {
            throw new NeonApiException(
                "POST /" + projectPath + "/branches",
                409,
                "",
                "a branch named " + creation.name() + " exists but was not created by this run",
                "",
                null);
          }
          Branch ready = awaitBranchReady(existing.get().id());
          return new CreatedBranch(ready, listBranchEndpoints(ready.id()), List.of());
        }
      }
    }
    throw new NeonUnavailableException(
        "creating branch " + creation.name() + " failed three times with no answer", null);
  }

  /** Removes the branch's expiry in one update: the last step that makes a backup verified. */
  public List<Operation> clearExpiry(String branchId) {
    ObjectNode body = NODES.objectNode();
    body.putObject("branch").putNull("expires_at");
    return operations(call("PATCH", projectPath + "/branches/" + encode(branchId), body).body());
  }

  /**
   * Replaces the branch's data with the head of {@code sourceBranchId} (Neon's branch restore); the
   * branch keeps its id and its endpoints, so its connection strings stay the same. Safe to send
   * again: a second restore from the same head leaves the same data.
   */
  public List<Operation> restoreBranch(String branchId, String sourceBranchId) {
    ObjectNode body = NODES.objectNode().put("source_branch_id", sourceBranchId);
    return operations(
        call("POST", projectPath + "/branches/" + encode(branchId) + "/restore", body).body());
  }

  /** Renames the branch; its endpoints and connection strings do not change. */
  public List<Operation> renameBranch(String branchId, String name) {
    ObjectNode body = NODES.objectNode();
    body.putObject("branch").put("name", name);
    return operations(call("PATCH", projectPath + "/branches/" + encode(branchId), body).body());
  }

  /** Deletes a branch and returns its operations; empty when it was already gone (204). */
  public Optional<List<Operation>> deleteBranch(String branchId) {
    NeonHttp.Answer answer =
        http.call(
            "DELETE",
            projectPath + "/branches/" + encode(branchId),
            Map.of(),
            null,
            NeonHttp.Repeat.SAFE,
            true);
    if (answer.status() == 204 || answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(operations(answer.body()));
  }

  /** Polls a branch until it is ready. */
  public Branch awaitBranchReady(String branchId) {
    return polling.until(
        existingBranch(branchId),
        b -> existingBranch(branchId),
        Branch::isReady,
        b -> {},
        "branch " + branchId);
  }

  private Branch existingBranch(String branchId) {
    return findBranch(branchId)
        .orElseThrow(
            () -> new NeonUnavailableException("branch " + branchId + " disappeared", null));
  }

  // ---- endpoints

  public List<Endpoint> listBranchEndpoints(String branchId) {
    JsonNode body =
        call("GET", projectPath + "/branches/" + encode(branchId) + "/endpoints", null).body();
    return http.readList(body.path("endpoints"), Endpoint.class);
  }

  /** Starts the endpoint's compute (it also wakes on the first connection). */
  public List<Operation> startEndpoint(String endpointId) {
    return operations(
        call("POST", projectPath + "/endpoints/" + encode(endpointId) + "/start", null).body());
  }

  public List<Operation> suspendEndpoint(String endpointId) {
    return operations(
        call("POST", projectPath + "/endpoints/" + encode(endpointId) + "/suspend", null).body());
  }

  // ---- databases and roles

  public List<Database> listDatabases(String branchId) {
    JsonNode body =
        call("GET", projectPath + "/branches/" + encode(branchId) + "/databases", null).body();
    return http.readList(body.path("databases"), Database.class);
  }

  /** Creates a database; on a lost answer, checks whether it exists before sending again. */
  public List<Operation> createDatabase(String branchId, String name, String owner) {
    ObjectNode body = NODES.objectNode();
    body.putObject("database").put("name", name).put("owner_name", owner);
    String path = projectPath + "/branches/" + encode(branchId) + "/databases";
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return operations(
            http.call("POST", path, Map.of(), body, NeonHttp.Repeat.ONLY_IF_NOT_APPLIED, false)
                .body());
      } catch (NeonHttp.OutcomeUnknown unknown) {
        if (listDatabases(branchId).stream().anyMatch(d -> d.name().equals(name))) {
          return List.of();
        }
      }
    }
    throw new NeonUnavailableException("creating database " + name + " failed three times", null);
  }

  /** Deletes a database; empty when it was not there. */
  public Optional<List<Operation>> deleteDatabase(String branchId, String name) {
    NeonHttp.Answer answer =
        http.call(
            "DELETE",
            projectPath + "/branches/" + encode(branchId) + "/databases/" + encode(name),
            Map.of(),
            null,
            NeonHttp.Repeat.SAFE,
            true);
    if (answer.status() == 204 || answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(operations(answer.body()));
  }

  public List<Role> listRoles(String branchId) {
    JsonNode body =
        call("GET", projectPath + "/branches/" + encode(branchId) + "/roles", null).body();
    return http.readList(body.path("roles"), Role.class);
  }

  /**
   * The connection URI of a database as a role, through Neon's connection pooler when {@code
   * pooled}. It carries the role's password: keep it in a {@code PostgresUrl} and never log it.
   */
  public String connectionUri(String branchId, String database, String role, boolean pooled) {
    Map<String, String> query = new LinkedHashMap<>();
    if (pooled) {
      query.put("pooled", "true");
    }
    query.put("branch_id", branchId);
    query.put("database_name", database);
    query.put("role_name", role);
    return http.call(
            "GET", projectPath + "/connection_uri", query, null, NeonHttp.Repeat.SAFE, false)
        .body()
        .path("uri")
        .asText();
  }

  // ---- operations

  public Operation getOperation(String operationId) {
    JsonNode body = call("GET", projectPath + "/operations/" + encode(operationId), null).body();
    return http.read(body.path("operation"), Operation.class);
  }

  /** Waits until every operation is finished; a failed one is an error. */
  public void awaitOperations(List<Operation> operations) {
    for (Operation operation : operations) {
      polling.until(
          operation,
          current -> getOperation(current.id()),
          Operation::isFinished,
          NeonClient::failIfFailed,
          "operation " + operation.action() + " " + operation.id());
    }
  }

  private static void failIfFailed(Operation current) {
    if (current.hasFailed()) {
      throw new NeonApiException(
          "operation " + current.action() + " " + current.id(),
          200,
          "OPERATION_FAILED",
          "the operation ended as "
              + current.status()
              + (current.error() == null ? "" : ": " + current.error()),
          "",
          null);
    }
  }

  /** A call that is safe to send again, whose 404 is an error. */
  private NeonHttp.Answer call(String method, String path, JsonNode body) {
    return http.call(method, path, Map.of(), body, NeonHttp.Repeat.SAFE, false);
  }

  private CreatedBranch createdBranch(JsonNode body) {
    return new CreatedBranch(
        http.read(body.path("branch"), Branch.class),
        http.readList(body.path("endpoints"), Endpoint.class),
        operations(body));
  }

  private List<Operation> operations(JsonNode body) {
    return http.readList(body.path("operations"), Operation.class);
  }

  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    http.close();
  }
}
