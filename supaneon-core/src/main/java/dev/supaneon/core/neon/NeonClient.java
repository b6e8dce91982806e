package dev.supaneon.core.neon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.supaneon.core.config.NeonSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

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

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Timeouts, retries, time and logging; every field has a production default. */
  public record Options(
      Duration connectTimeout,
      Duration readTimeout,
      Duration callTimeout,
      RetryPolicy retryPolicy,
      Duration operationTimeout,
      Clock clock,
      Sleeper sleeper,
      Random random,
      Consumer<String> log) {

    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(10),
          Duration.ofSeconds(60),
          Duration.ofSeconds(120),
          RetryPolicy.DEFAULT,
          Duration.ofMinutes(15),
          Clock.systemUTC(),
          Sleeper.SYSTEM,
          new Random(),
          message -> {});
    }

    public Options withLog(Consumer<String> log) {
      return new Options(
          connectTimeout,
          readTimeout,
          callTimeout,
          retryPolicy,
          operationTimeout,
          clock,
          sleeper,
          random,
          log);
    }

    public Options withRetryPolicy(RetryPolicy policy) {
      return new Options(
          connectTimeout,
          readTimeout,
          callTimeout,
          policy,
          operationTimeout,
          clock,
          sleeper,
          random,
          log);
    }

    public Options withSleeper(Sleeper sleeper, Clock clock) {
      return new Options(
          connectTimeout,
          readTimeout,
          callTimeout,
          retryPolicy,
          operationTimeout,
          clock,
          sleeper,
          random,
          log);
    }
  }

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

  /** Whether a failed call may be sent again as it is. */
  private enum Repeat {
    /** GET, DELETE, PATCH, and POSTs whose effect does not add up. */
    SAFE,
    /** Creations: resent only for answers that prove nothing happened (423, 429, 503). */
    ONLY_IF_NOT_APPLIED
  }

  private record Answer(int status, JsonNode body) {}

  private final NeonSettings settings;
  private final Options options;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final String projectPath;

  public NeonClient(NeonSettings settings) {
    this(settings, Options.defaults());
  }

  public NeonClient(NeonSettings settings, Options options) {
    this(settings, options, new OkHttpClient.Builder());
  }

  /** With an OkHttp builder to extend, for example with a test interceptor. */
  public NeonClient(NeonSettings settings, Options options, OkHttpClient.Builder httpBuilder) {
    this.settings = settings;
    this.options = options;
    this.http =
        httpBuilder
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .writeTimeout(options.readTimeout())
            .callTimeout(options.callTimeout())
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .build();
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    this.projectPath = "projects/" + settings.projectId();
  }

  public NeonSettings settings() {
    return settings;
  }

  // ---- project

  public Project getProject() {
    Answer answer = call("GET", projectPath, Map.of(), null, Repeat.SAFE, false);
    return read(answer.body().path("project"), Project.class);
  }

  // ---- branches

  /** Every branch of the project, with annotations. */
  public List<Branch> listBranches() {
    List<Branch> branches = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    for (int page = 0; page < 1000; page++) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("limit", "100");
      query.put("sort_by", "created_at");
      query.put("sort_order", "asc");
      cursor.ifPresent(c -> query.put("cursor", c));
      JsonNode body =
          call("GET", projectPath + "/branches", query, null, Repeat.SAFE, false).body();
      JsonNode annotations = body.path("annotations");
      for (JsonNode node : body.path("branches")) {
        Branch branch = read(node, Branch.class);
        JsonNode value = annotations.path(branch.id()).path("value");
        branches.add(branch.withAnnotation(stringMap(value)));
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
    Answer answer =
        call(
            "GET",
            projectPath + "/branches/" + encode(branchId),
            Map.of(),
            null,
            Repeat.SAFE,
            true);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    Branch branch = read(answer.body().path("branch"), Branch.class);
    return Optional.of(
        branch.withAnnotation(stringMap(answer.body().path("annotation").path("value"))));
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
        Answer answer =
            call(
                "POST",
                projectPath + "/branches",
                Map.of(),
                body,
                Repeat.ONLY_IF_NOT_APPLIED,
                false);
        return createdBranch(answer.body());
      } catch (OutcomeUnknown unknown) {
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
    return operations(
        call(
                "PATCH",
                projectPath + "/branches/" + encode(branchId),
                Map.of(),
                body,
                Repeat.SAFE,
                false)
            .body());
  }

  /** Deletes a branch and returns its operations; empty when it was already gone (204). */
  public Optional<List<Operation>> deleteBranch(String branchId) {
    Answer answer =
        call(
            "DELETE",
            projectPath + "/branches/" + encode(branchId),
            Map.of(),
            null,
            Repeat.SAFE,
            true);
    if (answer.status() == 204 || answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(operations(answer.body()));
  }

  /** Polls a branch until it is ready. */
  public Branch awaitBranchReady(String branchId) {
    Instant deadline = options.clock().instant().plus(options.operationTimeout());
    Duration pause = FIRST_POLL;
    while (true) {
      Branch branch =
          findBranch(branchId)
              .orElseThrow(
                  () -> new NeonUnavailableException("branch " + branchId + " disappeared", null));
      if (branch.isReady()) {
        return branch;
      }
      if (options.clock().instant().isAfter(deadline)) {
        throw new NeonUnavailableException(
            "branch " + branchId + " did not become ready within " + options.operationTimeout(),
            null);
      }
      sleep(pause);
      pause = nextPoll(pause);
    }
  }

  // ---- endpoints

  public List<Endpoint> listBranchEndpoints(String branchId) {
    JsonNode body =
        call(
                "GET",
                projectPath + "/branches/" + encode(branchId) + "/endpoints",
                Map.of(),
                null,
                Repeat.SAFE,
                false)
            .body();
    return readList(body.path("endpoints"), Endpoint.class);
  }

  public List<Operation> suspendEndpoint(String endpointId) {
    return operations(
        call(
                "POST",
                projectPath + "/endpoints/" + encode(endpointId) + "/suspend",
                Map.of(),
                null,
                Repeat.SAFE,
                false)
            .body());
  }

  // ---- databases and roles

  public List<Database> listDatabases(String branchId) {
    JsonNode body =
        call(
                "GET",
                projectPath + "/branches/" + encode(branchId) + "/databases",
                Map.of(),
                null,
                Repeat.SAFE,
                false)
            .body();
    return readList(body.path("databases"), Database.class);
  }

  /** Creates a database; on a lost answer, checks whether it exists before sending again. */
  public List<Operation> createDatabase(String branchId, String name, String owner) {
    ObjectNode body = NODES.objectNode();
    body.putObject("database").put("name", name).put("owner_name", owner);
    String path = projectPath + "/branches/" + encode(branchId) + "/databases";
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return operations(
            call("POST", path, Map.of(), body, Repeat.ONLY_IF_NOT_APPLIED, false).body());
      } catch (OutcomeUnknown unknown) {
        if (listDatabases(branchId).stream().anyMatch(d -> d.name().equals(name))) {
          return List.of();
        }
      }
    }
    throw new NeonUnavailableException("creating database " + name + " failed three times", null);
  }

  /** Deletes a database; empty when it was not there. */
  public Optional<List<Operation>> deleteDatabase(String branchId, String name) {
    Answer answer =
        call(
            "DELETE",
            projectPath + "/branches/" + encode(branchId) + "/databases/" + encode(name),
            Map.of(),
            null,
            Repeat.SAFE,
            true);
    if (answer.status() == 204 || answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(operations(answer.body()));
  }

  public List<Role> listRoles(String branchId) {
    JsonNode body =
        call(
                "GET",
                projectPath + "/branches/" + encode(branchId) + "/roles",
                Map.of(),
                null,
                Repeat.SAFE,
                false)
            .body();
    return readList(body.path("roles"), Role.class);
  }

  /**
   * The connection URI of a database as a role. It carries the role's password: keep it in a {@code
   * PostgresUrl} and never log it.
   */
  public String connectionUri(String branchId, String database, String role) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("branch_id", branchId);
    query.put("database_name", database);
    query.put("role_name", role);
    return call("GET", projectPath + "/connection_uri", query, null, Repeat.SAFE, false)
        .body()
        .path("uri")
        .asText();
  }

  // ---- operations

  public Operation getOperation(String operationId) {
    JsonNode body =
        call(
                "GET",
                projectPath + "/operations/" + encode(operationId),
                Map.of(),
                null,
                Repeat.SAFE,
                false)
            .body();
    return read(body.path("operation"), Operation.class);
  }

  /** Waits until every operation is finished; a failed one is an error. */
  public void awaitOperations(List<Operation> operations) {
    Instant deadline = options.clock().instant().plus(options.operationTimeout());
    for (Operation operation : operations) {
      Operation current = operation;
      Duration pause = FIRST_POLL;
      while (!current.isFinished()) {
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
        if (options.clock().instant().isAfter(deadline)) {
          throw new NeonUnavailableException(
              "operation "
                  + current.action()
                  + " "
                  + current.id()
                  + " did not finish within "
                  + options.operationTimeout(),
              null);
        }
        sleep(pause);
        pause = nextPoll(pause);
        current = getOperation(current.id());
      }
    }
  }

  // ---- plumbing

  /** A call whose effect is unknown: the request may or may not have been applied. */
  private static final class OutcomeUnknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknown(String message) {
      super(message, null, false, false);
    }
  }

  private Answer call(
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      Repeat repeat,
      boolean notFoundIsAnswer) {
    HttpUrl.Builder url = HttpUrl.get(settings.apiUrl().toString() + "/" + path).newBuilder();
    query.forEach(url::addQueryParameter);
    byte[] bytes = body == null ? null : writeJson(body);
    String callName = method + " /" + path;
    Instant started = options.clock().instant();
    RetryPolicy policy = options.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      Request.Builder request =
          new Request.Builder()
              .url(url.build())
              .header("Authorization", "Bearer " + settings.apiKey().reveal())
              .header("Accept", "application/json")
              .header("User-Agent", "supaneon/0.1");
      if (bytes != null) {
        request.method(method, RequestBody.create(bytes, JSON_TYPE));
      } else if (method.equals("POST") || method.equals("PATCH") || method.equals("PUT")) {
        request.method(method, RequestBody.create(new byte[0], JSON_TYPE));
      } else {
        request.method(method, null);
      }
      boolean lastAttempt =
          attempt >= policy.maxAttempts()
              || Duration.between(started, options.clock().instant()).compareTo(policy.maxElapsed())
                  > 0;
      Optional<Duration> retryAfter = Optional.empty();
      String failure;
      try (Response response = http.newCall(request.build()).execute()) {
        int status = response.code();
        String text = readBody(response.body());
        if (status < 300 || (notFoundIsAnswer && status == 404)) {
          return new Answer(status, text.isEmpty() ? NODES.missingNode() : parse(text, callName));
        }
        JsonNode error = text.isEmpty() ? NODES.missingNode() : parseQuietly(text);
        boolean notApplied = status == 423 || status == 429 || status == 503;
        if (!notApplied && status >= 500 && repeat == Repeat.ONLY_IF_NOT_APPLIED) {
          throw new OutcomeUnknown(callName + " answered HTTP " + status);
        }
        boolean retryable = notApplied || (status >= 500 && repeat == Repeat.SAFE);
        if (!retryable || lastAttempt) {
          throw apiError(callName, status, error);
        }
        retryAfter = retryAfter(response.header("Retry-After"));
        failure = "HTTP " + status + " " + error.path("code").asText("");
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new NeonUnavailableException("interrupted during " + callName, e);
        }
        if (repeat == Repeat.ONLY_IF_NOT_APPLIED) {
          throw new OutcomeUnknown(callName + " timed out");
        }
        if (lastAttempt) {
          throw unreachable(callName, e);
        }
        failure = "timeout";
      } catch (IOException e) {
        if (repeat == Repeat.ONLY_IF_NOT_APPLIED) {
          throw new OutcomeUnknown(callName + " failed: " + e.getClass().getSimpleName());
        }
        if (lastAttempt) {
          throw unreachable(callName, e);
        }
        failure = e.getClass().getSimpleName();
      }
      Duration delay = retryAfter.orElse(policy.delay(attempt - 1, options.random()));
      options
          .log()
          .accept(
              "Neon API "
                  + callName
                  + ": "
                  + failure.strip()
                  + "; retry "
                  + attempt
                  + " in "
                  + delay.toMillis()
                  + " ms");
      sleep(delay);
    }
  }

  private NeonApiException apiError(String callName, int status, JsonNode error) {
    String hint =
        switch (status) {
          case 401, 403 -> "Check NEON_API_KEY: it must be a valid key with access to the project";
          case 404 ->
              callName.endsWith("/" + projectPath)
                  ? "Check NEON_PROJECT_ID: no such project for this API key"
                  : null;
          case 423 -> "Another operation kept the project busy; try again later";
          case 429 -> "Neon's rate limit was hit repeatedly; try again later";
          default -> null;
        };
    return new NeonApiException(
        callName,
        status,
        error.path("code").asText(""),
        settings.apiKey().scrub(error.path("message").asText("")),
        error.path("request_id").asText(""),
        hint);
  }

  private NeonUnavailableException unreachable(String callName, IOException e) {
    return new NeonUnavailableException(
        "Neon API "
            + callName
            + " could not be reached at "
            + settings.apiUrl().getHost()
            + " ("
            + e.getClass().getSimpleName()
            + ": "
            + settings.apiKey().scrub(String.valueOf(e.getMessage()))
            + "); check NEON_API_URL and the network",
        e);
  }

  private static Optional<Duration> retryAfter(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return Optional.of(Duration.ofSeconds(Math.min(Math.max(seconds, 0), 300)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void sleep(Duration duration) {
    try {
      options.sleeper().sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeonUnavailableException("interrupted while waiting for Neon", e);
    }
  }

  private CreatedBranch createdBranch(JsonNode body) {
    return new CreatedBranch(
        read(body.path("branch"), Branch.class),
        readList(body.path("endpoints"), Endpoint.class),
        operations(body));
  }

  private List<Operation> operations(JsonNode body) {
    return readList(body.path("operations"), Operation.class);
  }

  private <T> T read(JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new NeonUnavailableException(
          "the Neon API answered with an unexpected "
              + type.getSimpleName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private <T> List<T> readList(JsonNode array, Class<T> type) {
    List<T> items = new ArrayList<>();
    for (JsonNode node : array) {
      items.add(read(node, type));
    }
    return items;
  }

  private static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
    return map;
  }

  private JsonNode parse(String text, String callName) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new NeonUnavailableException(callName + " answered with something that is not JSON", e);
    }
  }

  private JsonNode parseQuietly(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return NODES.missingNode();
    }
  }

  private byte[] writeJson(JsonNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readBody(ResponseBody body) throws IOException {
    return body == null ? "" : new String(body.bytes(), StandardCharsets.UTF_8);
  }

  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Operations often finish in well under a second: poll soon, then back off gently to 1 s. */
  private static final Duration FIRST_POLL = Duration.ofMillis(50);

  private static Duration nextPoll(Duration pause) {
    Duration next = pause.multipliedBy(3).dividedBy(2);
    return next.compareTo(Duration.ofSeconds(1)) <= 0 ? next : Duration.ofSeconds(1);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
