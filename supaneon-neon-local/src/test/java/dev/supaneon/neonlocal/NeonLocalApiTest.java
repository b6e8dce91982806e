package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.NeonApiTestClient;
import dev.supaneon.neonlocal.testing.NeonApiTestClient.Answer;
import dev.supaneon.neonlocal.testing.OpenApiContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** neon-local through plain HTTP, every call checked against Neon's OpenAPI spec. */
class NeonLocalApiTest {

  static PostgresServer backing;
  static NeonLocal neon;
  static NeonApiTestClient api;
  static String project;

  @BeforeAll
  static void start() {
    backing = PostgresServers.shared();
    neon = startNeon(10, Duration.ofMillis(50));
    api = new NeonApiTestClient(neon.apiUrl(), neon.apiKey());
    project = "/projects/" + neon.projectId();
  }

  @AfterAll
  static void stop() {
    neon.close();
    // With Neon's spec at hand, the contract checks must have run, not gone quiet.
    if (OpenApiContract.available()) {
      assertTrue(
          OpenApiContract.validatedCalls() > 0,
          "no call of this suite was checked against Neon's OpenAPI spec");
    }
  }

  static NeonLocal startNeon(int branchLimit, Duration operationDelay) {
    return NeonLocal.builder()
        .backingServer(PostgresServers.shared())
        .projectId("test-" + UUID.randomUUID().toString().substring(0, 8))
        .branchLimit(branchLimit)
        .operationDelay(operationDelay)
        .expirySweepInterval(Duration.ofMillis(200))
        .start();
  }

  @Test
  void aNewBranchCopiesItsParentAndIsIsolatedFromIt() throws Exception {
    String mainUri = connectionUri(defaultBranchId(), "neondb", "neondb_owner");
    execute(mainUri, "CREATE TABLE copy_check (id int); INSERT INTO copy_check VALUES (1), (2)");

    Answer created =
        api.post(
                project + "/branches",
                "{\"branch\":{\"name\":\"isolation\"},\"endpoints\":[{\"type\":\"read_write\"}]}")
            .expect(201);
    String branchId = created.get("branch").get("id").asText();
    assertEquals("init", created.get("branch").get("current_state").asText());
    assertEquals("scheduling", created.get("operations").get(0).get("status").asText());
    assertEquals(1, created.get("connection_uris").size());

    api.awaitOperations(neon.projectId(), created);
    JsonNode ready = api.get(project + "/branches/" + branchId).expect(200).get("branch");
    assertEquals("ready", ready.get("current_state").asText());
    assertEquals(
        "active",
        api.get(project + "/branches/" + branchId + "/endpoints")
            .get("endpoints")
            .get(0)
            .get("current_state")
            .asText());

    String childUri = connectionUri(branchId, "neondb", "neondb_owner");
    assertEquals(2, count(childUri, "copy_check"));
    execute(mainUri, "INSERT INTO copy_check VALUES (3)");
    execute(childUri, "INSERT INTO copy_check VALUES (10), (11), (12)");
    assertEquals(
        5, count(childUri, "copy_check"), "the child never sees later writes to its parent");
    assertEquals(3, count(mainUri, "copy_check"), "writes to the child never reach the parent");

    deleteBranch(branchId);
  }

  @Test
  void theBranchRoleIsLikeNeondbOwnerAndNotASuperuser() throws Exception {
    String uri = connectionUri(defaultBranchId(), "neondb", "neondb_owner");
    try (Connection connection = connect(uri);
        Statement statement = connection.createStatement()) {
      ResultSet role =
          statement.executeQuery(
              "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user");
      role.next();
      assertFalse(role.getBoolean(1), "not a superuser");
      assertTrue(role.getBoolean(2), "may create databases");
      assertTrue(role.getBoolean(3), "may create roles");
      statement.execute("CREATE SCHEMA IF NOT EXISTS owner_check");
      statement.execute("DROP ROLE IF EXISTS owner_check_role");
      statement.execute("CREATE ROLE owner_check_role NOLOGIN");
      statement.execute("DROP ROLE owner_check_role");
      SQLException refused =
          assertThrows(
              SQLException.class, () -> statement.execute("ALTER SYSTEM SET work_mem = '8MB'"));
      assertEquals("42501", refused.getSQLState());
      SQLException controlPlane =
          assertThrows(
              SQLException.class,
              () -> connect(uri.replaceAll("/[^/?]+\\?", "/neon_local?")).close());
      assertEquals(
          "3D000", controlPlane.getSQLState(), "an endpoint reaches its branch's databases only");
    }
  }

  @Test
  void expiryCanBeSetAndClearedWithinNeonsRules() {
    String branchId = createReadyBranch("expiry-rules", "");
    String in1Hour =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonNode set =
        api.patch(
                project + "/branches/" + branchId,
                "{\"branch\":{\"expires_at\":\"" + in1Hour + "\"}}")
            .expect(200)
            .get("branch");
    assertEquals(in1Hour, set.get("expires_at").asText());
    Answer child =
        api.post(project + "/branches", "{\"branch\":{\"parent_id\":\"" + branchId + "\"}}");
    assertEquals(400, child.status(), "no children from an expiring branch");
    JsonNode cleared =
        api.patch(project + "/branches/" + branchId, "{\"branch\":{\"expires_at\":null}}")
            .expect(200)
            .get("branch");
    assertTrue(cleared.path("expires_at").isMissingNode(), "expires_at: null removes the expiry");

    String in31Days =
        Instant.now().plus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    assertEquals(
        400,
        api.patch(
                project + "/branches/" + branchId,
                "{\"branch\":{\"expires_at\":\"" + in31Days + "\"}}")
            .status());
    assertEquals(
        400,
        api.patch(
                project + "/branches/" + defaultBranchId(),
                "{\"branch\":{\"expires_at\":\"" + in1Hour + "\"}}")
            .status(),
        "the default branch cannot expire");
    assertEquals(
        400,
        api.invalid(
                "PATCH",
                project + "/branches/" + branchId,
                Map.of(),
                "{\"branch\":{\"expires_at\":\"not a time\"}}")
            .status());
    deleteBranch(branchId);
  }

  @Test
  void expiredBranchesAreDeletedInTheBackground() throws Exception {
    String soon =
        Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
    String branchId = createReadyBranch("expiring", ",\"expires_at\":\"" + soon + "\"");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (api.get(project + "/branches/" + branchId).status() != 404) {
      assertTrue(System.nanoTime() < deadline, "the sweeper deletes the branch after it expires");
      Thread.sleep(100);
    }
  }

  @Test
  void deletingIsRefusedForTheDefaultBranchAndForParentsAndIdempotentOtherwise() {
    Answer refused = api.delete(project + "/branches/" + defaultBranchId());
    assertEquals(422, refused.status());
    String parent = createReadyBranch("parent", "");
    Answer child =
        api.post(
                project + "/branches",
                "{\"branch\":{\"parent_id\":\"" + parent + "\",\"name\":\"child\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), child);
    assertEquals(
        422, api.delete(project + "/branches/" + parent).status(), "a parent cannot be deleted");
    deleteBranch(child.get("branch").get("id").asText());
    deleteBranch(parent);
    assertEquals(204, api.delete(project + "/branches/" + parent).status(), "already gone: 204");
    assertEquals(404, api.get(project + "/branches/" + parent).status());
  }

  @Test
  void listingSearchesSortsAndPagesWithACursor() {
    List<String> created = new ArrayList<>();
    for (String name : List.of("page-c", "page-a", "page-b")) {
      created.add(createReadyBranch(name, ""));
    }
    Answer first =
        api.get(
                project + "/branches",
                Map.of("search", "page-", "sort_by", "name", "sort_order", "asc", "limit", "2"))
            .expect(200);
    assertEquals(List.of("page-a", "page-b"), names(first));
    String cursor = first.get("pagination").get("next").asText();
    Answer second =
        api.get(
                project + "/branches",
                Map.of(
                    "search",
                    "page-",
                    "sort_by",
                    "name",
                    "sort_order",
                    "asc",
                    "limit",
                    "2",
                    "cursor",
                    cursor))
            .expect(200);
    assertEquals(List.of("page-c"), names(second));
    assertTrue(
        second.get("pagination").path("next").isMissingNode(), "no cursor after the last page");
    assertEquals(
        3,
        api.get(project + "/branches/count", Map.of("search", "page-"))
            .expect(200)
            .get("count")
            .asInt());
    assertEquals(
        400, api.invalid("GET", project + "/branches", Map.of("sort_by", "size"), null).status());
    Answer desc =
        api.get(
            project + "/branches",
            Map.of("search", "page-", "sort_by", "created_at", "sort_order", "desc"));
    assertEquals(List.of("page-b", "page-a", "page-c"), names(desc));
    created.forEach(this::deleteBranch);
  }

  @Test
  void annotationsAreStoredAndListed() {
    Answer created =
        api.post(
                project + "/branches",
                "{\"branch\":{\"name\":\"annotated\"},\"annotation_value\":{\"supaneon\":\"test\"}}")
            .expect(201);
    String id = created.get("branch").get("id").asText();
    api.awaitOperations(neon.projectId(), created);
    assertEquals(
        "test",
        api.get(project + "/branches/" + id)
            .get("annotation")
            .get("value")
            .get("supaneon")
            .asText());
    assertEquals(
        "test",
        api.get(project + "/branches", Map.of("search", "annotated"))
            .get("annotations")
            .get(id)
            .get("value")
            .get("supaneon")
            .asText());
    deleteBranch(id);
  }

  @Test
  void aMutationWhileAnOperationRunsIsLocked() {
    // The operation takes a minute: the checks below never race it, however loaded the machine.
    // This class's other neon-local, on the same backing server with a 50 ms delay, must leave
    // this project's operation alone (each runs its own project's operations only).
    try (NeonLocal slow = startNeon(10, Duration.ofMinutes(1))) {
      NeonApiTestClient client = new NeonApiTestClient(slow.apiUrl(), slow.apiKey());
      String path = "/projects/" + slow.projectId() + "/branches";
      Answer first = client.post(path, "{\"branch\":{\"name\":\"first\"}}").expect(201);
      assertEquals(
          "init",
          client
              .get(path + "/" + first.get("branch").get("id").asText())
              .get("branch")
              .get("current_state")
              .asText(),
          "a client that does not poll sees the branch still in init");
      Answer second = client.post(path, "{\"branch\":{\"name\":\"second\"}}");
      assertEquals(423, second.status());
      assertFalse(second.get("code").asText().isEmpty());
      assertFalse(second.get("request_id").asText().isEmpty());
    }
  }

  @Test
  void theBranchLimitIsEnforcedWithNeonsErrorCode() {
    try (NeonLocal small = startNeon(3, Duration.ZERO)) {
      NeonApiTestClient client = new NeonApiTestClient(small.apiUrl(), small.apiKey());
      String path = "/projects/" + small.projectId() + "/branches";
      for (int i = 0; i < 2; i++) {
        client.awaitOperations(small.projectId(), client.post(path, "{}").expect(201));
      }
      Answer refused = client.post(path, "{}");
      assertEquals(422, refused.status());
      assertEquals("BRANCHES_LIMIT_EXCEEDED", refused.get("code").asText());
      assertEquals(3, client.get(path + "/count").get("count").asInt());
      assertEquals(
          3,
          client
              .get("/projects/" + small.projectId())
              .get("project")
              .get("owner")
              .get("branches_limit")
              .asInt());
    }
  }

  @Test
  void requestsWithoutTheKeyAreUnauthorized() {
    Answer answer = api.unauthenticated("GET", project);
    assertEquals(401, answer.status());
    assertFalse(answer.get("message").asText().isEmpty());
    assertEquals(401, new NeonApiTestClient(neon.apiUrl(), "wrong-key").get(project).status());
    assertEquals(404, api.get("/projects/not-this-one").status());
  }

  @Test
  void databasesAndRolesOfABranch() throws Exception {
    String branchId = createReadyBranch("with-db", "");
    String branch = project + "/branches/" + branchId;
    Answer role = api.post(branch + "/roles", "{\"role\":{\"name\":\"app_user\"}}").expect(201);
    String password = role.get("role").get("password").asText();
    assertFalse(password.isEmpty());
    api.awaitOperations(neon.projectId(), role);
    Answer database =
        api.post(
                branch + "/databases",
                "{\"database\":{\"name\":\"appdb\",\"owner_name\":\"app_user\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), database);
    assertEquals(
        password,
        api.get(branch + "/roles/app_user/reveal_password").expect(200).get("password").asText());
    assertEquals(
        Set.of("neondb", "appdb"),
        fieldSet(api.get(branch + "/databases").get("databases"), "name"));
    assertEquals(
        Set.of("neondb_owner", "app_user"),
        fieldSet(api.get(branch + "/roles").get("roles"), "name"));
    assertTrue(
        api.get(branch + "/roles").get("roles").get(0).path("password").isMissingNode(),
        "lists hide passwords");
    execute(connectionUri(branchId, "appdb", "app_user"), "CREATE TABLE mine (x int)");
    assertEquals(
        409,
        api.post(
                branch + "/databases",
                "{\"database\":{\"name\":\"appdb\",\"owner_name\":\"app_user\"}}")
            .status());
    assertEquals(
        404,
        api.post(
                branch + "/databases",
                "{\"database\":{\"name\":\"other\",\"owner_name\":\"nobody\"}}")
            .status());
    Answer dropped = api.delete(branch + "/databases/appdb").expect(200);
    api.awaitOperations(neon.projectId(), dropped);
    assertEquals(204, api.delete(branch + "/databases/appdb").status());
    assertEquals(404, api.get(branch + "/databases/appdb").status());
    assertEquals(
        400,
        api.invalid("GET", project + "/connection_uri", Map.of("role_name", "app_user"), null)
            .status());
    deleteBranch(branchId);
  }

  @Test
  void endpointsSuspendAndStart() throws Exception {
    String branchId = createReadyBranch("computes", "");
    JsonNode endpoint =
        api.get(project + "/branches/" + branchId + "/endpoints").get("endpoints").get(0);
    String endpointId = endpoint.get("id").asText();
    assertTrue(
        fieldSet(api.get(project + "/endpoints").get("endpoints"), "id").contains(endpointId));
    try (Connection session = connect(connectionUri(branchId, "neondb", "neondb_owner"))) {
      Answer suspended =
          api.post(project + "/endpoints/" + endpointId + "/suspend", null).expect(200);
      api.awaitOperations(neon.projectId(), suspended);
      assertEquals(
          "idle",
          api.get(project + "/endpoints/" + endpointId)
              .get("endpoint")
              .get("current_state")
              .asText());
      assertFalse(session.isValid(2), "suspending ends open sessions");
    }
    Answer started = api.post(project + "/endpoints/" + endpointId + "/start", null).expect(200);
    api.awaitOperations(neon.projectId(), started);
    assertEquals(
        "active",
        api.get(project + "/endpoints/" + endpointId)
            .get("endpoint")
            .get("current_state")
            .asText());
    deleteBranch(branchId);
  }

  @Test
  void setAsDefaultAndRestoreWithPreservedState() throws Exception {
    String source = createReadyBranch("restore-source", "");
    String target = createReadyBranch("restore-target", "");
    execute(connectionUri(source, "neondb", "neondb_owner"), "CREATE TABLE from_source (x int)");
    execute(connectionUri(target, "neondb", "neondb_owner"), "CREATE TABLE from_target (x int)");
    Answer restored =
        api.post(
                project + "/branches/" + target + "/restore",
                "{\"source_branch_id\":\""
                    + source
                    + "\",\"preserve_under_name\":\"target-before-restore\"}")
            .expect(200);
    api.awaitOperations(neon.projectId(), restored);
    String targetUri = connectionUri(target, "neondb", "neondb_owner");
    assertTrue(tableExists(targetUri, "from_source"), "the target now holds the source's state");
    assertFalse(tableExists(targetUri, "from_target"));
    String preserved =
        api.get(project + "/branches", Map.of("search", "target-before-restore"))
            .get("branches")
            .get(0)
            .get("id")
            .asText();
    addCompute(preserved);
    assertTrue(
        tableExists(connectionUri(preserved, "neondb", "neondb_owner"), "from_target"),
        "the old state is kept under the preserved name");

    String previousDefault = defaultBranchId();
    api.post(project + "/branches/" + target + "/set_as_default", null).expect(200);
    assertEquals(target, defaultBranchId());
    assertFalse(
        api.get(project + "/branches/" + previousDefault).get("branch").get("default").asBoolean());
    api.post(project + "/branches/" + previousDefault + "/set_as_default", null).expect(200);
    for (String id : List.of(preserved, target, source)) {
      deleteBranch(id);
    }
  }

  @Test
  void aRestoreKeepsTheBranchsConnectionStringAndEndpoint() throws Exception {
    String source = createReadyBranch("keep-uri-source", "");
    String target = createReadyBranch("keep-uri-target", "");
    String endpointBefore =
        api.get(project + "/branches/" + target + "/endpoints")
            .get("endpoints")
            .get(0)
            .get("id")
            .asText();
    String uriBefore = connectionUri(target, "neondb", "neondb_owner");
    execute(connectionUri(source, "neondb", "neondb_owner"), "CREATE TABLE only_in_source (x int)");
    execute(uriBefore, "CREATE TABLE only_in_target (x int)");

    Answer restored =
        api.post(
                project + "/branches/" + target + "/restore",
                "{\"source_branch_id\":\"" + source + "\"}")
            .expect(200);
    api.awaitOperations(neon.projectId(), restored);

    assertEquals(uriBefore, connectionUri(target, "neondb", "neondb_owner"), "same URI");
    assertTrue(tableExists(uriBefore, "only_in_source"), "the old URI reaches the new data");
    assertFalse(tableExists(uriBefore, "only_in_target"), "the old data is gone");
    assertEquals(
        endpointBefore,
        api.get(project + "/branches/" + target + "/endpoints")
            .get("endpoints")
            .get(0)
            .get("id")
            .asText(),
        "the endpoint stays");
    assertEquals(
        api.get(project + "/branches/" + target).get("branch").get("parent_id").asText(),
        defaultBranchId(),
        "the source does not become the restored branch's parent, so it can still be deleted");
    for (String id : List.of(target, source)) {
      deleteBranch(id);
    }
  }

  @Test
  void restoringABranchWithChildrenNeedsPreserveUnderNameAndMovesTheChildren() {
    String source = createReadyBranch("children-source", "");
    String target = createReadyBranch("children-target", "");
    String child = createReadyBranch("children-child", ",\"parent_id\":\"" + target + "\"");
    Answer refused =
        api.post(
                project + "/branches/" + target + "/restore",
                "{\"source_branch_id\":\"" + source + "\"}")
            .expect(400);
    assertTrue(refused.get("message").asText().contains("preserve_under_name"), refused.toString());

    Answer restored =
        api.post(
                project + "/branches/" + target + "/restore",
                "{\"source_branch_id\":\""
                    + source
                    + "\",\"preserve_under_name\":\"children-target-old\"}")
            .expect(200);
    api.awaitOperations(neon.projectId(), restored);
    String preserved =
        api.get(project + "/branches", Map.of("search", "children-target-old"))
            .get("branches")
            .get(0)
            .get("id")
            .asText();
    assertEquals(
        preserved,
        api.get(project + "/branches/" + child).get("branch").get("parent_id").asText(),
        "the child moved to the preserved branch");
    for (String id : List.of(child, preserved, target, source)) {
      deleteBranch(id);
    }
  }

  @Test
  void operationsAreListedNewestFirstWithACursor() {
    String branchId = createReadyBranch("ops", "");
    Answer page = api.get(project + "/operations", Map.of("limit", "1")).expect(200);
    assertEquals(1, page.get("operations").size());
    String cursor = page.get("pagination").get("cursor").asText();
    Answer next =
        api.get(project + "/operations", Map.of("limit", "1", "cursor", cursor)).expect(200);
    assertNotEquals(
        page.get("operations").get(0).get("id"), next.get("operations").get(0).get("id"));
    assertEquals(404, api.get(project + "/operations/" + UUID.randomUUID()).status());
    deleteBranch(branchId);
  }

  @Test
  void faultsAreInjectedPerOperation() {
    neon.faults().failNext("getProject", 503, 2);
    assertEquals(503, api.get(project).status());
    assertEquals(503, api.get(project).status());
    assertEquals(200, api.get(project).status());
    neon.faults().delay("getProject", Duration.ofMillis(300));
    long started = System.nanoTime();
    api.get(project).expect(200);
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(300).toNanos());
    neon.faults().clear();
    neon.faults().seed(7).failRandomly("countProjectBranches", 429, 0.5);
    Set<Integer> statuses = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(api.get(project + "/branches/count").status());
    }
    neon.faults().clear();
    assertEquals(Set.of(200, 429), statuses);
    assertTrue(
        neon.requests().stream()
            .anyMatch(r -> r.operation().equals("getProject") && r.status() == 503));
  }

  @Test
  void aSessionOnTheParentDoesNotBlockBranching() throws Exception {
    String parent = createReadyBranch("busy-parent", "");
    String uri = connectionUri(parent, "neondb", "neondb_owner");
    execute(uri, "CREATE TABLE busy (x int); INSERT INTO busy VALUES (1)");
    try (Connection held = connect(uri)) {
      Answer child =
          api.post(
                  project + "/branches",
                  "{\"branch\":{\"parent_id\":\""
                      + parent
                      + "\"},\"endpoints\":[{\"type\":\"read_write\"}]}")
              .expect(201);
      api.awaitOperations(neon.projectId(), child);
      String childId = child.get("branch").get("id").asText();
      assertEquals(1, count(connectionUri(childId, "neondb", "neondb_owner"), "busy"));
      assertTrue(held.isValid(2), "the parent's session survives");
      deleteBranch(childId);
    }
    deleteBranch(parent);
  }

  // ---- helpers

  static String defaultBranchId() {
    for (JsonNode branch : api.get(project + "/branches").expect(200).get("branches")) {
      if (branch.get("default").asBoolean()) {
        return branch.get("id").asText();
      }
    }
    throw new AssertionError("no default branch");
  }

  static String createReadyBranch(String name, String extraBranchFields) {
    Answer created =
        api.post(
                project + "/branches",
                "{\"branch\":{\"name\":\""
                    + name
                    + "\""
                    + extraBranchFields
                    + "},\"endpoints\":[{\"type\":\"read_write\"}]}")
            .expect(201);
    api.awaitOperations(neon.projectId(), created);
    return created.get("branch").get("id").asText();
  }

  /** A read_write compute for a branch made without one, started. */
  static void addCompute(String branchId) {
    Answer added =
        api.post(
                project + "/endpoints",
                "{\"endpoint\":{\"branch_id\":\"" + branchId + "\",\"type\":\"read_write\"}}")
            .expect(201);
    api.awaitOperations(neon.projectId(), added);
  }

  void deleteBranch(String branchId) {
    Answer deleted = api.delete(project + "/branches/" + branchId).expect(200);
    api.awaitOperations(neon.projectId(), deleted);
  }

  static String connectionUri(String branchId, String database, String role) {
    return api.connectionUri(neon.projectId(), branchId, database, role);
  }

  static Connection connect(String uri) throws SQLException {
    java.net.URI parsed = java.net.URI.create(uri);
    String[] credentials = parsed.getRawUserInfo().split(":", 2);
    Properties properties = new Properties();
    properties.setProperty(
        "user",
        java.net.URLDecoder.decode(credentials[0], java.nio.charset.StandardCharsets.UTF_8));
    properties.setProperty(
        "password",
        java.net.URLDecoder.decode(credentials[1], java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(
        uri.endsWith("?sslmode=require&channel_binding=require"),
        "URIs demand SSL and channel binding, as Neon's do");
    properties.setProperty("channelBinding", "require");
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + parsed.getHost()
            + ":"
            + parsed.getPort()
            + parsed.getRawPath()
            + "?sslmode=require",
        properties);
  }

  static void execute(String uri, String sql) throws SQLException {
    try (Connection connection = connect(uri);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static long count(String uri, String table) throws SQLException {
    try (Connection connection = connect(uri);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static boolean tableExists(String uri, String table) throws SQLException {
    try (Connection connection = connect(uri);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  static List<String> names(Answer answer) {
    List<String> names = new ArrayList<>();
    answer.get("branches").forEach(b -> names.add(b.get("name").asText()));
    return names;
  }

  static Set<String> fieldSet(JsonNode array, String field) {
    Set<String> values = new HashSet<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }
}
