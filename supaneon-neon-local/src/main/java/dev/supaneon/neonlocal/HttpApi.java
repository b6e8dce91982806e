package dev.supaneon.neonlocal;

import static dev.supaneon.neonlocal.ApiCalls.NODES;
import static dev.supaneon.neonlocal.ApiCalls.error;
import static dev.supaneon.neonlocal.ApiCalls.injectedError;
import static dev.supaneon.neonlocal.ApiCalls.ok;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.supaneon.neonlocal.ApiCalls.Answer;
import dev.supaneon.neonlocal.ApiCalls.Call;
import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.NeonApiError;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;

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
  private static final int JOURNAL_SIZE = 10_000;

  private final ControlPlane controlPlane;
  private final byte[] apiKey;
  private final Faults faults;
  private final String host;
  private final Routes routes = new Routes(API_PREFIX);
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
    new NeonRoutes(controlPlane, databaseHost).defineOn(routes);
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
    } catch (NeonApiError e) {
      answer = error(e.status(), e.code(), e.getMessage(), requestId);
    } catch (RuntimeException e) {
      answer = error(500, "INTERNAL_ERROR", "internal error: " + e.getMessage(), requestId);
    }
    record(method, path, operation, answer.status());
    write(exchange, answer, requestId);
  }

  private Answer dispatch(HttpExchange exchange, String method, String path, String requestId) {
    boolean pathKnown = false;
    for (Routes.Route route : routes.all()) {
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
      Optional<Faults.Injected> injected = faults.injected(route.operation());
      if (injected.isPresent()) {
        return injected.get().quota() == null
            ? injectedError(injected.get().status(), requestId)
            : error(
                injected.get().status(),
                "QUOTA_EXCEEDED",
                "Your project has exceeded the "
                    + injected.get().quota()
                    + " quota of its plan (injected)",
                requestId);
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
      } catch (NeonApiError e) {
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
    for (Routes.Route route : routes.all()) {
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

  private static JsonNode readBody(HttpExchange exchange) throws NeonApiError {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return NODES.objectNode();
      }
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new NeonApiError(400, "BAD_REQUEST", "the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new NeonApiError(
          400, "BAD_REQUEST", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NeonApiError(400, "BAD_REQUEST", "could not read the request body");
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
}
