package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeonLocalRestartTest {

  @Test
  void aRestartOnTheSameBackingServerKeepsEveryBranchTheKeyAndTheEndpointsAddresses() {
    PostgresServer backing = PostgresServers.shared();
    String projectId = "restart-" + Long.toHexString(System.nanoTime());
    Set<String> before = new HashSet<>();
    Set<String> addressesBefore = new HashSet<>();
    String key;
    try (NeonLocal first =
        NeonLocal.builder().backingServer(backing).projectId(projectId).start()) {
      key = first.apiKey();
      NeonApiTestClient api = new NeonApiTestClient(first.apiUrl(), first.apiKey());
      for (int i = 0; i < 3; i++) {
        Answer created =
            api.post(
                    "/projects/" + projectId + "/branches",
                    "{\"endpoints\":[{\"type\":\"read_write\"}]}")
                .expect(201);
        api.awaitOperations(projectId, created);
      }
      api.get("/projects/" + projectId + "/branches")
          .get("branches")
          .forEach(b -> before.add(b.get("id").asText() + "/" + b.get("current_state").asText()));
      api.get("/projects/" + projectId + "/endpoints")
          .get("endpoints")
          .forEach(e -> addressesBefore.add(e.get("id").asText() + "@" + e.get("host").asText()));
    }
    try (NeonLocal second =
        NeonLocal.builder().backingServer(backing).projectId(projectId).start()) {
      assertEquals(key, second.apiKey(), "the key is kept with the branches");
      NeonApiTestClient api = new NeonApiTestClient(second.apiUrl(), second.apiKey());
      Set<String> after = new HashSet<>();
      api.get("/projects/" + projectId + "/branches")
          .get("branches")
          .forEach(b -> after.add(b.get("id").asText() + "/" + b.get("current_state").asText()));
      assertEquals(4, after.size());
      assertEquals(before, after);
      Set<String> addressesAfter = new HashSet<>();
      api.get("/projects/" + projectId + "/endpoints")
          .get("endpoints")
          .forEach(e -> addressesAfter.add(e.get("id").asText() + "@" + e.get("host").asText()));
      assertEquals(
          addressesBefore, addressesAfter, "connection strings survive a restart: same ports");
    }
  }
}
