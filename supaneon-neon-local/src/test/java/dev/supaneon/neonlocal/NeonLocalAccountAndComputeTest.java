package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes Neon's own clients call beyond branches: the project list and the current user,
 * project creation refused as for a project-scoped key, computes created, resized and deleted,
 * roles deleted and their passwords reset. Every call is checked against Neon's spec.
 */
class NeonLocalAccountAndComputeTest {

  static NeonLocal neon;
  static NeonApiTestClient api;
  static String project;

  @BeforeAll
  static void start() {
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("account-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(java.time.Duration.ofMillis(10))
            .start();
    api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
    project = "/projects/" + neon.projectId();
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  static String newBranch(String name) {
    Answer created =
        api.post(project + "/branches", "{\"branch\":{\"name\":\"" + name + "\"}}").expect(201);
    api.awaitOperations(neon.projectId(), created);
    return created.get("branch").get("id").asText();
  }

  @Test
  void theProjectListHoldsTheOneProjectAndTheUserIsKnown() {
    JsonNode projects = api.get("/projects").expect(200).get("projects");
    assertEquals(1, projects.size());
    assertEquals(neon.projectId(), projects.get(0).get("id").asText());
    JsonNode user = api.get("/users/me").expect(200).body();
    assertEquals("neon-local", user.get("login").asText());
    assertEquals(10, user.get("branches_limit").asInt());
  }

  @Test
  void projectsAreNeitherCreatedNorDeletedWithAProjectScopedKey() {
    Answer create = api.post("/projects", "{\"project\":{\"name\":\"another\"}}");
    assertEquals(403, create.status());
    assertTrue(create.get("message").asText().contains("may not create projects"));
    assertEquals(403, api.delete(project).status());
    assertEquals(200, api.get(project).status(), "the project is still there");
  }

  @Test
  void aComputeIsCreatedResizedAndDeletedAndABranchKeepsOneReadWriteCompute() {
    String branch = newBranch("with-compute");
    Answer created =
        api.post(
                project + "/endpoints",
                "{\"endpoint\":{\"branch_id\":\"" + branch + "\",\"type\":\"read_write\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), created);
    String endpoint = created.get("endpoint").get("id").asText();
    assertEquals(
        "active",
        api.get(project + "/endpoints/" + endpoint)
            .expect(200)
            .get("endpoint")
            .get("current_state")
            .asText());
    assertEquals(
        400,
        api.post(
                project + "/endpoints",
                "{\"endpoint\":{\"branch_id\":\"" + branch + "\",\"type\":\"read_write\"}}")
            .status(),
        "a second read_write compute is refused");

    JsonNode resized =
        api.patch(
                project + "/endpoints/" + endpoint,
                "{\"endpoint\":{\"suspend_timeout_seconds\":600,\"autoscaling_limit_max_cu\":1}}")
            .expect(200)
            .get("endpoint");
    assertEquals(600, resized.get("suspend_timeout_seconds").asLong());
    assertEquals(1.0, resized.get("autoscaling_limit_max_cu").asDouble());
    assertEquals(0.25, resized.get("autoscaling_limit_min_cu").asDouble(), "untouched");

    api.delete(project + "/endpoints/" + endpoint).expect(200);
    assertEquals(404, api.get(project + "/endpoints/" + endpoint).status());
    assertEquals(
        0,
        api.get(project + "/branches/" + branch + "/endpoints")
            .expect(200)
            .get("endpoints")
            .size());
  }

  @Test
  void aRolesPasswordIsResetAndTheRoleDeleted() {
    String branch = newBranch("with-role");
    String roles = project + "/branches/" + branch + "/roles";
    String role = "app_" + UUID.randomUUID().toString().substring(0, 6);
    api.awaitOperations(
        neon.projectId(), api.post(roles, "{\"role\":{\"name\":\"" + role + "\"}}").expect(201));
    String before =
        api.get(roles + "/" + role + "/reveal_password").expect(200).get("password").asText();
    Answer reset = api.post(roles + "/" + role + "/reset_password", null).expect(200);
    api.awaitOperations(neon.projectId(), reset);
    String after = reset.get("role").get("password").asText();
    assertNotEquals(before, after);
    assertEquals(
        after,
        api.get(roles + "/" + role + "/reveal_password").expect(200).get("password").asText());

    assertEquals(400, api.delete(roles + "/neondb_owner").status(), "the owner role stays");
    api.delete(roles + "/" + role).expect(200);
    assertEquals(404, api.get(roles + "/" + role).status());
    assertFalse(api.get(roles).expect(200).get("roles").toString().contains("\"" + role + "\""));
  }
}
