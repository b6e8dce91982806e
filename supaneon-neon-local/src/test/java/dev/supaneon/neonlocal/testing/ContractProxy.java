package dev.supaneon.neonlocal.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between a client that is not ours (Neon's CLI, Neon's SDK) and neon-local, forwards every
 * call, and checks each request and answer against Neon's OpenAPI spec, as {@link
 * NeonApiTestClient} does for our own calls. What did not match is kept for the test to report.
 */
@SuppressForbidden(
    reason =
        "com.sun.net.httpserver is the JDK's exported, supported HTTP server (module"
            + " jdk.httpserver): a test proxy needs no server dependency")
public final class ContractProxy implements AutoCloseable {

  private final String target;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> mismatches = new CopyOnWriteArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger validated = new AtomicInteger();

  /**
   * @param target neon-local's API URL, ending in /api/v2
   */
  public ContractProxy(String target) {
    this.target = target.replaceAll("/api/v2/?$", "");
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::forward);
    server.start();
  }

  /** The URL clients use instead of neon-local's. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2";
  }

  public List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** "METHOD /path -> status" of every call, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public int validatedCalls() {
    return validated.get();
  }

  private void forward(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + uri.getRawPath() + query(uri)))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : List.of("Authorization", "Content-Type", "Accept")) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    String answer = new String(response.body(), StandardCharsets.UTF_8);
    calls.add(method + " " + uri.getRawPath() + " -> " + response.statusCode());
    try {
      OpenApiContract.validate(
          method,
          uri.getRawPath(),
          queryParameters(uri),
          body.length == 0 ? null : new String(body, StandardCharsets.UTF_8),
          response.statusCode(),
          contentType,
          answer);
      validated.incrementAndGet();
    } catch (AssertionError mismatch) {
      mismatches.add(mismatch.getMessage());
    }
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    int length = response.body().length;
    exchange.sendResponseHeaders(response.statusCode(), length == 0 ? -1 : length);
    if (length > 0) {
      exchange.getResponseBody().write(response.body());
    }
    exchange.close();
  }

  private static String query(URI uri) {
    return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
  }

  private static Map<String, String> queryParameters(URI uri) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        parameters.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
