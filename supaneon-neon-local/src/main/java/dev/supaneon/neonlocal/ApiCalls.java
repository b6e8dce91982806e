package dev.supaneon.neonlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.controlplane.NeonApiError;
import dev.supaneon.neonlocal.controlplane.Requests;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One API call as the routes see it, the answer they give, and the helpers that read Neon's request
 * shapes and write its answer shapes (errors as {@code {"code","message","request_id"}}).
 */
final class ApiCalls {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApiCalls() {}

  /** A parsed call: path parameters, query parameters and the JSON body (empty object if none). */
  record Call(Map<String, String> path, Map<String, String> query, JsonNode body) {
    String param(String name) {
      return path.get(name);
    }

    Optional<String> queryParam(String name) {
      return Optional.ofNullable(query.get(name));
    }

    Optional<Integer> intParam(String name) throws NeonApiError {
      Optional<String> value = queryParam(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Integer.parseInt(value.get()));
      } catch (NumberFormatException e) {
        throw new NeonApiError(400, "BAD_REQUEST", name + " must be an integer");
      }
    }
  }

  record Answer(int status, JsonNode body) {}

  @FunctionalInterface
  interface Handler {
    Answer handle(Call call) throws NeonApiError, SQLException;
  }

  static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  static ObjectNode object(String name, JsonNode value) {
    ObjectNode node = NODES.objectNode();
    node.set(name, value);
    return node;
  }

  static Answer error(int status, String code, String message, String requestId) {
    return new Answer(
        status,
        NODES.objectNode().put("code", code).put("message", message).put("request_id", requestId));
  }

  static Answer injectedError(int status, String requestId) {
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

  static String requiredText(JsonNode node, String field, String label) throws NeonApiError {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new NeonApiError(400, "BAD_REQUEST", label + " is required");
    }
    return value.asText();
  }

  /**
   * An endpoint as a request describes it (in a branch's {@code endpoints[]} or an endpoint
   * creation); Neon's defaults for what it leaves out: 0.25 CU, the plan's suspend timeout.
   */
  static Requests.EndpointSpec endpointSpec(JsonNode endpoint, String label) throws NeonApiError {
    return new Requests.EndpointSpec(
        requiredText(endpoint, "type", label + ".type"),
        endpoint.path("autoscaling_limit_min_cu").asDouble(0.25),
        endpoint.path("autoscaling_limit_max_cu").asDouble(0.25),
        endpoint.path("suspend_timeout_seconds").asLong(0));
  }

  static Optional<String> optionalText(JsonNode node, String field) throws NeonApiError {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new NeonApiError(400, "BAD_REQUEST", field + " must be a string");
    }
    return Optional.of(value.asText());
  }

  static Optional<Instant> optionalTime(JsonNode node, String field) throws NeonApiError {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(parseTime(value, field));
  }

  static Instant parseTime(JsonNode value, String field) throws NeonApiError {
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new NeonApiError(
          400,
          "BAD_REQUEST",
          field + " must be an RFC 3339 timestamp such as 2025-06-09T18:02:16Z");
    }
  }
}
