package dev.supaneon.core.branch;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.Endpoint;
import dev.supaneon.core.neon.NeonApiException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClient.BranchCreation;
import dev.supaneon.core.neon.NeonClient.CreatedBranch;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.neon.Sleeper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way supaneon makes, waits for, finishes and ends branches; backups, restore tests and
 * test branches all go through it.
 *
 * <p>A branch is created with an expiry, so a run that dies leaves a branch that deletes itself.
 * Creation retries what Neon allows to be retried: a name taken by another run in the same second
 * (409) takes the next second's name; 423, 429 and 503 answers and lost answers are retried by
 * {@link NeonClient}; a full project ({@code BRANCHES_LIMIT_EXCEEDED}) is waited out when the
 * caller asks for it. Time and waiting come from the injected {@link Clock} and {@link Sleeper}, so
 * tests exercise every retry without waiting.
 */
public final class BranchLifecycle {

  /** Added to a run's timeout for the expiry of the branch it makes. */
  public static final Duration EXPIRY_MARGIN = Duration.ofHours(1);

  /** Annotation key that says which kind of supaneon branch this is. */
  public static final String KIND_ANNOTATION = "supaneon-kind";

  /** How many names a creation tries before a 409 is final. */
  static final int NAME_ATTEMPTS = 6;

  private static final Duration FIRST_ROOM_WAIT = Duration.ofMillis(500);
  private static final Duration LONGEST_ROOM_WAIT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What to create: a branch of {@code kind} from {@code parent}, expiring at {@code expiresAt},
   * annotated with the run id and {@code extraAnnotation}; while the project is full, wait up to
   * {@code waitForRoom} for another branch to go (zero: fail at once).
   */
  public record Request(
      TimestampedName kind,
      Branch parent,
      Instant expiresAt,
      String runId,
      Map<String, String> extraAnnotation,
      Duration waitForRoom) {

    public Request {
      extraAnnotation = Map.copyOf(extraAnnotation);
    }

    public static Request of(TimestampedName kind, Branch parent, Instant expiresAt, String runId) {
      return new Request(kind, parent, expiresAt, runId, Map.of(), Duration.ZERO);
    }

    public Request waitingForRoom(Duration patience) {
      return new Request(kind, parent, expiresAt, runId, extraAnnotation, patience);
    }

    public Request withAnnotation(String key, String value) {
      Map<String, String> annotation = new LinkedHashMap<>(extraAnnotation);
      annotation.put(key, value);
      return new Request(kind, parent, expiresAt, runId, annotation, waitForRoom);
    }

    Map<String, String> annotation() {
      Map<String, String> annotation = new LinkedHashMap<>();
      annotation.put(NeonClient.RUN_ID_ANNOTATION, runId);
      annotation.put(KIND_ANNOTATION, kind.kind());
      annotation.putAll(extraAnnotation);
      return annotation;
    }
  }

  private final NeonClient neon;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Consumer<String> log;

  public BranchLifecycle(NeonClient neon, Clock clock, Sleeper sleeper, Consumer<String> log) {
    this.neon = neon;
    this.clock = clock;
    this.sleeper = sleeper;
    this.log = log;
  }

  /** With the run's clock, and the sleeper and log of the client's options. */
  public static BranchLifecycle of(NeonClient neon, Clock clock, NeonClientOptions options) {
    return new BranchLifecycle(neon, clock, options.sleeper(), options.log());
  }

  /** The clock every instant of the lifecycle comes from. */
  Clock clock() {
    return clock;
  }

  /** The expiry for a branch that a run of at most {@code runTimeout} makes now. */
  public Instant expiryFor(Duration runTimeout) {
    return clock.instant().plus(runTimeout).plus(EXPIRY_MARGIN);
  }

  /** The project's branches as supaneon sees them. */
  public BackupInventory inventory() {
    return new BackupInventory(neon.listBranches());
  }

  /** Creates the branch and waits until its operations have finished. */
  public CreatedBranch create(Request request) {
    Instant giveUpWaitingForRoom = clock.instant().plus(request.waitForRoom());
    Duration roomWait = FIRST_ROOM_WAIT;
    int nameAttempts = 0;
    while (true) {
      String name = name(request.kind());
      try {
        CreatedBranch created =
            neon.createBranch(
                new BranchCreation(
                    name,
                    Optional.of(request.parent().id()),
                    Optional.of(request.expiresAt()),
                    true,
                    request.annotation()));
        neon.awaitOperations(created.operations());
        return created;
      } catch (NeonApiException e) {
        if (e.status() == 409) {
          // Our own creation, applied although its answer was lost and the call was sent again?
          Optional<CreatedBranch> ours = ours(name, request);
          if (ours.isPresent()) {
            return ours.get();
          }
        }
        if (e.status() == 409 && ++nameAttempts < NAME_ATTEMPTS) {
          log.accept(
              "branch " + name + " exists already (another run this second); taking a new name");
          if (!request.kind().randomSuffix()) {
            sleep(untilNextSecond());
          }
        } else if (e.isBranchLimit() && clock.instant().isBefore(giveUpWaitingForRoom)) {
          sleep(roomWait);
          roomWait = min(roomWait.multipliedBy(2), LONGEST_ROOM_WAIT);
        } else {
          throw e;
        }
      }
    }
  }

  /** The branch of that name, if this request's own creation made it. */
  private Optional<CreatedBranch> ours(String name, Request request) {
    Optional<Branch> existing = neon.findBranchByName(name);
    if (existing.isEmpty() || !existing.get().annotation().equals(request.annotation())) {
      return Optional.empty();
    }
    Branch ready = neon.awaitBranchReady(existing.get().id());
    return Optional.of(new CreatedBranch(ready, neon.listBranchEndpoints(ready.id()), List.of()));
  }

  /**
   * Creates a lasting branch of a fixed name (no expiry, a read-write endpoint), such as the
   * standby, and waits for it. A branch of that name made by another run with the same annotation
   * is taken as it is; one made by anyone else is a failure that says so.
   */
  public CreatedBranch createLasting(String name, String kind, Branch parent, String runId) {
    Map<String, String> annotation = new LinkedHashMap<>();
    annotation.put(NeonClient.RUN_ID_ANNOTATION, runId);
    annotation.put(KIND_ANNOTATION, kind);
    try {
      CreatedBranch created =
          neon.createBranch(
              new BranchCreation(
                  name, Optional.of(parent.id()), Optional.empty(), true, annotation));
      neon.awaitOperations(created.operations());
      return created;
    } catch (NeonApiException e) {
      if (e.status() != 409) {
        throw e;
      }
      Branch existing = neon.findBranchByName(name).orElseThrow(() -> e);
      if (!kind.equals(existing.annotation().get(KIND_ANNOTATION))) {
        throw new SupaneonException(
            "A branch named " + name + " exists, but supaneon did not make it as its " + kind,
            "Rename or delete that branch in the Neon Console, or choose another name.",
            e);
      }
      Branch ready = neon.awaitBranchReady(existing.id());
      return new CreatedBranch(ready, neon.listBranchEndpoints(ready.id()), List.of());
    }
  }

  /**
   * Removes the expiry in one update and reads the branch back: for a backup, the step that makes
   * it verified; for a test branch, what keeps it for inspection.
   */
  public Branch clearExpiry(Branch branch) {
    neon.awaitOperations(neon.clearExpiry(branch.id()));
    Branch current =
        neon.findBranch(branch.id())
            .orElseThrow(
                () -> new SupaneonException("the branch " + branch.name() + " disappeared"));
    if (current.expiry().isPresent()) {
      throw new SupaneonException(
          "the branch " + branch.name() + " still has an expiry after it was cleared");
    }
    return current;
  }

  /** Suspends the branch's running computes; they wake on the next connection. */
  public int suspendEndpoints(Branch branch) {
    int suspended = 0;
    for (Endpoint endpoint : neon.listBranchEndpoints(branch.id())) {
      if (!"idle".equals(endpoint.currentState())) {
        neon.awaitOperations(neon.suspendEndpoint(endpoint.id()));
        suspended++;
      }
    }
    return suspended;
  }

  /** Deletes the branch and waits; a branch already gone is fine. */
  public void delete(Branch branch) {
    delete(branch.id());
  }

  /** Deletes the branch by id and waits; a branch already gone is fine. */
  public void delete(String branchId) {
    neon.deleteBranch(branchId).ifPresent(neon::awaitOperations);
  }

  /** The URL of a database on the branch as a role, password included: a secret. */
  public PostgresUrl connectionUrl(Branch branch, String database, String role) {
    return NeonConnections.url(neon, branch.id(), database, role);
  }

  private String name(TimestampedName kind) {
    String name = kind.format(clock.instant());
    if (!kind.randomSuffix()) {
      return name;
    }
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return name + "-" + HexFormat.of().formatHex(suffix);
  }

  private Duration untilNextSecond() {
    long millis = clock.millis() % 1000;
    return Duration.ofMillis(1000 - millis + 10);
  }

  private void sleep(Duration duration) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupaneonException("interrupted while waiting to create a branch", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
