package dev.supaneon.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.supaneon.neonlocal.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The workflows, the examples and {@code action.yml} are what GitHub accepts: each is checked
 * against GitHub's JSON schemas from {@code ../shared/schemas} (skipped, with the reason, when they
 * are absent), and the action's scripts never expand an expression inline.
 */
class WorkflowSchemaTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Schema schema(String fileName) throws IOException {
    Optional<Path> file = SharedFixtures.githubSchema(fileName);
    assumeTrue(
        file.isPresent(),
        "../shared/schemas/" + fileName + " is not here (set -Dsupaneon.shared.dir); skipped");
    try (InputStream in = Files.newInputStream(file.get())) {
      return SchemaRegistry.withDefaultDialect(Dialects.getDraft7()).getSchema(in);
    }
  }

  static JsonNode yaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static List<String> errors(Schema schema, JsonNode document) {
    return schema.validate(document).stream().map(Error::toString).toList();
  }

  @Test
  void everyWorkflowAndExampleIsAValidGithubWorkflow() throws IOException {
    Schema schema = schema("github-workflows.json");
    for (Path workflow : WorkflowRulesTest.workflows()) {
      assertEquals(List.of(), errors(schema, yaml(workflow)), workflow.toString());
    }
  }

  @Test
  void aWorkflowGithubWouldRejectFailsTheCheck() throws IOException {
    Schema schema = schema("github-workflows.json");
    ObjectNode broken = (ObjectNode) yaml(WorkflowRulesTest.workflows().get(0)).deepCopy();
    ObjectNode job = (ObjectNode) broken.get("jobs").elements().next();
    job.remove("runs-on");
    job.put("timeout-minutes", "soon");
    assertFalse(errors(schema, broken).isEmpty(), "a job without runs-on is rejected");
  }

  @Test
  void theActionIsAValidCompositeAction() throws IOException {
    Schema schema = schema("github-actions.json");
    JsonNode action = yaml(WorkflowRulesTest.ACTION);
    assertEquals(List.of(), errors(schema, action));
    assertEquals("composite", action.get("runs").get("using").asText());
    List<String> inputs = new ArrayList<>();
    action.get("inputs").fieldNames().forEachRemaining(inputs::add);
    assertTrue(inputs.containsAll(List.of("goal", "neon-project-id", "pg-version")), "" + inputs);
    ObjectNode broken = (ObjectNode) action.deepCopy();
    ((ObjectNode) broken.get("runs")).remove("steps");
    assertFalse(errors(schema, broken).isEmpty(), "a composite action without steps is rejected");
  }

  @Test
  void theActionsScriptsTakeInputsFromTheEnvironmentNeverFromInlineExpressions()
      throws IOException {
    // An expression expanded into a script is a script injection; the environment is not.
    JsonNode action = yaml(WorkflowRulesTest.ACTION);
    List<String> inline = new ArrayList<>();
    for (JsonNode step : action.get("runs").get("steps")) {
      if (step.has("run") && step.get("run").asText().contains("${{")) {
        inline.add(step.path("name").asText(step.get("run").asText()));
      }
      assertFalse(step.toString().contains("secrets."), "the action reads no secret by name");
    }
    assertEquals(List.of(), inline);
  }
}
