package dev.supaneon.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.Setting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The function's environment with its two secrets read at run time: the Supabase URL and the Neon
 * API key come from Parameter Store SecureStrings named in the environment (free), or from one
 * Secrets Manager secret (billed per secret and month), through the Parameters and Secrets
 * extension. A secret given directly in the environment still works, for runs outside Lambda, but
 * inside Lambda it is readable by anyone allowed {@code lambda:GetFunctionConfiguration}, so the
 * handler warns.
 */
final class RuntimeSecrets {

  /** Names the SecureString parameter that holds the Supabase URL. */
  static final String DATABASE_URL_PARAMETER = "SUPANEON_SUPABASE_DATABASE_URL_PARAMETER";

  /** Names the SecureString parameter that holds the Neon API key. */
  static final String API_KEY_PARAMETER = "SUPANEON_NEON_API_KEY_PARAMETER";

  /** Names a Secrets Manager secret whose JSON holds both, under their variable names. */
  static final String SECRET_ID = "SUPANEON_SECRET_ID";

  private record SecretSetting(Setting setting, String parameterVariable) {}

  private static final List<SecretSetting> SECRETS =
      List.of(
          new SecretSetting(Setting.SOURCE_URL, DATABASE_URL_PARAMETER),
          new SecretSetting(Setting.NEON_API_KEY, API_KEY_PARAMETER));

  private RuntimeSecrets() {}

  /**
   * The environment to run with. The extension is asked only when a parameter or secret is named.
   */
  static Map<String, String> resolve(
      Map<String, String> environment,
      Supplier<ParametersAndSecretsExtension> extension,
      Consumer<String> warn) {
    Map<String, String> resolved = new HashMap<>(environment);
    ParametersAndSecretsExtension client = null;
    JsonNode secretJson = null;
    List<String> inConfiguration = new ArrayList<>();
    for (SecretSetting secret : SECRETS) {
      String variable = secret.setting().environmentVariable();
      String parameter = blankToNull(environment.get(secret.parameterVariable()));
      String secretId = blankToNull(environment.get(SECRET_ID));
      boolean direct = blankToNull(environment.get(variable)) != null;
      if (direct && (parameter != null || secretId != null)) {
        throw new SupaneonException(
            variable
                + " is set in the function's environment and also named in "
                + (parameter != null ? secret.parameterVariable() : SECRET_ID),
            "Remove "
                + variable
                + " from the function's configuration: the parameter is where it belongs.",
            null);
      }
      if (parameter != null) {
        client = client == null ? extension.get() : client;
        resolved.put(variable, client.parameter(parameter));
      } else if (secretId != null) {
        client = client == null ? extension.get() : client;
        secretJson = secretJson == null ? secretJson(client, secretId) : secretJson;
        JsonNode value = secretJson.path(variable);
        if (!value.isTextual() || value.asText().isBlank()) {
          throw new SupaneonException(
              "The secret " + secretId + " has no key " + variable,
              "Add " + variable + " to the secret's JSON.",
              null);
        }
        resolved.put(variable, value.asText());
      } else if (direct && environment.containsKey("AWS_LAMBDA_FUNCTION_NAME")) {
        inConfiguration.add(variable);
      }
    }
    if (!inConfiguration.isEmpty()) {
      warn.accept(
          String.join(" and ", inConfiguration)
              + " are in the function's configuration, where lambda:GetFunctionConfiguration"
              + " shows them: store them as SecureString parameters and name them in "
              + DATABASE_URL_PARAMETER
              + " and "
              + API_KEY_PARAMETER
              + " instead");
    }
    return resolved;
  }

  private static JsonNode secretJson(ParametersAndSecretsExtension client, String secretId) {
    try {
      return new ObjectMapper().readTree(client.secret(secretId));
    } catch (IOException e) {
      throw new SupaneonException(
          "The secret " + secretId + " is not a JSON object",
          "Store it as {\"SUPABASE_DATABASE_URL\": \"...\", \"NEON_API_KEY\": \"...\"}.",
          null);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
