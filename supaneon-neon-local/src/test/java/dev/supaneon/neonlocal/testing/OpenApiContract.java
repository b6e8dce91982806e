package dev.supaneon.neonlocal.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Validates API calls against Neon's published OpenAPI spec (from ../shared): request paths,
 * parameters and bodies, and response status codes and bodies. Without the spec, validation is off
 * and {@link #available()} says so.
 */
public final class OpenApiContract {

  private static final Object LOCK = new Object();
  private static OpenApiInteractionValidator validator;
  private static boolean loaded;
  private static final AtomicLong VALIDATED = new AtomicLong();

  private OpenApiContract() {}

  public static boolean available() {
    return validator().isPresent();
  }

  /** How many calls were validated in this JVM. */
  public static long validatedCalls() {
    return VALIDATED.get();
  }

  public static String unavailableReason() {
    return "Neon's OpenAPI spec is not at ../shared/neon-api/openAPIDefinition.json"
        + " (set -Dsupaneon.shared.dir); contract validation skipped";
  }

  private static Optional<OpenApiInteractionValidator> validator() {
    synchronized (LOCK) {
      if (!loaded) {
        loaded = true;
        validator =
            SharedFixtures.openApiSpec()
                .map(
                    spec ->
                        OpenApiInteractionValidator.createForSpecificationUrl(
                                spec.toUri().toString())
                            .withBasePathOverride("/api/v2")
                            .withResolveCombinators(true)
                            .withLevelResolver(
                                LevelResolver.create()
                                    // the spec lists cookie schemes next to the bearer key
                                    .withLevel(
                                        "validation.request.security.missing",
                                        ValidationReport.Level.IGNORE)
                                    .build())
                            .build())
                .orElse(null);
      }
      return Optional.ofNullable(validator);
    }
  }

  private static String describe(ValidationReport.Message message, String indent) {
    StringBuilder text = new StringBuilder(indent + message.getKey() + ": " + message.getMessage());
    for (String info : message.getAdditionalInfo()) {
      text.append("\n").append(indent).append("  - ").append(info);
    }
    for (ValidationReport.Message nested : message.getNestedMessages()) {
      text.append("\n").append(describe(nested, indent + "    "));
    }
    return text.toString();
  }

  /**
   * Fails with every mismatch between the call and the spec. {@code path} is the full path ({@code
   * /api/v2/projects/...}); an empty body is null.
   */
  public static void validate(
      String method,
      String path,
      Map<String, String> query,
      String requestBody,
      int status,
      String contentType,
      String responseBody) {
    validate(method, path, query, requestBody, status, contentType, responseBody, true);
  }

  /**
   * As above; with {@code conformingRequest} false the request must break the spec (a test of how
   * bad input is answered) and only the answer is checked against it.
   */
  public static void validate(
      String method,
      String path,
      Map<String, String> query,
      String requestBody,
      int status,
      String contentType,
      String responseBody,
      boolean conformingRequest) {
    Optional<OpenApiInteractionValidator> current = validator();
    if (current.isEmpty() || !path.startsWith("/api/v2/")) {
      return;
    }
    SimpleRequest.Builder request =
        new SimpleRequest.Builder(Request.Method.valueOf(method), path)
            .withAuthorization("Bearer redacted");
    query.forEach(request::withQueryParam);
    if (requestBody != null && !requestBody.isEmpty()) {
      request.withContentType("application/json").withBody(requestBody);
    }
    SimpleResponse.Builder response = new SimpleResponse.Builder(status);
    if (responseBody != null && !responseBody.isEmpty()) {
      response.withContentType(contentType == null ? "application/json" : contentType);
      response.withBody(responseBody);
    }
    ValidationReport report;
    if (conformingRequest) {
      report = current.get().validate(request.build(), response.build());
    } else {
      if (!current.get().validateRequest(request.build()).hasErrors()) {
        throw new AssertionError(
            method + " " + path + " was sent as a request that breaks the spec, but it conforms");
      }
      report =
          current
              .get()
              .validateResponse(
                  path.substring("/api/v2".length()),
                  Request.Method.valueOf(method),
                  response.build());
    }
    VALIDATED.incrementAndGet();
    if (report.hasErrors()) {
      throw new AssertionError(
          method
              + " "
              + path
              + " -> "
              + status
              + " does not match Neon's OpenAPI spec:\n"
              + report.getMessages().stream()
                  .map(m -> describe(m, "  "))
                  .collect(Collectors.joining("\n"))
              + "\nresponse: "
              + responseBody);
    }
  }
}
