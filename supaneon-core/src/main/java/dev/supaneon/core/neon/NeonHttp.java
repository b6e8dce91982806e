package dev.supaneon.core.neon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.supaneon.core.config.NeonSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP side of {@link NeonClient}: one call with its retries (capped exponential backoff with
 * jitter, {@code Retry-After} honoured), Neon's error bodies turned into {@link NeonApiException}s
 * with hints, and JSON in and out. The API key goes only into the Authorization header and is
 * scrubbed from every message.
 */
final class NeonHttp implements AutoCloseable {

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Whether a failed call may be sent again as it is. */
  enum Repeat {
    /** GET, DELETE, PATCH, and POSTs whose effect does not add up. */
    SAFE,
    /** Creations: resent only for answers that prove nothing happened (423, 429, 503). */
    ONLY_IF_NOT_APPLIED
  }

  record Answer(int status, JsonNode body) {}

  /** A call whose effect is unknown: the request may or may not have been applied. */
  static final class OutcomeUnknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknown(String message) {
      super(message, null, false, false);
    }
  }

  Answer call(
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

  void sleep(Duration duration) {
    try {
      options.sleeper().sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeonUnavailableException("interrupted while waiting for Neon", e);
    }
  }

  <T> T read(JsonNode node, Class<T> type) {
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

  <T> List<T> readList(JsonNode array, Class<T> type) {
    List<T> items = new ArrayList<>();
    for (JsonNode node : array) {
      items.add(read(node, type));
    }
    return items;
  }

  static Map<String, String> stringMap(JsonNode object) {
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

  private final NeonSettings settings;
  private final NeonClientOptions options;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final String projectPath;

  NeonHttp(NeonSettings settings, NeonClientOptions options, OkHttpClient.Builder httpBuilder) {
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

  JsonNodeFactory nodes() {
    return NODES;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
