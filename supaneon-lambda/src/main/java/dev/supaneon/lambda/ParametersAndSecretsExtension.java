package dev.supaneon.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaneon.core.SupaneonException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The AWS Parameters and Secrets Lambda Extension: a local HTTP endpoint inside the function's
 * sandbox that reads Parameter Store and Secrets Manager with the function's own role. Values are
 * fetched during the invocation, never at deploy time, so they are not in the function's
 * configuration where {@code lambda:GetFunctionConfiguration} would show them.
 */
final class ParametersAndSecretsExtension {

  /** The extension's port variable, and its default. */
  static final String PORT_VARIABLE = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";

  static final int DEFAULT_PORT = 2773;

  /** The extension accepts only requests that carry the sandbox's session token. */
  static final String TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String sessionToken;
  private final HttpClient http;

  private ParametersAndSecretsExtension(URI base, String sessionToken) {
    this.base = base;
    this.sessionToken = sessionToken;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** The extension of this sandbox, from the function's environment. */
  static ParametersAndSecretsExtension from(Map<String, String> environment) {
    String port = environment.getOrDefault(PORT_VARIABLE, Integer.toString(DEFAULT_PORT));
    String token = environment.get("AWS_SESSION_TOKEN");
    if (token == null || token.isBlank()) {
      throw new SupaneonException(
          "AWS_SESSION_TOKEN is not set, so the Parameters and Secrets extension cannot be asked"
              + " for the function's secrets",
          "Run the handler inside AWS Lambda (the variable is set there), or give the secrets"
              + " themselves as environment variables when you run it elsewhere.",
          null);
    }
    return new ParametersAndSecretsExtension(URI.create("http://localhost:" + port), token);
  }

  /** A Parameter Store parameter's value, SecureStrings decrypted. */
  String parameter(String name) {
    JsonNode answer =
        get(
            "/systemsmanager/parameters/get?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&withDecryption=true",
            "the Parameter Store parameter " + name,
            "Create it as a SecureString (aws ssm put-parameter --type SecureString --name "
                + name
                + " ...) and allow the function ssm:GetParameter on it.");
    JsonNode value = answer.path("Parameter").path("Value");
    if (!value.isTextual()) {
      throw new SupaneonException(
          "The Parameters and Secrets extension answered for " + name + " without a value",
          "Check that the parameter holds a value, and that the extension layer is current.",
          null);
    }
    return value.asText();
  }

  /** A Secrets Manager secret's string (supaneon expects a JSON object). */
  String secret(String secretId) {
    JsonNode answer =
        get(
            "/secretsmanager/get?secretId=" + URLEncoder.encode(secretId, StandardCharsets.UTF_8),
            "the Secrets Manager secret " + secretId,
            "Check the secret's name and allow the function secretsmanager:GetSecretValue on"
                + " it.");
    JsonNode value = answer.path("SecretString");
    if (!value.isTextual()) {
      throw new SupaneonException(
          "The secret " + secretId + " has no SecretString",
          "Store the secret as a JSON string with the keys SUPABASE_DATABASE_URL and"
              + " NEON_API_KEY.",
          null);
    }
    return value.asText();
  }

  private JsonNode get(String pathAndQuery, String what, String whatToDo) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .timeout(TIMEOUT)
            .header(TOKEN_HEADER, sessionToken)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SupaneonException(
          "Could not reach the Parameters and Secrets extension at "
              + base
              + " to read "
              + what
              + ": "
              + e.getClass().getSimpleName(),
          "Add the extension to the function's image (see the README's Lambda section) or set "
              + PORT_VARIABLE
              + " to the port it listens on.",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupaneonException("Interrupted while reading " + what, e);
    }
    if (response.statusCode() != 200) {
      // The body is not shown: for some failures it could echo what was asked for.
      throw new SupaneonException(
          "Reading " + what + " failed: the extension answered HTTP " + response.statusCode(),
          whatToDo,
          null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SupaneonException(
          "The extension's answer for " + what + " is not JSON",
          "Check that the extension layer is current.",
          null);
    }
  }
}
