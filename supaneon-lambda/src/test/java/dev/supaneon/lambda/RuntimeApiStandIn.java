package dev.supaneon.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for the Lambda Runtime API (2018-06-01), the few routes a runtime interface
 * client uses: it hands out queued events on {@code invocation/next} with Lambda's headers and
 * collects what the function answers on {@code response} or {@code error}.
 */
@SuppressForbidden(
    reason =
        "com.sun.net.httpserver is the JDK's exported, supported HTTP server (module"
            + " jdk.httpserver): a stand-in needs no server dependency")
final class RuntimeApiStandIn implements AutoCloseable {

  static final String PREFIX = "/2018-06-01/runtime/";
  static final String FUNCTION_ARN =
      "arn:aws:lambda:eu-central-1:000000000000:function:supaneon-backup";

  /** What the function answered to one invocation. */
  record Outcome(boolean succeeded, String body, Map<String, String> headers) {}

  private record Invocation(String requestId, String event, Duration timeout) {}

  private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
  final CompletableFuture<String> initError = new CompletableFuture<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpServer server;

  RuntimeApiStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // invocation/next blocks until there is an event: other calls need threads of their own.
    server.setExecutor(threads);
    server.createContext(PREFIX, this::route);
    server.start();
  }

  /** host:port, as Lambda gives it in AWS_LAMBDA_RUNTIME_API. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an event; the future completes with the function's answer. */
  CompletableFuture<Outcome> invoke(String event, Duration timeout) {
    String requestId = UUID.randomUUID().toString();
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    outcomes.put(requestId, outcome);
    queue.add(new Invocation(requestId, event, timeout));
    return outcome;
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
      next(exchange);
    } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
      complete(exchange, path, new Outcome(true, body, headers(exchange)));
    } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
      complete(exchange, path, new Outcome(false, body, headers(exchange)));
    } else if (path.equals("init/error")) {
      initError.complete(body);
      answer(exchange, 202, "{\"status\":\"OK\"}");
    } else {
      answer(exchange, 404, "{\"errorMessage\":\"no such route\"}");
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = queue.poll(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
      return;
    }
    if (invocation == null) {
      exchange.close();
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
    headers.set(
        "Lambda-Runtime-Deadline-Ms",
        Long.toString(System.currentTimeMillis() + invocation.timeout().toMillis()));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
    headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
    answer(exchange, 200, invocation.event());
  }

  private void complete(HttpExchange exchange, String path, Outcome outcome) throws IOException {
    String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
    CompletableFuture<Outcome> future = outcomes.get(requestId);
    if (future == null) {
      answer(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
      return;
    }
    future.complete(outcome);
    answer(exchange, 202, "{\"status\":\"OK\"}");
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
    return headers;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    StandInAnswers.json(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
