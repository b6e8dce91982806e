package dev.supaneon.neonlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.supaneon.neonlocal.controlplane.BranchRecord;
import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.NeonApiException;
import dev.supaneon.neonlocal.controlplane.Requests;
import dev.supaneon.neonlocal.controlplane.Requests.BranchChange;
import dev.supaneon.neonlocal.controlplane.Requests.CreatedBranch;
import dev.supaneon.neonlocal.controlplane.RoleRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of neon-local: Neon's API v2 paths, JSON shapes, status codes and error body
 * ({@code {"code","message","request_id"}}), bearer authentication, fault injection and a request
 * journal for tests.
 */
@SuppressForbidden(
    reason =
        "com.sun.net.httpserver is the JDK's exported, supported HTTP server (module"
            + " jdk.httpserver); it keeps neon-local free of a server dependency")
final class HttpApi implements AutoCloseable {

  static final String API_PREFIX = "/api/v2";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int JOURNAL_SIZE = 10_000;

  /** A parsed call: path parameters, query parameters and the JSON body (empty object if none). */
  private record Call(Map<String, String> path, Map<String, String> query, JsonNode body) {
    String param(String name) {
      return path.get(name);
    }

    Optional<String> queryParam(String name) {
      return Optional.ofNullable(query.get(name));
    }

    Optional<Integer> intParam(String name) throws NeonApiException {
      Optional<String> value = queryParam(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Integer.parseInt(value.get()));
      } catch (NumberFormatException e) {
        throw new NeonApiException(400, "BAD_REQUEST", name + " must be an integer");
      }
    }
  }

  private record Answer(int status, JsonNode body) {}

  @FunctionalInterface
  private interface Handler {
    Answer handle(Call call) throws NeonApiException, SQLException;
  }

  private record Route(
      String method, Pattern pattern, List<String> names, String operation, Handler handler) {}

  private final ControlPlane controlPlane;
  private final byte[] apiKey;
  private final Faults faults;
  private final String host;
  private final List<Route> routes = new ArrayList<>();
  private final Deque<RecordedRequest> journal = new ArrayDeque<>();
  private final HttpServer server;
  private final ExecutorService executor;

  HttpApi(
      ControlPlane controlPlane,
      String apiKey,
      Faults faults,
      String bindHost,
      int port,
      String databaseHost)
      throws IOException {
    this.controlPlane = controlPlane;
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.faults = faults;
    this.host = databaseHost;
    defineRoutes();
    this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            16,
            runnable -> {
              Thread thread = new Thread(runnable, "neon-local-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /**
   * Starts serving. The JDK server's dispatcher thread inherits daemon status from the thread that
   * starts it; starting it from a daemon thread keeps an embedded neon-local from holding the JVM
   * open (the command line keeps its main thread waiting instead).
   */
  void start() {
    Thread starter = new Thread(server::start, "neon-local-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting neon-local", e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<RecordedRequest> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  void clearJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- routes

  private void route(String method, String template, String operation, Handler handler) {
    List<String> names = new ArrayList<>();
    Matcher placeholders = Pattern.compile("\\{([a-z_]+)}").matcher(template);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (placeholders.find()) {
      regex.append(Pattern.quote(template.substring(last, placeholders.start())));
      regex.append("([^/]+)");
      names.add(placeholders.group(1));
      last = placeholders.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    routes.add(new Route(method, Pattern.compile(API_PREFIX + regex), names, operation, handler));
  }

  private void defineRoutes() {
    String project = "/projects/{project_id}";
    String branch = project + "/branches/{branch_id}";
    route(
        "GET",
        project,
        "getProject",
        c ->
            ok(
                object(
                    "project",
                    JsonViews.project(controlPlane.project(c.param("project_id")), host))));
    route("GET", project + "/branches", "listProjectBranches", this::listBranches);
    route("POST", project + "/branches", "createProjectBranch", this::createBranch);
    route(
        "GET",
        project + "/branches/count",
        "countProjectBranches",
        c ->
            ok(
                NODES
                    .objectNode()
                    .put(
                        "count",
                        controlPlane.countBranches(
                            c.param("project_id"), c.queryParam("search")))));
    route(
        "GET",
        branch,
        "getProjectBranch",
        c -> {
          BranchRecord b = controlPlane.getBranch(c.param("project_id"), c.param("branch_id"));
          ObjectNode body =
              object("branch", JsonViews.branch(b, Optional.of(controlPlane.logicalSize(b.id()))));
          body.set("annotation", JsonViews.annotation(b));
          return ok(body);
        });
    route("PATCH", branch, "updateProjectBranch", this::updateBranch);
    route(
        "DELETE",
        branch,
        "deleteProjectBranch",
        c -> {
          Optional<BranchChange> change =
              controlPlane.deleteBranch(c.param("project_id"), c.param("branch_id"));
          return change.map(HttpApi::branchChange).orElse(new Answer(204, null));
        });
    route(
        "POST",
        branch + "/set_as_default",
        "setDefaultProjectBranch",
        c -> branchChange(controlPlane.setDefault(c.param("project_id"), c.param("branch_id"))));
    route("POST", branch + "/restore", "restoreProjectBranch", this::restoreBranch);
    route(
        "GET",
        branch + "/endpoints",
        "listProjectBranchEndpoints",
        c ->
            ok(
                object(
                    "endpoints",
                    JsonViews.endpoints(
                        controlPlane.listBranchEndpoints(
                            c.param("project_id"), c.param("branch_id")),
                        host))));
    route(
        "GET",
        branch + "/databases",
        "listProjectBranchDatabases",
        c ->
            ok(
                object(
                    "databases",
                    JsonViews.databases(
                        controlPlane.listDatabases(c.param("project_id"), c.param("branch_id"))))));
    route(
        "POST",
        branch + "/databases",
        "createProjectBranchDatabase",
        c -> {
          JsonNode database = c.body().path("database");
          var change =
              controlPlane.createDatabase(
                  c.param("project_id"),
                  c.param("branch_id"),
                  requiredText(database, "name", "database.name"),
                  requiredText(database, "owner_name", "database.owner_name"));
          ObjectNode body = object("database", JsonViews.database(change.database()));
          body.set("operations", JsonViews.operations(change.operations()));
          return new Answer(201, body);
        });
    route(
        "GET",
        branch + "/databases/{database_name}",
        "getProjectBranchDatabase",
        c ->
            ok(
                object(
                    "database",
                    JsonViews.database(
                        controlPlane.getDatabase(
                            c.param("project_id"),
                            c.param("branch_id"),
                            c.param("database_name"))))));
    route(
        "DELETE",
        branch + "/databases/{database_name}",
        "deleteProjectBranchDatabase",
        c -> {
          var change =
              controlPlane.deleteDatabase(
                  c.param("project_id"), c.param("branch_id"), c.param("database_name"));
          if (change.isEmpty()) {
            return new Answer(204, null);
          }
          ObjectNode body = object("database", JsonViews.database(change.get().database()));
          body.set("operations", JsonViews.operations(change.get().operations()));
          return ok(body);
        });
    route(
        "GET",
        branch + "/roles",
        "listProjectBranchRoles",
        c ->
            ok(
                object(
                    "roles",
                    JsonViews.roles(
                        controlPlane.listRoles(c.param("project_id"), c.param("branch_id")),
                        false))));
    route(
        "POST",
        branch + "/roles",
        "createProjectBranchRole",
        c -> {
          JsonNode role = c.body().path("role");
          var change =
              controlPlane.createRole(
                  c.param("project_id"),
                  c.param("branch_id"),
                  requiredText(role, "name", "role.name"),
                  role.path("no_login").asBoolean(false));
          ObjectNode body = object("role", JsonViews.role(change.role(), true));
          body.set("operations", JsonViews.operations(change.operations()));
          return new Answer(201, body);
        });
    route(
        "GET",
        branch + "/roles/{role_name}",
        "getProjectBranchRole",
        c ->
            ok(
                object(
                    "role",
                    JsonViews.role(
                        controlPlane.getRole(
                            c.param("project_id"), c.param("branch_id"), c.param("role_name")),
                        false))));
    route(
        "GET",
        branch + "/roles/{role_name}/reveal_password",
        "getProjectBranchRolePassword",
        c ->
            ok(
                NODES
                    .objectNode()
                    .put(
                        "password",
                        controlPlane.revealPassword(
                            c.param("project_id"), c.param("branch_id"), c.param("role_name")))));
    route(
        "GET",
        project + "/endpoints",
        "listProjectEndpoints",
        c ->
            ok(
                object(
                    "endpoints",
                    JsonViews.endpoints(controlPlane.listEndpoints(c.param("project_id")), host))));
    route(
        "GET",
        project + "/endpoints/{endpoint_id}",
        "getProjectEndpoint",
        c ->
            ok(
                object(
                    "endpoint",
                    JsonViews.endpoint(
                        controlPlane.getEndpoint(c.param("project_id"), c.param("endpoint_id")),
                        host))));
    route(
        "POST",
        project + "/endpoints/{endpoint_id}/start",
        "startProjectEndpoint",
        c ->
            endpointChange(
                controlPlane.startEndpoint(c.param("project_id"), c.param("endpoint_id"))));
    route(
        "POST",
        project + "/endpoints/{endpoint_id}/suspend",
        "suspendProjectEndpoint",
        c ->
            endpointChange(
                controlPlane.suspendEndpoint(c.param("project_id"), c.param("endpoint_id"))));
    route(
        "GET",
        project + "/connection_uri",
        "getConnectionURI",
        c -> {
          String uri =
              controlPlane.connectionUri(
                  c.param("project_id"),
                  c.queryParam("branch_id"),
                  c.queryParam("endpoint_id"),
                  c.queryParam("database_name")
                      .orElseThrow(
                          () ->
                              new NeonApiException(
                                  400, "BAD_REQUEST", "database_name is required")),
                  c.queryParam("role_name")
                      .orElseThrow(
                          () -> new NeonApiException(400, "BAD_REQUEST", "role_name is required")));
          return ok(NODES.objectNode().put("uri", uri));
        });
    route(
        "GET",
        project + "/operations",
        "listProjectOperations",
        c -> {
          var page =
              controlPlane.listOperations(
                  c.param("project_id"), c.queryParam("cursor"), c.intParam("limit"));
          ObjectNode body = object("operations", JsonViews.operations(page.operations()));
          page.nextCursor().ifPresent(cursor -> body.putObject("pagination").put("cursor", cursor));
          return ok(body);
        });
    route(
        "GET",
        project + "/operations/{operation_id}",
        "getProjectOperation",
        c ->
            ok(
                object(
                    "operation",
                    JsonViews.operation(
                        controlPlane.getOperation(
                            c.param("project_id"), c.param("operation_id"))))));
  }

  private Answer listBranches(Call c) throws NeonApiException, SQLException {
    var page =
        controlPlane.listBranches(
            c.param("project_id"),
            c.queryParam("search"),
            c.queryParam("sort_by"),
            c.queryParam("sort_order"),
            c.intParam("limit"),
            c.queryParam("cursor"));
    ObjectNode body = object("branches", JsonViews.branches(page.branches()));
    ObjectNode annotations = body.putObject("annotations");
    for (BranchRecord b : page.branches()) {
      if (!b.annotation().isEmpty()) {
        annotations.set(b.id(), JsonViews.annotation(b));
      }
    }
    ObjectNode pagination = body.putObject("pagination");
    page.nextCursor().ifPresent(next -> pagination.put("next", next));
    pagination.put("sort_by", page.sortBy()).put("sort_order", page.sortOrder());
    return ok(body);
  }

  private Answer createBranch(Call c) throws NeonApiException, SQLException {
    JsonNode branch = c.body().path("branch");
    List<Requests.EndpointSpec> endpoints = new ArrayList<>();
    for (JsonNode endpoint : c.body().path("endpoints")) {
      endpoints.add(
          new Requests.EndpointSpec(
              requiredText(endpoint, "type", "endpoints[].type"),
              endpoint.path("autoscaling_limit_min_cu").asDouble(0.25),
              endpoint.path("autoscaling_limit_max_cu").asDouble(0.25),
              endpoint.path("suspend_timeout_seconds").asLong(0)));
    }
    Map<String, String> annotation = new HashMap<>();
    JsonNode value = c.body().path("annotation_value");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new NeonApiException(400, "BAD_REQUEST", "annotation_value values must be strings");
      }
      annotation.put(entry.getKey(), entry.getValue().asText());
    }
    if (annotation.size() > 50) {
      throw new NeonApiException(400, "BAD_REQUEST", "annotation_value holds at most 50 entries");
    }
    CreatedBranch created =
        controlPlane.createBranch(
            c.param("project_id"),
            new Requests.CreateBranch(
                optionalText(branch, "parent_id"),
                optionalText(branch, "name"),
                optionalTime(branch, "expires_at"),
                branch.path("protected").asBoolean(false),
                optionalText(branch, "parent_lsn"),
                optionalTime(branch, "parent_timestamp"),
                optionalText(branch, "init_source"),
                endpoints,
                annotation));
    ObjectNode body = object("branch", JsonViews.branch(created.branch(), Optional.empty()));
    body.set("endpoints", JsonViews.endpoints(created.endpoints(), host));
    body.set("operations", JsonViews.operations(created.operations()));
    body.set("roles", JsonViews.roles(created.roles(), false));
    body.set("databases", JsonViews.databases(created.databases()));
    List<RoleRecord> loginRoles =
        created.roles().stream().filter(r -> r.password() != null).toList();
    if (!created.endpoints().isEmpty()
        && loginRoles.size() == 1
        && created.databases().size() == 1) {
      RoleRecord role = loginRoles.get(0);
      String database = created.databases().get(0).name();
      String uri =
          controlPlane.connectionUri(
              c.param("project_id"),
              Optional.of(created.branch().id()),
              Optional.empty(),
              database,
              role.name());
      ObjectNode details = body.putArray("connection_uris").addObject();
      details.put("connection_uri", uri);
      details
          .putObject("connection_parameters")
          .put("database", created.databases().get(0).physicalName())
          .put("password", role.password())
          .put("role", role.name())
          .put("host", host)
          .put("pooler_host", host);
    }
    return new Answer(201, body);
  }

  private Answer updateBranch(Call c) throws NeonApiException, SQLException {
    JsonNode branch = c.body().get("branch");
    if (branch == null || !branch.isObject()) {
      throw new NeonApiException(400, "BAD_REQUEST", "the request body must hold a branch object");
    }
    Optional<Optional<Instant>> expiresAt = Optional.empty();
    if (branch.has("expires_at")) {
      expiresAt =
          Optional.of(
              branch.get("expires_at").isNull()
                  ? Optional.empty()
                  : Optional.of(parseTime(branch.get("expires_at"), "branch.expires_at")));
    }
    Optional<Boolean> isProtected =
        branch.has("protected")
            ? Optional.of(branch.get("protected").asBoolean())
            : Optional.empty();
    return branchChange(
        controlPlane.updateBranch(
            c.param("project_id"),
            c.param("branch_id"),
            new Requests.UpdateBranch(optionalText(branch, "name"), expiresAt, isProtected)));
  }

  private Answer restoreBranch(Call c) throws NeonApiException, SQLException {
    JsonNode body = c.body();
    return branchChange(
        controlPlane.restoreBranch(
            c.param("project_id"),
            c.param("branch_id"),
            new Requests.RestoreBranch(
                requiredText(body, "source_branch_id", "source_branch_id"),
                optionalText(body, "source_lsn"),
                optionalTime(body, "source_timestamp"),
                optionalText(body, "preserve_under_name"))));
  }

  private static Answer branchChange(BranchChange change) {
    ObjectNode body = object("branch", JsonViews.branch(change.branch(), Optional.empty()));
    body.set("operations", JsonViews.operations(change.operations()));
    return ok(body);
  }

  private Answer endpointChange(Requests.EndpointChange change) {
    ObjectNode body = object("endpoint", JsonViews.endpoint(change.endpoint(), host));
    body.set("operations", JsonViews.operations(change.operations()));
    return ok(body);
  }

  // ---- serving

  private void serve(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String operation = "unknown";
    Answer answer;
    try {
      if (path.equals("/neon-local/health")) {
        answer = ok(NODES.objectNode().put("status", "ok"));
      } else if (!authorized(exchange)) {
        answer =
            error(
                401,
                "UNAUTHORIZED",
                "authorization failed: send Authorization: Bearer <API key>",
                requestId);
      } else if (path.startsWith("/neon-local/")) {
        operation = "admin";
        answer = admin(method, path, readBody(exchange), requestId);
      } else {
        operation = routeOperation(method, path);
        answer = dispatch(exchange, method, path, requestId);
      }
    } catch (NeonApiException e) {
      answer = error(e.status(), e.code(), e.getMessage(), requestId);
    } catch (RuntimeException e) {
      answer = error(500, "INTERNAL_ERROR", "internal error: " + e.getMessage(), requestId);
    }
    record(method, path, operation, answer.status());
    write(exchange, answer, requestId);
  }

  private Answer dispatch(HttpExchange exchange, String method, String path, String requestId) {
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher matcher = route.pattern().matcher(path);
      if (!matcher.matches()) {
        continue;
      }
      pathKnown = true;
      if (!route.method().equals(method)) {
        continue;
      }
      Duration latency = faults.latency(route.operation());
      if (!latency.isZero()) {
        try {
          Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Optional<Integer> injected = faults.injectedStatus(route.operation());
      if (injected.isPresent()) {
        return injectedError(injected.get(), requestId);
      }
      try {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < route.names().size(); i++) {
          parameters.put(
              route.names().get(i),
              URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
        }
        JsonNode body = readBody(exchange);
        Answer answer =
            route.handler().handle(new Call(parameters, query(exchange.getRequestURI()), body));
        Optional<Integer> lost = faults.lostAnswerStatus(route.operation());
        return lost.isPresent() ? injectedError(lost.get(), requestId) : answer;
      } catch (NeonApiException e) {
        return error(e.status(), e.code(), e.getMessage(), requestId);
      } catch (SQLException e) {
        return error(500, "INTERNAL_ERROR", "internal error: " + e.getMessage(), requestId);
      }
    }
    return pathKnown
        ? error(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path, requestId)
        : error(404, "NOT_FOUND", "no such route: " + method + " " + path, requestId);
  }

  private String routeOperation(String method, String path) {
    for (Route route : routes) {
      if (route.method().equals(method) && route.pattern().matcher(path).matches()) {
        return route.operation();
      }
    }
    return "unknown";
  }

  private Answer admin(String method, String path, JsonNode body, String requestId) {
    if (path.equals("/neon-local/faults") && method.equals("POST")) {
      String operation = body.path("operation").asText("*");
      if (body.has("latency_ms")) {
        faults.delay(operation, Duration.ofMillis(body.get("latency_ms").asLong()));
      }
      if (body.has("status")) {
        int status = body.get("status").asInt();
        try {
          if (body.path("after_applying").asBoolean(false)) {
            faults.failAfterApplying(operation, status, body.path("times").asInt(1));
          } else if (body.has("probability")) {
            faults.failRandomly(operation, status, body.get("probability").asDouble());
          } else {
            faults.failNext(operation, status, body.path("times").asInt(1));
          }
        } catch (IllegalArgumentException e) {
          return error(400, "BAD_REQUEST", e.getMessage(), requestId);
        }
      }
      return ok(NODES.objectNode().put("status", "ok"));
    }
    if (path.equals("/neon-local/faults") && method.equals("DELETE")) {
      faults.clear();
      return ok(NODES.objectNode().put("status", "ok"));
    }
    if (path.equals("/neon-local/requests") && method.equals("GET")) {
      ObjectNode answer = NODES.objectNode();
      var array = answer.putArray("requests");
      for (RecordedRequest request : journal()) {
        array
            .addObject()
            .put("received_at", request.receivedAt().toString())
            .put("method", request.method())
            .put("path", request.path())
            .put("operation", request.operation())
            .put("status", request.status());
      }
      return ok(answer);
    }
    return error(404, "NOT_FOUND", "no such route: " + method + " " + path, requestId);
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, apiKey);
  }

  private void record(String method, String path, String operation, int status) {
    synchronized (journal) {
      if (journal.size() >= JOURNAL_SIZE) {
        journal.removeFirst();
      }
      journal.addLast(new RecordedRequest(Instant.now(), method, path, operation, status));
    }
  }

  private static JsonNode readBody(HttpExchange exchange) throws NeonApiException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return NODES.objectNode();
      }
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new NeonApiException(400, "BAD_REQUEST", "the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new NeonApiException(
          400, "BAD_REQUEST", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NeonApiException(400, "BAD_REQUEST", "could not read the request body");
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> parameters = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void write(HttpExchange exchange, Answer answer, String requestId)
      throws IOException {
    exchange.getResponseHeaders().set("X-Neon-Ret-Request-Id", requestId);
    if (answer.body() == null) {
      exchange.sendResponseHeaders(answer.status(), -1);
      exchange.close();
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private static ObjectNode object(String name, JsonNode value) {
    ObjectNode node = NODES.objectNode();
    node.set(name, value);
    return node;
  }

  private static Answer error(int status, String code, String message, String requestId) {
    return new Answer(
        status,
        NODES.objectNode().put("code", code).put("message", message).put("request_id", requestId));
  }

  private static Answer injectedError(int status, String requestId) {
    return switch (status) {
      case 423 ->
          error(
              423,
              "LOCKED",
              "project already has running conflicting operations, scheduling of new ones is prohibited (injected)",
              requestId);
      case 429 -> error(429, "TOO_MANY_REQUESTS", "rate limit exceeded (injected)", requestId);
      case 503 ->
          error(
              503, "SERVICE_UNAVAILABLE", "service temporarily unavailable (injected)", requestId);
      default -> error(status, "INJECTED_FAULT", "fault injected by neon-local", requestId);
    };
  }

  private static String requiredText(JsonNode node, String field, String label)
      throws NeonApiException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new NeonApiException(400, "BAD_REQUEST", label + " is required");
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field)
      throws NeonApiException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new NeonApiException(400, "BAD_REQUEST", field + " must be a string");
    }
    return Optional.of(value.asText());
  }

  private static Optional<Instant> optionalTime(JsonNode node, String field)
      throws NeonApiException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(parseTime(value, field));
  }

  private static Instant parseTime(JsonNode value, String field) throws NeonApiException {
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new NeonApiException(
          400,
          "BAD_REQUEST",
          field + " must be an RFC 3339 timestamp such as 2025-06-09T18:02:16Z");
    }
  }
}
