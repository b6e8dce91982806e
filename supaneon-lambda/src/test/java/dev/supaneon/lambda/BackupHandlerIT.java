package dev.supaneon.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaneon.core.config.Setting;
import dev.supaneon.neonlocal.testing.LocalEnvironment;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed code path: the shaded function jar, run by AWS's own runtime interface client (what
 * Lambda's Java images start) against a stand-in of the Lambda Runtime API, with EventBridge
 * Scheduler's payload, secrets read at run time from a stand-in of the Parameters and Secrets
 * extension, a local source and neon-local.
 */
class BackupHandlerIT {

  static final String HANDLER = "dev.supaneon.lambda.BackupHandler::handleRequest";
  static final String URL_PARAMETER = "/supaneon/supabase-database-url";
  static final String KEY_PARAMETER = "/supaneon/neon-api-key";

  /**
   * What EventBridge Scheduler delivers for the template's input once it has filled in its context
   * attributes ({@code <aws.scheduler.schedule-arn>} and the others).
   */
  static final String SCHEDULER_EVENT =
      "{\"schedule\":\"arn:aws:scheduler:eu-central-1:000000000000:schedule/default/"
          + "supaneon-nightly\",\"scheduledTime\":\"2026-11-23T03:17:00Z\","
          + "\"executionId\":\"d32c5kddcf5bb8c3\",\"attempt\":\"1\"}";

  static LocalEnvironment environment;

  @BeforeAll
  static void start() {
    environment = LocalEnvironment.start();
  }

  @AfterAll
  static void stop() {
    environment.close();
  }

  /** The function jar and the runtime client, as Lambda's image lays them out. */
  static String classpath() throws URISyntaxException {
    Path functionJar = Path.of("target", "supaneon-lambda.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(functionJar), functionJar + " is built by the package phase");
    List<String> entries = new ArrayList<>();
    entries.add(functionJar.toString());
    for (Class<?> runtimeClass : List.of(AWSLambda.class, PojoSerializer.class)) {
      entries.add(
          Path.of(runtimeClass.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /** A warm function: the runtime client polling the stand-in, with Lambda's variables. */
  static Process startFunction(
      RuntimeApiStandIn api, ExtensionStandIn extension, Path reports, Path log) throws Exception {
    Map<String, String> env = new HashMap<>(environment.environment());
    // Nothing secret in the function's configuration: only the parameters' names.
    env.remove(Setting.SOURCE_URL.environmentVariable());
    env.remove(Setting.NEON_API_KEY.environmentVariable());
    env.put(RuntimeSecrets.DATABASE_URL_PARAMETER, URL_PARAMETER);
    env.put(RuntimeSecrets.API_KEY_PARAMETER, KEY_PARAMETER);
    env.put("SUPANEON_REPORT_DIR", reports.toString());
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "supaneon-backup");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/supaneon-backup");
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/23/[$LATEST]test");
    env.put("AWS_SESSION_TOKEN", ExtensionStandIn.SESSION_TOKEN);
    env.put(ParametersAndSecretsExtension.PORT_VARIABLE, Integer.toString(extension.port()));
    env.put("_HANDLER", HANDLER);
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath(),
            AWSLambda.class.getName(),
            HANDLER);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  static long peakRssKib(Process process) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static void stopFunction(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  @Test
  void aScheduledInvocationReadsItsSecretsAtRunTimeAndMakesAVerifiedBackup(
      @TempDir Path reports, @TempDir Path logs) throws Exception {
    Path log = logs.resolve("function.log");
    try (RuntimeApiStandIn api = new RuntimeApiStandIn();
        ExtensionStandIn extension = new ExtensionStandIn()) {
      extension.parameters.put(URL_PARAMETER, environment.sourceUrl());
      extension.parameters.put(KEY_PARAMETER, environment.neon().apiKey());
      Process function = startFunction(api, extension, reports, log);
      try {
        long started = System.nanoTime();
        RuntimeApiStandIn.Outcome outcome =
            api.invoke(SCHEDULER_EVENT, Duration.ofMinutes(15)).get(5, TimeUnit.MINUTES);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long peak = peakRssKib(function);
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(outcome.succeeded(), outcome.body() + "\n" + logText);
        JsonNode result = new ObjectMapper().readTree(outcome.body());
        assertEquals("verified", result.get("outcome").asText());
        assertTrue(result.get("branchName").asText().startsWith("backup-"), outcome.body());
        assertEquals(
            List.of(
                "parameter " + URL_PARAMETER + " withDecryption=true",
                "parameter " + KEY_PARAMETER + " withDecryption=true"),
            extension.requests);
        assertTrue(
            logText.contains(
                "schedule arn:aws:scheduler:eu-central-1:000000000000:schedule/default/"
                    + "supaneon-nightly due 2026-11-23T03:17:00Z, attempt 1"),
            logText);
        assertFalse(logText.contains("WARNING: SUPABASE_DATABASE_URL"), "no secret in the config");
        for (String canary :
            List.of(LocalEnvironment.CANARY_PASSWORD, LocalEnvironment.CANARY_API_KEY)) {
          assertFalse(logText.contains(canary), "the function's log");
          assertFalse(outcome.body().contains(canary), "the invocation's result");
        }
        System.out.printf(
            java.util.Locale.ROOT,
            "lambda benchmark: invocation %d ms, %s bytes archived, runtime JVM peak RSS %d MiB"
                + " (pg_dump and pg_restore run beside it)%n",
            took.toMillis(),
            result.get("bytes"),
            peak / 1024);
      } finally {
        stopFunction(function);
      }
    }
  }

  @Test
  void aParameterThatCannotBeReadFailsTheInvocationNamingItAndShowingNoSecret(
      @TempDir Path reports, @TempDir Path logs) throws Exception {
    Path log = logs.resolve("function.log");
    try (RuntimeApiStandIn api = new RuntimeApiStandIn();
        ExtensionStandIn extension = new ExtensionStandIn()) {
      // The key is there; the URL's parameter is not.
      extension.parameters.put(KEY_PARAMETER, environment.neon().apiKey());
      Process function = startFunction(api, extension, reports, log);
      try {
        RuntimeApiStandIn.Outcome outcome =
            api.invoke(SCHEDULER_EVENT, Duration.ofMinutes(15)).get(2, TimeUnit.MINUTES);
        assertFalse(outcome.succeeded(), outcome.body());
        JsonNode error = new ObjectMapper().readTree(outcome.body());
        String message = error.get("errorMessage").asText();
        assertTrue(message.contains(URL_PARAMETER), message);
        assertTrue(message.contains("HTTP 400"), message);
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(outcome.body().contains(LocalEnvironment.CANARY_API_KEY), "the error");
        assertFalse(logText.contains(LocalEnvironment.CANARY_API_KEY), "the log");
        assertTrue(
            environment.neon().apiKey().contains(LocalEnvironment.CANARY_API_KEY),
            "the canary is part of the key, so its absence means something");
      } finally {
        stopFunction(function);
      }
    }
  }
}
