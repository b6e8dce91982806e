package dev.supaneon.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the AWS Parameters and Secrets Lambda Extension's HTTP endpoint: the two GET
 * routes supaneon uses, the session-token check, and answers shaped like GetParameter's and
 * GetSecretValue's.
 */
@SuppressForbidden(
    reason =
        "com.sun.net.httpserver is the JDK's exported, supported HTTP server (module"
            + " jdk.httpserver): a stand-in needs no server dependency")
final class ExtensionStandIn implements AutoCloseable {

  static final String SESSION_TOKEN = "session-token-" + Long.toHexString(System.nanoTime());

  private static final ObjectMapper JSON = new ObjectMapper();

  final Map<String, String> parameters = new ConcurrentHashMap<>();
  final Map<String, String> secrets = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  ExtensionStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/systemsmanager/parameters/get", this::parameter);
    server.createContext("/secretsmanager/get", this::secret);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void parameter(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange);
    requests.add(
        "parameter " + query.get("name") + " withDecryption=" + query.get("withDecryption"));
    if (!authorized(exchange)) {
      return;
    }
    String value = parameters.get(query.getOrDefault("name", ""));
    if (value == null) {
      answer(exchange, 400, Map.of("__type", "ParameterNotFound"));
      return;
    }
    Map<String, Object> parameter = new LinkedHashMap<>();
    parameter.put("Name", query.get("name"));
    parameter.put("Type", "SecureString");
    parameter.put(
        "Value", "true".equals(query.get("withDecryption")) ? value : "AQICAHh-encrypted");
    parameter.put("Version", 1);
    parameter.put("DataType", "text");
    answer(exchange, 200, Map.of("Parameter", parameter));
  }

  private void secret(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange);
    requests.add("secret " + query.get("secretId"));
    if (!authorized(exchange)) {
      return;
    }
    String value = secrets.get(query.getOrDefault("secretId", ""));
    if (value == null) {
      answer(exchange, 400, Map.of("__type", "ResourceNotFoundException"));
      return;
    }
    answer(
        exchange,
        200,
        Map.of(
            "Name", query.get("secretId"),
            "SecretString", value,
            "VersionStages", List.of("AWSCURRENT")));
  }

  private static boolean authorized(HttpExchange exchange) throws IOException {
    if (SESSION_TOKEN.equals(
        exchange.getRequestHeaders().getFirst(ParametersAndSecretsExtension.TOKEN_HEADER))) {
      return true;
    }
    answer(exchange, 401, Map.of("message", "missing or wrong session token"));
    return false;
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      int equals = pair.indexOf('=');
      query.put(
          URLDecoder.decode(pair.substring(0, Math.max(equals, 0)), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
    StandInAnswers.json(exchange, status, JSON.writeValueAsBytes(body));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
