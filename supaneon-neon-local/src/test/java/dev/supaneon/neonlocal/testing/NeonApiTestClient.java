package dev.supaneon.neonlocal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for neon-local in tests. Every call and answer is checked against Neon's
 * OpenAPI spec when the spec is available.
 */
public final class NeonApiTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status and parsed body (a missing node for 204). */
  public record Answer(int status, JsonNode body) {
    public JsonNode get(String field) {
      return body.path(field);
    }

    public Answer expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
      }
      return this;
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String apiUrl;
  private final String apiKey;

  public NeonApiTestClient(String apiUrl, String apiKey) {
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
  }

  public Answer get(String path) {
    return send("GET", path, Map.of(), null, true);
  }

  public Answer get(String path, Map<String, String> query) {
    return send("GET", path, query, null, true);
  }

  public Answer post(String path, String json) {
    return send("POST", path, Map.of(), json, true);
  }

  public Answer patch(String path, String json) {
    return send("PATCH", path, Map.of(), json, true);
  }

  public Answer delete(String path) {
    return send("DELETE", path, Map.of(), null, true);
  }

  /** A call without the Authorization header. */
  public Answer unauthenticated(String method, String path) {
    return send(method, path, Map.of(), null, false);
  }

  /**
   * A call that breaks the spec on purpose (a wrong enum value, a missing parameter): the spec must
   * say the request is wrong, and the answer must still be one the spec allows.
   */
  public Answer invalid(String method, String path, Map<String, String> query, String body) {
    return send(method, path, query, body, true, false);
  }

  /** Polls every operation in the answer until all are finished (or fails after 60 s). */
  /** The connection URI Neon gives for these query parameters (branch_id, endpoint_id, ...). */
  public String connectionUri(String projectId, Map<String, String> query) {
    return get("/projects/" + projectId + "/connection_uri", query).expect(200).get("uri").asText();
  }

  /** The URI of a branch's database as a role, as a client asks Neon for it. */
  public String connectionUri(String projectId, String branchId, String database, String role) {
    return connectionUri(
        projectId, Map.of("branch_id", branchId, "database_name", database, "role_name", role));
  }

  public void awaitOperations(String projectId, Answer answer) {
    for (JsonNode operation : answer.get("operations")) {
      String id = operation.get("id").asText();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        JsonNode current =
            get("/projects/" + projectId + "/operations/" + id).expect(200).get("operation");
        String status = current.get("status").asText();
        if (status.equals("finished")) {
          break;
        }
        if (status.equals("failed") || status.equals("error") || System.nanoTime() > deadline) {
          throw new AssertionError(
              "operation " + id + " ended as " + status + ": " + current.path("error").asText());
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  private Answer send(
      String method, String path, Map<String, String> query, String body, boolean auth) {
    return send(method, path, query, body, auth, true);
  }

  private Answer send(
      String method,
      String path,
      Map<String, String> query,
      String body,
      boolean auth,
      boolean conformingRequest) {
    Map<String, String> ordered = new LinkedHashMap<>(query);
    String queryString =
        ordered.isEmpty()
            ? ""
            : "?"
                + ordered.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl + path + queryString))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (auth) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String fullPath = URI.create(apiUrl + path).getPath();
      OpenApiContract.validate(
          method,
          fullPath,
          ordered,
          body,
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body(),
          conformingRequest);
      JsonNode parsed =
          response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
