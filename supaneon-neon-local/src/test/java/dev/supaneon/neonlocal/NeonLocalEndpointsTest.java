package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.ExternalPostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * neon-local's endpoints behave like Neon's: each has its own address that reaches only its branch,
 * shows logical database names, authenticates with SCRAM-SHA-256-PLUS over TLS, wakes on a
 * connection and closes its sessions when suspended.
 */
class NeonLocalEndpointsTest {

  static NeonLocal neon;
  static NeonApiTestClient api;
  static String project;

  @BeforeAll
  static void start() {
    neon =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("endpoints-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(Duration.ofMillis(10))
            .start();
    api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
    project = "/projects/" + neon.projectId();
  }

  @AfterAll
  static void stop() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void eachEndpointHasItsOwnAddressThatReachesOnlyItsBranch() throws Exception {
    String a = createBranch("isolated-a");
    String b = createBranch("isolated-b");
    JsonNode endpointA = endpointOf(a);
    JsonNode endpointB = endpointOf(b);
    assertNotEquals(endpointA.get("host").asText(), endpointB.get("host").asText());
    assertTrue(
        endpointA.get("host").asText().matches("127\\.0\\.0\\.1:\\d+"),
        "the host carries the port: " + endpointA.get("host"));

    String uriA = uri(a, "neondb");
    assertTrue(
        uriA.contains("@" + endpointA.get("host").asText() + "/neondb?"),
        "the URI is the endpoint's host and the logical name: " + redacted(uriA));
    try (Connection connection = NeonLocalApiTest.connect(uriA);
        Statement statement = connection.createStatement()) {
      assertEquals("neondb", single(statement, "SELECT current_database()"));
      assertEquals(
          "neondb",
          single(statement, "SELECT datname FROM pg_database WHERE datname = current_database()"));
      statement.execute("CREATE TABLE only_on_a (x int)");
    }
    api.post(
            project + "/branches/" + b + "/databases",
            "{\"database\":{\"name\":\"only_b\",\"owner_name\":\"neondb_owner\"}}")
        .expect(201);
    awaitIdle();
    try (Connection connection = NeonLocalApiTest.connect(uri(b, "neondb"));
        Statement statement = connection.createStatement()) {
      assertEquals(
          "0",
          single(statement, "SELECT count(*) FROM pg_class WHERE relname = 'only_on_a'"),
          "branch b does not see branch a's table");
    }
    String bOnAsAddress =
        uri(b, "only_b").replace(endpointB.get("host").asText(), endpointA.get("host").asText());
    SQLException otherBranch =
        assertThrows(SQLException.class, () -> NeonLocalApiTest.connect(bOnAsAddress).close());
    assertEquals(
        "3D000", otherBranch.getSQLState(), "a's address does not reach b's database only_b");
  }

  @Test
  void loginNeedsTlsAndTheRightPassword() throws Exception {
    String uri = uri(defaultBranchId(), "neondb");
    URI parsed = URI.create(uri);
    Properties wrong = new Properties();
    wrong.setProperty("user", "neondb_owner");
    wrong.setProperty("password", "not-the-password");
    wrong.setProperty("sslmode", "require");
    String jdbc = "jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort() + "/neondb";
    SQLException refused =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc, wrong).close());
    assertEquals("28P01", refused.getSQLState(), refused.getMessage());

    wrong.setProperty("user", "nobody_here");
    SQLException unknown =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc, wrong).close());
    assertEquals("28P01", unknown.getSQLState(), "an unknown role looks like a wrong password");

    Properties plain = credentials(uri);
    plain.setProperty("sslmode", "disable");
    SQLException insecure =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc, plain).close());
    assertTrue(insecure.getMessage().contains("sslmode=require"), insecure.getMessage());

    Properties bound = credentials(uri);
    bound.setProperty("sslmode", "require");
    bound.setProperty("channelBinding", "require");
    try (Connection connection = DriverManager.getConnection(jdbc, bound);
        Statement statement = connection.createStatement()) {
      assertEquals("neondb_owner", single(statement, "SELECT session_user"));
    }

    // Clients without SNI name the endpoint in options, as Neon documents; settings beside it
    // still reach the server.
    String endpointId = api.get(project + "/endpoints").get("endpoints").get(0).get("id").asText();
    bound.setProperty("options", "endpoint=" + endpointId + " -c statement_timeout=1234");
    try (Connection connection = DriverManager.getConnection(jdbc, bound);
        Statement statement = connection.createStatement()) {
      assertEquals("1234ms", single(statement, "SHOW statement_timeout"));
    }
  }

  @Test
  void psqlConnectsWithChannelBindingAndSeesTheLogicalName() throws Exception {
    Path psql = psql(neon);
    String uri = uri(defaultBranchId(), "neondb");
    assertEquals("neondb", NeonLocalEndpointsTest.runPsql(psql, uri, "SELECT current_database()"));
  }

  @Test
  void aSuspendedEndpointWakesOnConnectionAndSuspendingClosesSessions() throws Exception {
    String branch = createBranch("sleepy");
    String endpointId = endpointOf(branch).get("id").asText();
    String uri = uri(branch, "neondb");
    try (Connection session = NeonLocalApiTest.connect(uri)) {
      Answer suspended =
          api.post(project + "/endpoints/" + endpointId + "/suspend", null).expect(200);
      api.awaitOperations(neon.projectId(), suspended);
      assertEquals("idle", state(endpointId));
      assertFalse(session.isValid(2), "suspending ends open sessions");
    }
    try (Connection woken = NeonLocalApiTest.connect(uri);
        Statement statement = woken.createStatement()) {
      assertEquals("1", single(statement, "SELECT 1"));
    }
    assertEquals("active", state(endpointId), "a connection wakes the compute");
  }

  @Test
  void aReadOnlyEndpointRefusesWritesAndCancelRequestsReachTheServer() throws Exception {
    String branch = createBranch("replica");
    Answer added =
        api.post(
                project + "/endpoints",
                "{\"endpoint\":{\"branch_id\":\"" + branch + "\",\"type\":\"read_only\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), added);
    String readOnly = added.get("endpoint").get("id").asText();
    String uri =
        api.connectionUri(
            neon.projectId(),
            Map.of(
                "endpoint_id", readOnly, "database_name", "neondb", "role_name", "neondb_owner"));
    try (Connection connection = NeonLocalApiTest.connect(uri);
        Statement statement = connection.createStatement()) {
      SQLException write =
          assertThrows(SQLException.class, () -> statement.execute("CREATE TABLE nope (x int)"));
      assertEquals("25006", write.getSQLState(), "read-only transaction");

      Thread canceller =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300);
                  statement.cancel();
                } catch (InterruptedException | SQLException e) {
                  Thread.currentThread().interrupt();
                }
              });
      canceller.start();
      long started = System.nanoTime();
      SQLException cancelled =
          assertThrows(SQLException.class, () -> statement.execute("SELECT pg_sleep(30)"));
      canceller.join();
      assertEquals("57014", cancelled.getSQLState(), "the cancel request reached the server");
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
    }
  }

  @Test
  void whatTheServerSendsToClientsCountsAsDataTransfer() throws Exception {
    String branch = createBranch("egress");
    try (Connection connection = NeonLocalApiTest.connect(uri(branch, "neondb"));
        Statement statement = connection.createStatement()) {
      assertEquals(1_000_000, single(statement, "SELECT repeat('x', 1000000)").length());
    }
    long transferred = 0;
    for (int i = 0; i < 100 && transferred < 1_000_000; i++) {
      Thread.sleep(50);
      transferred =
          api.get(project + "/branches/" + branch)
              .get("branch")
              .get("data_transfer_bytes")
              .asLong();
    }
    assertTrue(transferred >= 1_000_000, "the branch counts the 1 MB it sent: " + transferred);
    assertTrue(
        transferred < 1_100_000, "and little more than the protocol's own bytes: " + transferred);
    long ofProject = api.get(project).get("project").get("data_transfer_bytes").asLong();
    assertTrue(ofProject >= transferred, "the project counts its branches' transfer");
  }

  @Test
  void aBackingServerElsewhereIsReachedOverTcpWithTls() throws Exception {
    // The shared server as if it were remote: no Unix socket, so the proxy's own sessions go over
    // TCP and TLS, as they do for --postgres-url and container servers.
    PostgresServer shared = PostgresServers.shared();
    PostgresServer remote =
        ExternalPostgresServer.fromUrl(
            "postgresql://"
                + shared.superuser()
                + ":"
                + java.net.URLEncoder.encode(shared.superuserPassword(), StandardCharsets.UTF_8)
                + "@"
                + shared.host()
                + ":"
                + shared.port()
                + "/postgres");
    assertTrue(remote.unixSocket().isEmpty());
    try (NeonLocal elsewhere =
        NeonLocal.builder()
            .backingServer(remote)
            .projectId("remote-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(Duration.ofMillis(10))
            .start()) {
      NeonApiTestClient remoteApi = new NeonApiTestClient(elsewhere.apiUrl(), elsewhere.apiKey());
      String uri =
          remoteApi.connectionUri(
              elsewhere.projectId(),
              Map.of("database_name", "neondb", "role_name", "neondb_owner"));
      try (Connection connection = NeonLocalApiTest.connect(uri);
          Statement statement = connection.createStatement()) {
        assertEquals("neondb", single(statement, "SELECT current_database()"));
        assertEquals(
            "t",
            single(statement, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
            "the proxy's own session is encrypted");
      }
    }
  }

  @Test
  void aConnectionRightAfterBranchingWaitsForTheBranchsDatabasesAsNeonsProxyWaitsForACompute()
      throws Exception {
    // A slow operation worker: the new branch's databases are still being copied when the client
    // connects, as after `neonctl branches create` followed at once by psql.
    try (NeonLocal slow =
        NeonLocal.builder()
            .backingServer(PostgresServers.shared())
            .projectId("slow-" + UUID.randomUUID().toString().substring(0, 8))
            .operationDelay(Duration.ofMillis(800))
            .start()) {
      NeonApiTestClient slowApi = new NeonApiTestClient(slow.apiUrl(), slow.apiKey());
      String created =
          slowApi
              .post(
                  "/projects/" + slow.projectId() + "/branches",
                  "{\"branch\":{\"name\":\"at-once\"},\"endpoints\":[{\"type\":\"read_write\"}]}")
              .expect(201)
              .get("branch")
              .get("id")
              .asText();
      String uri = slowApi.connectionUri(slow.projectId(), created, "neondb", "neondb_owner");
      try (Connection connection = NeonLocalApiTest.connect(uri);
          Statement statement = connection.createStatement()) {
        assertEquals("neondb", single(statement, "SELECT current_database()"));
      }
    }
  }

  @Test
  void aDeletedEndpointsAddressTakesNoConnections() throws Exception {
    String branch = createBranch("short-lived");
    JsonNode endpoint = endpointOf(branch);
    int port = Integer.parseInt(endpoint.get("host").asText().split(":")[1]);
    Answer deleted = api.delete(project + "/endpoints/" + endpoint.get("id").asText()).expect(200);
    api.awaitOperations(neon.projectId(), deleted);
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  // ---- helpers

  static String createBranch(String name) {
    Answer created =
        api.post(
                project + "/branches",
                "{\"branch\":{\"name\":\""
                    + name
                    + "\"},\"endpoints\":[{\"type\":\"read_write\"}]}")
            .expect(201);
    api.awaitOperations(neon.projectId(), created);
    return created.get("branch").get("id").asText();
  }

  static String defaultBranchId() {
    for (JsonNode branch : api.get(project + "/branches").expect(200).get("branches")) {
      if (branch.get("default").asBoolean()) {
        return branch.get("id").asText();
      }
    }
    throw new AssertionError("no default branch");
  }

  static JsonNode endpointOf(String branchId) {
    return api.get(project + "/branches/" + branchId + "/endpoints").get("endpoints").get(0);
  }

  static String state(String endpointId) {
    return api.get(project + "/endpoints/" + endpointId)
        .get("endpoint")
        .get("current_state")
        .asText();
  }

  static String uri(String branchId, String database) {
    return api.connectionUri(neon.projectId(), branchId, database, "neondb_owner");
  }

  static void awaitIdle() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      JsonNode operations = api.get(project + "/operations").get("operations");
      boolean busy = false;
      for (JsonNode operation : operations) {
        String status = operation.get("status").asText();
        busy |= !status.equals("finished") && !status.equals("failed");
      }
      if (!busy) {
        return;
      }
      Thread.sleep(50);
    }
  }

  static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next(), sql);
      return rows.getString(1);
    }
  }

  static Properties credentials(String uri) {
    String[] userInfo = URI.create(uri).getRawUserInfo().split(":", 2);
    Properties properties = new Properties();
    properties.setProperty("user", URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8));
    properties.setProperty("password", URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8));
    return properties;
  }

  static String redacted(String uri) {
    return uri.replaceAll(":[^:@/]+@", ":****@");
  }

  static Path psql(NeonLocal neon) {
    Path psql =
        neon.backingServer()
            .binDirectory()
            .map(bin -> bin.resolve("psql"))
            .orElse(Path.of("/usr/bin/psql"));
    assumeTrue(Files.isExecutable(psql), "psql is not installed: skipped");
    return psql;
  }

  /**
   * Runs one query with psql against a connection URI, the password passed in PGPASSWORD (never on
   * the command line); returns the single value it printed.
   */
  static String runPsql(Path psql, String uri, String sql) throws Exception {
    Properties credentials = credentials(uri);
    String withoutPassword = uri.replaceFirst(":[^:@/]+@", "@");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(psql.toString(), "-XAtq", "-d", withoutPassword, "-c", sql))
            .redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", credentials.getProperty("password"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql finished");
    assertEquals(0, process.exitValue(), output);
    return output.strip();
  }
}
