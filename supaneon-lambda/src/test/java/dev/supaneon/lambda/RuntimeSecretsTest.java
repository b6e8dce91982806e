package dev.supaneon.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.SupaneonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the function's two secrets come from, and what it says when they cannot be read. */
class RuntimeSecretsTest {

  static final String URL = "postgresql://u:Secret-Pw-1@host:5432/db?sslmode=require";
  static final String KEY = "neon-key-secret-1";

  ExtensionStandIn extension;
  final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void start() {
    extension = new ExtensionStandIn();
  }

  @AfterEach
  void stop() {
    extension.close();
  }

  Map<String, String> lambda(Map<String, String> settings) {
    Map<String, String> env = new java.util.HashMap<>(settings);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "supaneon-backup");
    env.put("AWS_SESSION_TOKEN", ExtensionStandIn.SESSION_TOKEN);
    env.put(ParametersAndSecretsExtension.PORT_VARIABLE, Integer.toString(extension.port()));
    return env;
  }

  Map<String, String> resolve(Map<String, String> env) {
    return RuntimeSecrets.resolve(
        env, () -> ParametersAndSecretsExtension.from(env), warnings::add);
  }

  @Test
  void parametersNamedInTheEnvironmentAreReadDecryptedAtRunTime() {
    extension.parameters.put("/p/url", URL);
    extension.parameters.put("/p/key", KEY);
    Map<String, String> resolved =
        resolve(
            lambda(
                Map.of(
                    RuntimeSecrets.DATABASE_URL_PARAMETER, "/p/url",
                    RuntimeSecrets.API_KEY_PARAMETER, "/p/key")));
    assertEquals(URL, resolved.get("SUPABASE_DATABASE_URL"));
    assertEquals(KEY, resolved.get("NEON_API_KEY"));
    assertEquals(
        List.of("parameter /p/url withDecryption=true", "parameter /p/key withDecryption=true"),
        extension.requests);
    assertEquals(List.of(), warnings);
  }

  @Test
  void oneSecretsManagerSecretCanHoldBoth() {
    extension.secrets.put(
        "supaneon", "{\"SUPABASE_DATABASE_URL\":\"" + URL + "\",\"NEON_API_KEY\":\"" + KEY + "\"}");
    Map<String, String> resolved = resolve(lambda(Map.of(RuntimeSecrets.SECRET_ID, "supaneon")));
    assertEquals(URL, resolved.get("SUPABASE_DATABASE_URL"));
    assertEquals(KEY, resolved.get("NEON_API_KEY"));
    assertEquals(List.of("secret supaneon"), extension.requests, "read once for both");
  }

  @Test
  void aSecretWithoutOneOfTheKeysNamesTheMissingKey() {
    extension.secrets.put("supaneon", "{\"SUPABASE_DATABASE_URL\":\"" + URL + "\"}");
    SupaneonException failure =
        assertThrows(
            SupaneonException.class,
            () -> resolve(lambda(Map.of(RuntimeSecrets.SECRET_ID, "supaneon"))));
    assertEquals("The secret supaneon has no key NEON_API_KEY", failure.getMessage());
  }

  @Test
  void aSecretThatIsNotJsonFailsWithoutShowingIt() {
    extension.secrets.put("supaneon", "not json " + KEY);
    SupaneonException failure =
        assertThrows(
            SupaneonException.class,
            () -> resolve(lambda(Map.of(RuntimeSecrets.SECRET_ID, "supaneon"))));
    assertFalse(failure.getMessage().contains(KEY), failure.getMessage());
    assertTrue(failure.suggestion().orElseThrow().contains("SUPABASE_DATABASE_URL"));
  }

  @Test
  void aSecretBothInTheConfigurationAndNamedAsAParameterIsRefused() {
    SupaneonException failure =
        assertThrows(
            SupaneonException.class,
            () ->
                resolve(
                    lambda(
                        Map.of(
                            "SUPABASE_DATABASE_URL",
                            URL,
                            RuntimeSecrets.DATABASE_URL_PARAMETER,
                            "/p/url"))));
    assertTrue(failure.getMessage().startsWith("SUPABASE_DATABASE_URL is set"));
    assertFalse(failure.getMessage().contains("Secret-Pw-1"));
    assertEquals(List.of(), extension.requests, "nothing was read");
  }

  @Test
  void secretsInTheFunctionsConfigurationStillWorkButAreWarnedAbout() {
    Map<String, String> resolved =
        resolve(lambda(Map.of("SUPABASE_DATABASE_URL", URL, "NEON_API_KEY", KEY)));
    assertEquals(URL, resolved.get("SUPABASE_DATABASE_URL"));
    assertEquals(1, warnings.size());
    assertTrue(
        warnings.get(0).startsWith("SUPABASE_DATABASE_URL and NEON_API_KEY are in the function's"),
        warnings.get(0));
    assertFalse(warnings.get(0).contains("Secret-Pw-1"));
  }

  @Test
  void outsideLambdaSecretsInTheEnvironmentAreTakenWithoutWarning() {
    Map<String, String> resolved =
        resolve(Map.of("SUPABASE_DATABASE_URL", URL, "NEON_API_KEY", KEY));
    assertEquals(KEY, resolved.get("NEON_API_KEY"));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aWrongSessionTokenOrAMissingParameterSaysWhichParameterAndTheStatus() {
    Map<String, String> env =
        new java.util.HashMap<>(lambda(Map.of(RuntimeSecrets.API_KEY_PARAMETER, "/p/key")));
    env.put("AWS_SESSION_TOKEN", "another-token");
    SupaneonException unauthorized = assertThrows(SupaneonException.class, () -> resolve(env));
    assertEquals(
        "Reading the Parameter Store parameter /p/key failed: the extension answered HTTP 401",
        unauthorized.getMessage());
    SupaneonException missing =
        assertThrows(
            SupaneonException.class,
            () -> resolve(lambda(Map.of(RuntimeSecrets.API_KEY_PARAMETER, "/p/key"))));
    assertTrue(missing.getMessage().endsWith("HTTP 400"), missing.getMessage());
    assertTrue(missing.suggestion().orElseThrow().contains("ssm:GetParameter"));
  }

  @Test
  void withoutASessionTokenTheExtensionIsNotAskedAndTheFailureSaysWhy() {
    Map<String, String> env =
        new java.util.HashMap<>(lambda(Map.of(RuntimeSecrets.API_KEY_PARAMETER, "/p/key")));
    env.remove("AWS_SESSION_TOKEN");
    SupaneonException failure = assertThrows(SupaneonException.class, () -> resolve(env));
    assertTrue(failure.getMessage().startsWith("AWS_SESSION_TOKEN is not set"));
  }
}
