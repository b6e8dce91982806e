package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.ContractProxy;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.OpenApiContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neon's own clients, unchanged, against neon-local: the {@code neonctl} CLI and the {@code
 * @neondatabase/api-client} SDK, installed from npm at pinned versions by the build (profile
 * neon-clients). Every call they make passes a proxy that checks it against Neon's spec. Skipped,
 * with the reason, where node or the clients are absent.
 */
class NeonOfficialClientsTest {

  static final Path NPM = Path.of("target", "npm").toAbsolutePath();
  static final Path NEONCTL = NPM.resolve("node_modules/.bin/neonctl");
  static final ObjectMapper JSON = new ObjectMapper();

  static NeonLocal neon;
  static ContractProxy proxy;
  @TempDir static Path config;

  @BeforeAll
  static void start() {
    assumeTrue(
        Files.isExecutable(NEONCTL) && Files.isDirectory(NPM.resolve("node_modules/@neondatabase")),
        "Neon's clients are not installed in target/npm (the neon-clients profile installs them"
            + " where npm is, /usr/bin/npm): skipped");
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("clients-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(Duration.ofMillis(10))
            .start();
    proxy = new ContractProxy(neon.apiUrl());
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
      assertEquals(List.of(), proxy.mismatches(), "every call matched Neon's spec");
      if (OpenApiContract.available()) {
        assertTrue(proxy.validatedCalls() > 0, "the clients' calls were checked");
      }
    }
    if (neon != null) {
      neon.close();
    }
  }

  /** Runs a command of the given program and returns its standard output; fails on exit != 0. */
  static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(NPM.toFile());
    builder.environment().put("NEON_API_KEY", neon.apiKey());
    builder.environment().put("NO_COLOR", "1");
    Path err = Files.createTempFile(config, "stderr", ".txt");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "finished: " + command);
    assertEquals(
        0,
        process.exitValue(),
        command + "\nstdout: " + out + "\nstderr: " + Files.readString(err));
    return out;
  }

  static JsonNode neonctl(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(arguments));
    command.addAll(List.of("--output", "json"));
    return JSON.readTree(neonctlOutput(command));
  }

  /** What neonctl prints, for commands that print text (connection-string). */
  static String neonctlOutput(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(NEONCTL.toString()));
    command.addAll(arguments);
    command.addAll(
        List.of("--api-host", proxy.apiUrl(), "--config-dir", config.toString(), "--no-analytics"));
    return run(command);
  }

  @Test
  void neonctlFindsTheOnlyProjectByItselfRenamesItAndDiffsTwoBranchesSchemas() throws Exception {
    String project = neon.projectId();
    // Without --project-id, neonctl asks for the user's organizations, then for the projects.
    JsonNode branches = neonctl("branches", "list");
    List<String> names = new ArrayList<>();
    branches.forEach(b -> names.add(b.get("name").asText()));
    assertTrue(names.contains("main"), names.toString());
    assertEquals(
        "renamed by neonctl",
        neonctl("projects", "update", project, "--name", "renamed by neonctl")
            .get("name")
            .asText());

    JsonNode diffed =
        neonctl("branches", "create", "--project-id", project, "--name", "schema-diffed");
    String uri =
        new NeonApiTestClient(neon.apiUrl(), neon.apiKey())
            .connectionUri(
                project, diffed.get("branch").get("id").asText(), "neondb", "neondb_owner");
    try (Connection connection = NeonLocalApiTest.connect(uri);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE only_on_the_diffed_branch (id bigint PRIMARY KEY)");
    }
    String diff =
        neonctlOutput(
            List.of(
                "branches",
                "schema-diff",
                "main",
                "schema-diffed",
                "--project-id",
                project,
                "--database",
                "neondb"));
    assertTrue(
        diff.contains("+CREATE TABLE public.only_on_the_diffed_branch"),
        "the diff shows the table only the second branch has:\n" + diff);
    assertFalse(
        diff.contains("restrict"), "no per-dump lines (pg_dump's random \\restrict key):\n" + diff);
    neonctl("branches", "delete", "schema-diffed", "--project-id", project);
  }

  @Test
  void neonctlsConnectionStringsReachTheBranchFromPsql() throws Exception {
    Path psql = NeonLocalEndpointsTest.psql(neon);
    String project = neon.projectId();
    String direct =
        neonctlOutput(List.of("connection-string", "main", "--project-id", project)).strip();
    assertTrue(
        direct.endsWith("/neondb?sslmode=require&channel_binding=require"),
        "built from the endpoint's host and the logical name: "
            + NeonLocalEndpointsTest.redacted(direct));
    assertEquals(
        "neondb", NeonLocalEndpointsTest.runPsql(psql, direct, "SELECT current_database()"));
    String pooled =
        neonctlOutput(List.of("connection-string", "main", "--project-id", project, "--pooled"))
            .strip();
    assertEquals(
        "neondb", NeonLocalEndpointsTest.runPsql(psql, pooled, "SELECT current_database()"));
  }

  @Test
  void neonctlManagesTheProjectItsBranchesAndRoles() throws Exception {
    String project = neon.projectId();
    assertEquals("neon-local", neonctl("me").get("login").asText());
    JsonNode projects = neonctl("projects", "list");
    assertTrue(projects.toString().contains("\"" + project + "\""), projects.toString());
    assertEquals(project, neonctl("projects", "get", project).get("id").asText());

    JsonNode withCompute =
        neonctl("branches", "create", "--project-id", project, "--name", "cli-a");
    assertEquals("cli-a", withCompute.get("branch").get("name").asText());
    assertEquals(1, withCompute.get("endpoints").size(), "a compute comes with it");
    JsonNode bare =
        neonctl("branches", "create", "--project-id", project, "--name", "cli-b", "--no-compute");
    assertEquals("cli-b", bare.get("name").asText());

    JsonNode listed = neonctl("branches", "list", "--project-id", project);
    List<String> names = new ArrayList<>();
    listed.forEach(b -> names.add(b.get("name").asText()));
    assertTrue(names.containsAll(List.of("main", "cli-a", "cli-b")), names.toString());
    assertEquals(
        "cli-a", neonctl("branches", "get", "cli-a", "--project-id", project).get("name").asText());
    assertEquals(
        "cli-c",
        neonctl("branches", "rename", "cli-a", "cli-c", "--project-id", project)
            .get("name")
            .asText());
    assertTrue(
        neonctl("branches", "set-default", "cli-c", "--project-id", project)
            .get("default")
            .asBoolean());
    neonctl("branches", "set-default", "main", "--project-id", project);

    JsonNode role =
        neonctl(
            "roles", "create", "--project-id", project, "--branch", "cli-b", "--name", "cli_role");
    assertEquals("cli_role", role.get("name").asText());
    neonctl("roles", "delete", "cli_role", "--project-id", project, "--branch", "cli-b");
    JsonNode compute = neonctl("branches", "add-compute", "cli-b", "--project-id", project);
    assertEquals("read_only", compute.get("type").asText());

    neonctl("branches", "delete", "cli-c", "--project-id", project);
    neonctl("branches", "delete", "cli-b", "--project-id", project);
    JsonNode after = neonctl("branches", "list", "--project-id", project);
    assertEquals(1, after.size(), after.toString());
  }

  @Test
  void theSdkCreatesABranchSuspendsItsComputeConnectsAndDeletesIt() throws Exception {
    // The script lives beside node_modules, where node resolves the SDK from.
    Path script = NPM.resolve("supaneon-sdk-check.mjs");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import { createApiClient } from '@neondatabase/api-client';",
            "const [baseURL, apiKey, projectId] = process.argv.slice(2);",
            "const api = createApiClient({ apiKey, baseURL });",
            "const finish = async (operations) => {",
            "  for (const op of operations) {",
            "    for (let i = 0; ; i++) {",
            "      const { data } = await api.getProjectOperation(projectId, op.id);",
            "      if (data.operation.status === 'finished') break;",
            "      if (data.operation.status === 'failed' || i > 300) throw new Error(op.id);",
            "      await new Promise(r => setTimeout(r, 100));",
            "    }",
            "  }",
            "};",
            "const created = await api.createProjectBranch(projectId,",
            "  { branch: { name: 'sdk-check' }, endpoints: [{ type: 'read_write' }] });",
            "await finish(created.data.operations);",
            "const branchId = created.data.branch.id;",
            "const endpointId = created.data.endpoints[0].id;",
            "const suspended = await api.suspendProjectEndpoint(projectId, endpointId);",
            "await finish(suspended.data.operations);",
            "const uri = await api.getConnectionUri({ projectId, branch_id: branchId,",
            "  database_name: 'neondb', role_name: 'neondb_owner' });",
            "console.log(JSON.stringify({ branchId, endpointId, uri: uri.data.uri }));",
            ""),
        StandardCharsets.UTF_8);
    JsonNode result =
        JSON.readTree(
            run(
                List.of(
                    "node", script.toString(), proxy.apiUrl(), neon.apiKey(), neon.projectId())));
    try (Connection connection = NeonLocalApiTest.connect(result.get("uri").asText());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 41 + 1")) {
      rows.next();
      assertEquals(42, rows.getInt(1), "the SDK's connection URI reaches the suspended branch");
    }
    assertEquals(
        "active",
        new NeonApiTestClient(neon.apiUrl(), neon.apiKey())
            .get(
                "/projects/" + neon.projectId() + "/endpoints/" + result.get("endpointId").asText())
            .expect(200)
            .get("endpoint")
            .get("current_state")
            .asText(),
        "connecting woke the compute");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import { createApiClient } from '@neondatabase/api-client';",
            "const [baseURL, apiKey, projectId, branchId] = process.argv.slice(2);",
            "const api = createApiClient({ apiKey, baseURL });",
            "const deleted = await api.deleteProjectBranch({ projectId, branchId });",
            "console.log(JSON.stringify({ status: deleted.status }));",
            ""),
        StandardCharsets.UTF_8);
    JsonNode deleted =
        JSON.readTree(
            run(
                List.of(
                    "node",
                    script.toString(),
                    proxy.apiUrl(),
                    neon.apiKey(),
                    neon.projectId(),
                    result.get("branchId").asText())));
    assertEquals(200, deleted.get("status").asInt());
  }
}
