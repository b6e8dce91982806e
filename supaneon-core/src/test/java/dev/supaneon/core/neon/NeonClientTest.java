package dev.supaneon.core.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.NeonClient.BranchCreation;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against neon-local with injected faults; waits are recorded, not slept. */
class NeonClientTest {

  static NeonLocal neon;
  final List<Duration> waits = new ArrayList<>();
  NeonClient client;

  @BeforeAll
  static void start() {
    neon = CoreTestEnvironment.neonLocal(10);
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  @BeforeEach
  void newClient() {
    neon.faults().clear();
    neon.clearRequests();
    NeonClientOptions options =
        NeonClientOptions.defaults()
            .withSleeper(waits::add, Clock.systemUTC())
            .withRetryPolicy(
                new RetryPolicy(
                    6, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1)));
    client = new NeonClient(settings(neon.apiKey()), options);
  }

  static dev.supaneon.core.config.NeonSettings settings(String key) {
    return new SettingsBuilder()
        .set(Setting.NEON_API_KEY, key)
        .set(Setting.NEON_PROJECT_ID, neon.projectId())
        .set(Setting.NEON_API_URL, neon.apiUrl())
        .neon();
  }

  @Test
  void lockedRateLimitedAndUnavailableAnswersAreRetriedWithGrowingWaits() {
    neon.faults()
        .failNext("getProject", 423, 2)
        .failNext("getProject", 429, 1)
        .failNext("getProject", 503, 1);
    Project project = client.getProject();
    assertEquals(neon.projectId(), project.id());
    assertEquals(4, waits.size(), waits.toString());
    for (int i = 0; i < waits.size(); i++) {
      long ceiling = Math.min(200L << i, 2000);
      assertTrue(
          waits.get(i).toMillis() >= ceiling / 2 && waits.get(i).toMillis() <= ceiling,
          "wait " + i + " = " + waits.get(i) + " within [" + ceiling / 2 + ", " + ceiling + "]");
    }
    assertEquals(
        5, neon.requests().stream().filter(r -> r.operation().equals("getProject")).count());
  }

  @Test
  void retriesStopAtTheLimitWithNeonsErrorDetails() {
    neon.faults().failNext("getProject", 503, 10);
    NeonApiException error = assertThrows(NeonApiException.class, () -> client.getProject());
    assertEquals(503, error.status());
    assertFalse(error.requestId().isEmpty());
    assertTrue(error.getMessage().contains("request_id"), error.getMessage());
    assertEquals(5, waits.size());
  }

  @Test
  void aWrongKeyIsA401ThatNamesTheSettingAndNotTheKey() {
    try (NeonClient wrong = new NeonClient(settings("canary-wrong-key-5521"))) {
      NeonApiException error = assertThrows(NeonApiException.class, wrong::getProject);
      assertEquals(401, error.status());
      assertTrue(error.getMessage().contains("NEON_API_KEY"), error.getMessage());
      assertFalse(error.getMessage().contains("canary-wrong-key-5521"));
    }
  }

  @Test
  void aCreationWhoseAnswerWasLostIsFoundByNameAndNotSentAgain() {
    neon.faults().failAfterApplying("createProjectBranch", 500, 1);
    BranchCreation creation =
        new BranchCreation(
            "lost-answer",
            Optional.empty(),
            Optional.empty(),
            true,
            Map.of(NeonClient.RUN_ID_ANNOTATION, "run-lost"));
    CreatedBranch created = client.createBranch(creation);
    assertEquals("lost-answer", created.branch().name());
    assertTrue(created.branch().isReady());
    List<RecordedRequest> posts =
        neon.requests().stream().filter(r -> r.operation().equals("createProjectBranch")).toList();
    assertEquals(1, posts.size(), "one POST only: " + posts);
    assertEquals(
        1, client.listBranches().stream().filter(b -> b.name().equals("lost-answer")).count());
    client.deleteBranch(created.branch().id()).ifPresent(client::awaitOperations);
  }

  @Test
  void aCreationRefusedBeforeItRanIsSentAgain() {
    neon.faults().failNext("createProjectBranch", 503, 1).failNext("createProjectBranch", 423, 1);
    CreatedBranch created =
        client.createBranch(
            new BranchCreation(
                "refused-then-made",
                Optional.empty(),
                Optional.empty(),
                false,
                Map.of(NeonClient.RUN_ID_ANNOTATION, "run-2")));
    client.awaitOperations(created.operations());
    assertEquals(
        3,
        neon.requests().stream().filter(r -> r.operation().equals("createProjectBranch")).count());
    assertEquals(
        1,
        client.listBranches().stream().filter(b -> b.name().equals("refused-then-made")).count());
    client.deleteBranch(created.branch().id()).ifPresent(client::awaitOperations);
  }

  @Test
  void aLostAnswerForABranchSomeoneElseMadeIsAConflict() {
    CreatedBranch theirs =
        client.createBranch(
            new BranchCreation(
                "taken-name",
                Optional.empty(),
                Optional.empty(),
                false,
                Map.of(NeonClient.RUN_ID_ANNOTATION, "their-run")));
    client.awaitOperations(theirs.operations());
    // Our creation's answer is lost (a 500): the client looks the name up, finds a branch that
    // another run made, and says so instead of taking it.
    neon.faults().failNext("createProjectBranch", 500, 1);
    NeonApiException conflict =
        assertThrows(
            NeonApiException.class,
            () ->
                client.createBranch(
                    new BranchCreation(
                        "taken-name",
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Map.of(NeonClient.RUN_ID_ANNOTATION, "my-run"))));
    assertEquals(409, conflict.status());
    assertTrue(
        conflict.getMessage().contains("was not created by this run"), conflict.getMessage());
    client.deleteBranch(theirs.branch().id()).ifPresent(client::awaitOperations);
  }

  @Test
  void listingFollowsTheCursorThroughEveryPage() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CreatedBranch branch =
          client.createBranch(
              new BranchCreation(
                  "paged-" + i, Optional.empty(), Optional.empty(), false, Map.of()));
      client.awaitOperations(branch.operations());
      created.add(branch.branch().id());
    }
    neon.clearRequests();
    try (NeonClient paging =
        new NeonClient(settings(neon.apiKey()), NeonClientOptions.defaults().withPageSize(2))) {
      List<Branch> listed = paging.listBranches();
      assertEquals(4, listed.size(), "the main branch and three more, over two pages");
      assertEquals(4, listed.stream().map(Branch::id).distinct().count(), "no branch listed twice");
    }
    assertTrue(
        neon.requests().stream().filter(r -> r.operation().equals("listProjectBranches")).count()
            >= 2,
        "more than one page was asked for");
    for (String id : created) {
      client.deleteBranch(id).ifPresent(client::awaitOperations);
    }
    assertEquals(Optional.empty(), client.deleteBranch(created.get(0)), "already gone: 204");
  }

  @Test
  void aRetryAfterAnswerIsWaitedAsLongAsItAsks() {
    AtomicInteger calls = new AtomicInteger();
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  Response real = chain.proceed(chain.request());
                  if (calls.getAndIncrement() > 0) {
                    return real;
                  }
                  real.close();
                  return real.newBuilder()
                      .code(429)
                      .message("Too Many Requests")
                      .header("Retry-After", "7")
                      .body(
                          ResponseBody.create(
                              "{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"slow down\"}",
                              MediaType.get("application/json")))
                      .build();
                });
    NeonClientOptions options =
        NeonClientOptions.defaults().withSleeper(waits::add, Clock.systemUTC());
    try (NeonClient patient = new NeonClient(settings(neon.apiKey()), options, http)) {
      patient.getProject();
    }
    assertEquals(List.of(Duration.ofSeconds(7)), waits, "Neon's Retry-After, not the backoff");
    assertEquals(2, calls.get());
  }
}
