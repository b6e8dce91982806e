package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * neon-local's storage model, as its API reports it: the limit it was started with, each branch's
 * logical size and written bytes, and the project's synthetic storage by Neon's rule (the root's
 * logical size, and for each child the smaller of written and logical).
 */
class NeonLocalStorageTest {

  static final long MIB = 1024 * 1024;
  static NeonLocal neon;
  static NeonApiTestClient api;
  static String project;

  @BeforeAll
  static void start() {
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("storage-" + UUID.randomUUID().toString().substring(0, 8))
            .storageLimitMib(64)
            .start();
    api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
    project = "/projects/" + neon.projectId();
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  static JsonNode projectNode() {
    return api.get(project).expect(200).get("project");
  }

  static JsonNode branch(String id) {
    return api.get(project + "/branches/" + id).expect(200).get("branch");
  }

  static long cost(JsonNode branch) {
    long logical = branch.get("logical_size").asLong();
    return branch.has("parent_id")
        ? Math.min(logical, branch.get("written_data_bytes").asLong())
        : logical;
  }

  @Test
  void theProjectReportsTheLimitItWasStartedWith() {
    JsonNode node = projectNode();
    assertEquals(64, node.get("branch_logical_size_limit").asLong());
    assertEquals(64 * MIB, node.get("branch_logical_size_limit_bytes").asLong());
    assertEquals(64 * MIB, node.get("settings").get("quota").get("logical_size_bytes").asLong());
  }

  @Test
  void aBranchThatOnlyReadsCostsNothingAndADatabaseLoadedOnItCountsWhole() throws Exception {
    Answer created =
        api.post(
                project + "/branches",
                "{\"branch\":{\"name\":\"loaded\"},\"endpoints\":[{\"type\":\"read_write\"}]}")
            .expect(201);
    api.awaitOperations(neon.projectId(), created);
    String child = created.get("branch").get("id").asText();
    JsonNode fresh = branch(child);
    assertTrue(fresh.get("logical_size").asLong() > 0, "it holds its parent's neondb");
    assertTrue(
        fresh.get("written_data_bytes").asLong() < MIB,
        "a copy it has only read costs nothing: " + fresh.get("written_data_bytes"));

    Answer database =
        api.post(
                project + "/branches/" + child + "/databases",
                "{\"database\":{\"name\":\"shop\",\"owner_name\":\"neondb_owner\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), database);
    String uri = api.connectionUri(neon.projectId(), child, "shop", "neondb_owner");
    try (Connection connection = NeonLocalApiTest.connect(uri);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE rows AS SELECT g, repeat(md5(g::text), 30) AS filler"
              + " FROM generate_series(1, 4000) AS g");
    }
    JsonNode loaded = branch(child);
    long written = loaded.get("written_data_bytes").asLong();
    assertTrue(
        written > 7 * MIB, "a database made and loaded on the branch counts whole: " + written);
    assertTrue(written <= loaded.get("logical_size").asLong());

    long expected = 0;
    JsonNode branches = api.get(project + "/branches").expect(200).get("branches");
    for (JsonNode b : branches) {
      assertTrue(b.has("logical_size"), "every listed branch carries its logical size: " + b);
      assertTrue(b.has("written_data_bytes"));
      expected += cost(b);
    }
    assertEquals(expected, projectNode().get("synthetic_storage_size").asLong());

    api.awaitOperations(neon.projectId(), api.delete(project + "/branches/" + child).expect(200));
    long rootOnly = 0;
    for (JsonNode b : api.get(project + "/branches").expect(200).get("branches")) {
      rootOnly += cost(b);
    }
    assertEquals(rootOnly, projectNode().get("synthetic_storage_size").asLong());
    assertTrue(rootOnly < expected - 7 * MIB, "deleting the branch frees what it wrote");
  }
}
