package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * neon-local's compute accounting, as its API reports it: an endpoint counts its active time at its
 * minimum CU, for its branch and for the project, and a deleted branch's time stays in the
 * project's, as the Free plan's monthly CU-hours count it.
 */
class NeonLocalComputeUsageTest {

  /** A clock the test moves. */
  static final class SteppedClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    void advance(Duration step) {
      now.updateAndGet(at -> at.plus(step));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void anEndpointCountsItsActiveTimeAtItsMinimumCuAndADeletedBranchStillCounts() {
    SteppedClock clock = new SteppedClock();
    try (NeonLocal neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("compute-" + UUID.randomUUID().toString().substring(0, 8))
            .clock(clock)
            .start()) {
      NeonApiTestClient api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
      String project = "/projects/" + neon.projectId();
      long before =
          api.get(project).expect(200).get("project").get("compute_time_seconds").asLong();

      Answer created =
          api.post(
                  project + "/branches",
                  "{\"branch\":{\"name\":\"busy\"},\"endpoints\":[{\"type\":\"read_write\","
                      + "\"autoscaling_limit_min_cu\":0.5,\"autoscaling_limit_max_cu\":1}]}")
              .expect(201);
      api.awaitOperations(neon.projectId(), created);
      String branch = created.get("branch").get("id").asText();
      String endpoint = created.get("endpoints").get(0).get("id").asText();

      clock.advance(Duration.ofSeconds(100));
      JsonNode running = api.get(project + "/branches/" + branch).expect(200).get("branch");
      assertEquals(100, running.get("active_time_seconds").asLong(), "running time counts");
      assertEquals(50, running.get("compute_time_seconds").asLong(), "at 0.5 CU");

      api.awaitOperations(
          neon.projectId(),
          api.post(project + "/endpoints/" + endpoint + "/suspend", null).expect(200));
      clock.advance(Duration.ofSeconds(1000));
      JsonNode suspended = api.get(project + "/branches/" + branch).expect(200).get("branch");
      assertEquals(50, suspended.get("compute_time_seconds").asLong(), "a suspended one does not");
      assertEquals(100, suspended.get("active_time_seconds").asLong());

      long others = 0;
      for (JsonNode b : api.get(project + "/branches").expect(200).get("branches")) {
        if (!b.get("id").asText().equals(branch)) {
          others += b.get("compute_time_seconds").asLong();
        }
      }
      api.awaitOperations(
          neon.projectId(), api.delete(project + "/branches/" + branch).expect(200));
      JsonNode after = api.get(project).expect(200).get("project");
      long othersNow = 0;
      for (JsonNode b : api.get(project + "/branches").expect(200).get("branches")) {
        othersNow += b.get("compute_time_seconds").asLong();
      }
      assertEquals(others, othersNow, "the clock stood still: the other branches did not move");
      assertEquals(
          50 + othersNow,
          after.get("compute_time_seconds").asLong(),
          "the deleted branch's 50 CU-seconds stay in the project's (it had " + before + ")");
      assertEquals(after.get("compute_time_seconds").asLong(), after.get("cpu_used_sec").asLong());
    }
  }

  @Test
  void anIdleComputeIsSuspendedAfterItsTimeoutButNeverWhileASessionIsOpen() throws Exception {
    SteppedClock clock = new SteppedClock();
    try (NeonLocal neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("idle-" + UUID.randomUUID().toString().substring(0, 8))
            .clock(clock)
            .operationDelay(Duration.ofMillis(10))
            .start()) {
      NeonApiTestClient api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
      String project = "/projects/" + neon.projectId();
      String timed = endpointOfNewBranch(api, neon, "timed", 60);
      String never = endpointOfNewBranch(api, neon, "never", -1);
      String uri =
          api.connectionUri(
              neon.projectId(),
              java.util.Map.of(
                  "endpoint_id", timed, "database_name", "neondb", "role_name", "neondb_owner"));
      try (java.sql.Connection session = NeonLocalApiTest.connect(uri)) {
        clock.advance(Duration.ofSeconds(120));
        Thread.sleep(500); // several sweeps of the worker
        assertEquals("active", state(api, project, timed), "a session keeps its compute up");
        assertEquals(true, session.isValid(2));
      }
      Thread.sleep(300); // the proxy sees the session end
      clock.advance(Duration.ofSeconds(61));
      String state = "active";
      for (int i = 0; i < 60 && state.equals("active"); i++) {
        Thread.sleep(50);
        state = state(api, project, timed);
      }
      assertEquals("idle", state, "61 s without a session past its 60 s timeout");
      assertEquals("active", state(api, project, never), "-1: never suspended");
    }
  }

  static String endpointOfNewBranch(
      NeonApiTestClient api, NeonLocal neon, String name, int suspendTimeoutSeconds) {
    Answer created =
        api.post(
                "/projects/" + neon.projectId() + "/branches",
                "{\"branch\":{\"name\":\""
                    + name
                    + "\"},\"endpoints\":[{\"type\":\"read_write\","
                    + "\"suspend_timeout_seconds\":"
                    + suspendTimeoutSeconds
                    + "}]}")
            .expect(201);
    api.awaitOperations(neon.projectId(), created);
    return created.get("endpoints").get(0).get("id").asText();
  }

  static String state(NeonApiTestClient api, String project, String endpointId) {
    return api.get(project + "/endpoints/" + endpointId)
        .expect(200)
        .get("endpoint")
        .get("current_state")
        .asText();
  }
}
