package dev.supaneon.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The SAM template deploys without secrets in the function's configuration and without reserved
 * concurrency, within Lambda's limits; the image carries what the handler needs at run time.
 */
class DeploymentTemplateTest {

  static String template() throws IOException {
    return Files.readString(Path.of("template.yaml"), StandardCharsets.UTF_8);
  }

  @Test
  void noSecretIsResolvedIntoTheFunctionsConfiguration() throws IOException {
    String template = template();
    for (String deployTimeSecret :
        List.of("resolve:secretsmanager", "resolve:ssm-secure", "resolve:ssm:")) {
      assertFalse(template.contains(deployTimeSecret), deployTimeSecret);
    }
    for (String secretVariable : List.of("SUPABASE_DATABASE_URL", "NEON_API_KEY")) {
      assertFalse(
          Pattern.compile("(?m)^\\s+" + secretVariable + ":").matcher(template).find(),
          secretVariable + " is not a variable of the function");
    }
    assertTrue(template.contains(RuntimeSecrets.DATABASE_URL_PARAMETER + ": !Ref"));
    assertTrue(template.contains(RuntimeSecrets.API_KEY_PARAMETER + ": !Ref"));
    assertTrue(template.contains("Action: ssm:GetParameter"), "the function may read them");
  }

  @Test
  void noConcurrencyIsReservedAndTheTimeoutIsWithinLambdasCap() throws IOException {
    String template = template();
    assertFalse(template.contains("ReservedConcurrentExecutions"));
    Matcher timeout = Pattern.compile("(?m)^\\s+Timeout: (\\d+)").matcher(template);
    assertTrue(timeout.find());
    assertEquals(900, Integer.parseInt(timeout.group(1)), "Lambda's cap, 15 minutes");
  }

  @Test
  void theScheduleSendsSchedulersContextAttributesWhichTheHandlerDescribes() throws IOException {
    String template = template();
    for (String attribute :
        List.of("schedule-arn", "scheduled-time", "execution-id", "attempt-number")) {
      assertTrue(template.contains("<aws.scheduler." + attribute + ">"), attribute);
    }
    assertTrue(template.contains("Type: ScheduleV2"));
  }

  @Test
  void theImageCarriesTheExtensionAndTheClientTools() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8);
    assertTrue(dockerfile.contains("FROM public.ecr.aws/lambda/java:"));
    assertTrue(dockerfile.contains("-d /opt"), "the extension goes where a layer would put it");
    assertTrue(dockerfile.contains("postgresql${PG_MAJOR}"));
    assertTrue(dockerfile.contains("CMD [\"dev.supaneon.lambda.BackupHandler::handleRequest\"]"));
  }
}
