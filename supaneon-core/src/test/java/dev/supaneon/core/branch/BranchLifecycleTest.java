package dev.supaneon.core.branch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonApiException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.RetryPolicy;
import dev.supaneon.core.neon.Sleeper;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.ManualClock;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The branch lifecycle's retry rules against neon-local with injected faults. Time is a manual
 * clock that only the recorded "sleeps" move: nothing here waits for real.
 */
class BranchLifecycleTest {

  static NeonLocal neon;
  static NeonSettings settings;

  // Early in a real second (neon-local checks expiries against its own, real clock), so that a
  // creation's polls do not carry the clock into the next second.
  final ManualClock clock =
      new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(100));

  /** The lifecycle's own waits: for the next second, for room. */
  final List<Duration> sleeps = new ArrayList<>();

  /** The client's waits: backoff between retries and polls of operations. */
  final List<Duration> clientSleeps = new ArrayList<>();

  Consumer<Duration> onSleep = clock::advance;

  /** What the client's waits do: by default they move the clock and take no real time. */
  Consumer<Duration> onClientSleep = clock::advance;

  final List<String> logged = new ArrayList<>();
  NeonClient client;
  BranchLifecycle lifecycle;
  Branch parent;

  @BeforeAll
  static void start() {
    neon = CoreTestEnvironment.neonLocal(4);
    settings =
        new SettingsBuilder()
            .set(Setting.NEON_API_KEY, neon.apiKey())
            .set(Setting.NEON_PROJECT_ID, neon.projectId())
            .set(Setting.NEON_API_URL, neon.apiUrl())
            .neon();
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  @BeforeEach
  void newLifecycle() {
    neon.faults().clear();
    neon.clearRequests();
    Sleeper lifecycleSleeper =
        duration -> {
          sleeps.add(duration);
          onSleep.accept(duration);
        };
    Sleeper clientSleeper =
        duration -> {
          clientSleeps.add(duration);
          onClientSleep.accept(duration);
        };
    NeonClientOptions options =
        NeonClientOptions.defaults()
            .withSleeper(clientSleeper, clock)
            .withRetryPolicy(
                new RetryPolicy(
                    6, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1)));
    client = new NeonClient(settings, options);
    lifecycle = new BranchLifecycle(client, clock, lifecycleSleeper, logged::add);
    parent = lifecycle.inventory().defaultBranch().orElseThrow();
  }

  @AfterEach
  void deleteWhatTheTestMade() {
    try {
      neon.faults().clear();
      for (Branch branch : client.listBranches()) {
        if (!branch.isDefault()) {
          lifecycle.delete(branch);
        }
      }
    } finally {
      client.close();
    }
  }

  BranchLifecycle.Request backupRequest(String runId) {
    return BranchLifecycle.Request.of(
        TimestampedName.BACKUP, parent, clock.instant().plus(Duration.ofHours(2)), runId);
  }

  List<RecordedRequest> branchCreations() {
    return neon.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/branches"))
        .toList();
  }

  /**
   * The client's waits (polls of operations, backoff before a retry) take real time and leave the
   * clock alone: only the lifecycle's own waits move it, so runs start in one second however slow
   * neon-local is, and a retry comes after neon-local's operations have had time to finish.
   */
  void pollsTakeRealTimeNotClockTime() {
    onClientSleep =
        duration -> {
          try {
            Thread.sleep(duration.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
  }

  @Test
  void aNameTakenInTheSameSecondMakesTheRunTakeTheNextSecondsName() {
    pollsTakeRealTimeNotClockTime();
    Instant second = clock.instant();
    lifecycle.create(backupRequest("first-run"));
    neon.clearRequests();
    Duration restOfTheSecond = Duration.ofMillis(1000 - clock.millis() % 1000 + 10);

    CreatedBranch created = lifecycle.create(backupRequest("second-run"));

    assertEquals(
        TimestampedName.BACKUP.format(second.plusSeconds(1)),
        created.branch().name(),
        "the second run waited into the next second and took its name");
    assertEquals(List.of(restOfTheSecond), sleeps, "it waited until the next second");
    assertEquals(
        List.of(
            "branch "
                + TimestampedName.BACKUP.format(second)
                + " exists already (another run this second); taking a new name"),
        logged);
    assertEquals(
        List.of(409, 201),
        branchCreations().stream().map(RecordedRequest::status).toList(),
        "the first attempt was refused as a duplicate name");
    assertEquals(List.of(created.branch().id()), idsOfRun("second-run"));
  }

  @Test
  void aNameThatStaysTakenFailsAfterABoundedNumberOfAttempts() {
    pollsTakeRealTimeNotClockTime();
    lifecycle.create(backupRequest("first-run"));
    onSleep = duration -> {}; // time stands still: every attempt gets the same name
    NeonApiException conflict =
        assertThrows(NeonApiException.class, () -> lifecycle.create(backupRequest("second-run")));
    assertEquals(409, conflict.status());
    assertEquals(BranchLifecycle.NAME_ATTEMPTS - 1, sleeps.size());
  }

  @Test
  void testBranchNamesCarryARandomSuffixSoAConflictRetriesAtOnce() {
    BranchLifecycle.Request request =
        BranchLifecycle.Request.of(
            TimestampedName.TEST, parent, clock.instant().plus(Duration.ofHours(1)), "run");
    // The name is taken before the creation's polls move the clock, maybe into the next second.
    Instant named = clock.instant();
    CreatedBranch first = lifecycle.create(request);
    CreatedBranch second = lifecycle.create(request);
    assertTrue(
        first.branch().name().startsWith(TimestampedName.TEST.format(named) + "-"),
        first.branch().name());
    assertTrue(!first.branch().name().equals(second.branch().name()), "distinct names");
    assertEquals(List.of(), sleeps, "no waiting for the next second");
  }

  @Test
  void lockedProjectAnswers423AreRetriedWithBackoffAndNoRealWaiting() {
    neon.faults().failNext("createProjectBranch", 423, 2);
    CreatedBranch created = lifecycle.create(backupRequest("locked-run"));
    assertTrue(client.findBranch(created.branch().id()).isPresent());
    assertEquals(
        List.of(423, 423, 201), branchCreations().stream().map(RecordedRequest::status).toList());
    List<Duration> backoff = clientSleeps.subList(0, 2);
    assertTrue(
        backoff.get(0).toMillis() >= 100 && backoff.get(0).toMillis() <= 200,
        "the first retry waits half to all of 200 ms: " + clientSleeps);
    assertTrue(
        backoff.get(1).toMillis() >= 200 && backoff.get(1).toMillis() <= 400,
        "the second waits twice as long: " + clientSleeps);
    assertEquals(List.of(), sleeps, "a 423 is the client's to retry, not a name conflict");
  }

  @Test
  void aLostAnswerToTheCreationIsLookedUpByNameAndNotSentTwice() {
    neon.faults().failAfterApplying("createProjectBranch", 500, 1);
    CreatedBranch created = lifecycle.create(backupRequest("lost-answer-run"));
    assertEquals(
        List.of(500),
        branchCreations().stream().map(RecordedRequest::status).toList(),
        "the creation was not sent again");
    assertEquals(List.of(created.branch().id()), idsOfRun("lost-answer-run"));
  }

  @Test
  void aCreationAppliedThenAnswered503AndResentAdoptsItsOwnBranchInsteadOfMakingASecond() {
    // A resend within milliseconds would meet the first creation's operation still running (423)
    // on every attempt; a real client waits before it resends.
    pollsTakeRealTimeNotClockTime();
    // 503 promises nothing was applied, so the client sends it again; this one was applied.
    neon.faults().failAfterApplying("createProjectBranch", 503, 1);
    Instant second = clock.instant();
    CreatedBranch created = lifecycle.create(backupRequest("resent-run"));
    List<Integer> statuses = branchCreations().stream().map(RecordedRequest::status).toList();
    assertEquals(503, statuses.get(0), "the applied creation was answered 503: " + statuses);
    assertEquals(409, statuses.get(statuses.size() - 1), "the resent one met its own branch");
    assertTrue(!statuses.contains(201), "no second branch was created: " + statuses);
    assertEquals(TimestampedName.BACKUP.format(second), created.branch().name());
    assertEquals(List.of(created.branch().id()), idsOfRun("resent-run"), "one branch, not two");
    assertEquals(List.of(), sleeps, "no new name was needed");
  }

  List<String> idsOfRun(String runId) {
    return client.listBranches().stream()
        .filter(b -> runId.equals(b.annotation().get("supaneon-run-id")))
        .map(Branch::id)
        .toList();
  }

  @Test
  void aFullProjectFailsAtOnceUnlessTheCallerWaitsForRoom() {
    // The project holds 4: the default branch and three more.
    List<CreatedBranch> filling = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      filling.add(lifecycle.create(testRequest().waitingForRoom(Duration.ZERO)));
    }
    NeonApiException full =
        assertThrows(NeonApiException.class, () -> lifecycle.create(testRequest()));
    assertTrue(full.isBranchLimit(), full.getMessage());
    assertEquals(List.of(), sleeps);

    // Another test's branch goes while this one waits: the second attempt finds room.
    onSleep =
        duration -> {
          clock.advance(duration);
          if (sleeps.size() == 2) {
            lifecycle.delete(filling.get(0).branch());
          }
        };
    CreatedBranch created = lifecycle.create(testRequest().waitingForRoom(Duration.ofMinutes(10)));
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeps);
    assertTrue(created.branch().name().startsWith("supaneon-test-"));
  }

  @Test
  void waitingForRoomGivesUpAtTheDeadlineOfTheInjectedClock() {
    for (int i = 0; i < 3; i++) {
      lifecycle.create(testRequest());
    }
    NeonApiException full =
        assertThrows(
            NeonApiException.class,
            () -> lifecycle.create(testRequest().waitingForRoom(Duration.ofMinutes(2))));
    assertTrue(full.isBranchLimit());
    Duration waited = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    assertTrue(waited.compareTo(Duration.ofMinutes(2)) >= 0, "waited out the patience: " + waited);
    assertTrue(
        sleeps.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(10)) <= 0), "" + sleeps);
  }

  BranchLifecycle.Request testRequest() {
    return BranchLifecycle.Request.of(
        TimestampedName.TEST, parent, clock.instant().plus(Duration.ofHours(1)), "test-run");
  }

  @Test
  void theRequestsAnnotationCarriesTheRunIdTheKindAndTheCallersOwn() {
    CreatedBranch created =
        lifecycle.create(backupRequest("run-a").withAnnotation("supaneon-test", "SomeTest"));
    assertEquals(
        java.util.Map.of(
            NeonClient.RUN_ID_ANNOTATION,
            "run-a",
            BranchLifecycle.KIND_ANNOTATION,
            TimestampedName.BACKUP.kind(),
            "supaneon-test",
            "SomeTest"),
        client.findBranch(created.branch().id()).orElseThrow().annotation());
  }

  @Test
  void aBranchExpiresARunsTimeoutPlusTheMarginAfterNow() {
    assertEquals(
        clock.instant().plus(Duration.ofHours(3)).plus(BranchLifecycle.EXPIRY_MARGIN),
        lifecycle.expiryFor(Duration.ofHours(3)));
    assertEquals(clock, lifecycle.clock());
  }

  @Test
  void aLastingBranchHasNoExpiryAndASecondRunTakesTheSameBranch() {
    CreatedBranch first = lifecycle.createLasting("standby-x", "standby", parent, "run-1");
    Branch stored = client.findBranch(first.branch().id()).orElseThrow();
    assertTrue(stored.expiry().isEmpty(), "no expiry");
    assertEquals("standby", stored.annotation().get(BranchLifecycle.KIND_ANNOTATION));
    assertEquals(1, client.listBranchEndpoints(stored.id()).size(), "it has a compute");
    assertEquals("ready", stored.currentState());

    CreatedBranch second = lifecycle.createLasting("standby-x", "standby", parent, "run-2");
    assertEquals(first.branch().id(), second.branch().id(), "the same branch, taken as it is");
    assertEquals("ready", second.branch().currentState());
    assertEquals(1, second.endpoints().size());
  }

  @Test
  void aBranchOfTheLastingNameThatSupaneonDidNotMakeIsAFailureThatSaysSo() {
    lifecycle.createLasting("standby-y", "restore-target", parent, "run-1");
    dev.supaneon.core.SupaneonException failure =
        assertThrows(
            dev.supaneon.core.SupaneonException.class,
            () -> lifecycle.createLasting("standby-y", "standby", parent, "run-2"));
    assertEquals(
        "A branch named standby-y exists, but supaneon did not make it as its standby",
        failure.getMessage());
  }

  @Test
  void anotherRefusalOfALastingBranchIsPassedOn() {
    neon.faults().failNext("createProjectBranch", 400, 1);
    NeonApiException refused =
        assertThrows(
            NeonApiException.class,
            () -> lifecycle.createLasting("standby-z", "standby", parent, "run-1"));
    assertEquals(400, refused.status());
  }

  @Test
  void clearingTheExpiryLeavesTheBranchWithoutOne() {
    CreatedBranch created = lifecycle.create(backupRequest("run-c"));
    assertTrue(client.findBranch(created.branch().id()).orElseThrow().expiry().isPresent());
    Branch cleared = lifecycle.clearExpiry(created.branch());
    assertTrue(cleared.expiry().isEmpty());
    assertEquals(created.branch().id(), cleared.id());
    assertTrue(client.findBranch(created.branch().id()).orElseThrow().expiry().isEmpty());
  }

  @Test
  void clearingTheExpiryOfABranchThatIsGoneFails() {
    CreatedBranch created = lifecycle.create(backupRequest("run-d"));
    lifecycle.delete(created.branch());
    assertThrows(RuntimeException.class, () -> lifecycle.clearExpiry(created.branch()));
  }

  @Test
  void suspendingCountsOnlyComputesThatWereRunning() {
    CreatedBranch created = lifecycle.create(backupRequest("run-e"));
    assertEquals(1, lifecycle.suspendEndpoints(created.branch()), "its compute was running");
    assertEquals(
        List.of("idle"),
        client.listBranchEndpoints(created.branch().id()).stream()
            .map(e -> e.currentState())
            .toList());
    assertEquals(0, lifecycle.suspendEndpoints(created.branch()), "nothing left to suspend");
  }

  @Test
  void aDeletedBranchIsGoneWhenDeleteReturnsAndDeletingItAgainIsFine() {
    CreatedBranch created = lifecycle.create(backupRequest("run-f"));
    lifecycle.delete(created.branch().id());
    assertTrue(client.findBranch(created.branch().id()).isEmpty());
    lifecycle.delete(created.branch());
    assertTrue(client.findBranch(created.branch().id()).isEmpty());
  }

  @Test
  void theConnectionUrlNamesTheBranchsDatabaseAndRole() {
    CreatedBranch created = lifecycle.create(backupRequest("run-g"));
    var url = lifecycle.connectionUrl(created.branch(), "neondb", "neondb_owner");
    assertEquals("neondb_owner", url.user());
    assertTrue(url.database().endsWith("neondb"), url.database());
    assertTrue(!url.password().isEmpty());
  }
}
