package dev.supaneon.neonlocal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Fault injection for tests: scripted or random error answers and added latency, per API operation.
 * Operations are named by their {@code operationId} in Neon's spec ({@code createProjectBranch},
 * {@code getProjectOperation}, ...) or {@code *} for all.
 *
 * <p>Injected errors carry Neon's error body; 423, 429 and 5xx answers are what clients must retry.
 */
public final class Faults {

  private record Rule(
      String operation, int status, int remaining, double probability, String quota) {
    Rule(String operation, int status, int remaining, double probability) {
      this(operation, status, remaining, probability, null);
    }

    Rule next() {
      return new Rule(operation, status, remaining - 1, probability, quota);
    }
  }

  /** An injected answer: its status, and for a quota the quota's name. */
  record Injected(int status, String quota) {}

  private record LostAnswer(String operation, int status, int remaining) {}

  private record Delay(String operation, Duration latency) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<Delay> delays = new ArrayList<>();
  private final List<LostAnswer> lostAnswers = new ArrayList<>();
  private Random random = new Random();

  /** The next {@code times} calls of the operation answer {@code status}. */
  public synchronized Faults failNext(String operation, int status, int times) {
    requireErrorStatus(status);
    rules.add(new Rule(operation, status, times, 1.0));
    return this;
  }

  /**
   * The next {@code times} calls of the operation answer that a plan quota is exhausted ({@code
   * quota}: "compute time", "data transfer", "project size"), as 422 with code QUOTA_EXCEEDED and a
   * message naming the quota. Neon's exact status and code for these are not in its spec; clients
   * should recognise them by the message.
   */
  public synchronized Faults exceedQuota(String operation, String quota, int times) {
    rules.add(new Rule(operation, 422, times, 1.0, quota));
    return this;
  }

  /** Every call of the operation answers {@code status} with the given probability. */
  public synchronized Faults failRandomly(String operation, int status, double probability) {
    requireErrorStatus(status);
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be between 0 and 1");
    }
    rules.add(new Rule(operation, status, -1, probability));
    return this;
  }

  /**
   * The next {@code times} calls of the operation are carried out, but answered with {@code
   * status}: the client cannot tell whether its request took effect (a lost answer).
   */
  public synchronized Faults failAfterApplying(String operation, int status, int times) {
    requireErrorStatus(status);
    lostAnswers.add(new LostAnswer(operation, status, times));
    return this;
  }

  /** Every call of the operation is answered only after the given latency. */
  public synchronized Faults delay(String operation, Duration latency) {
    delays.add(new Delay(operation, latency));
    return this;
  }

  /** Makes random failures repeatable. */
  public synchronized Faults seed(long seed) {
    random = new Random(seed);
    return this;
  }

  public synchronized void clear() {
    rules.clear();
    delays.clear();
    lostAnswers.clear();
  }

  /** The status that replaces the answer of a call that was carried out, if a rule fires. */
  synchronized Optional<Integer> lostAnswerStatus(String operation) {
    for (int i = 0; i < lostAnswers.size(); i++) {
      LostAnswer rule = lostAnswers.get(i);
      if (applies(rule.operation(), operation)) {
        if (rule.remaining() <= 1) {
          lostAnswers.remove(i);
        } else {
          lostAnswers.set(i, new LostAnswer(rule.operation(), rule.status(), rule.remaining() - 1));
        }
        return Optional.of(rule.status());
      }
    }
    return Optional.empty();
  }

  /** The answer to give instead of serving the call, if a rule fires. */
  synchronized Optional<Injected> injected(String operation) {
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (!applies(rule.operation(), operation)) {
        continue;
      }
      if (rule.remaining() > 0) {
        if (rule.remaining() == 1) {
          rules.remove(i);
        } else {
          rules.set(i, rule.next());
        }
        return Optional.of(new Injected(rule.status(), rule.quota()));
      }
      if (rule.remaining() < 0 && random.nextDouble() < rule.probability()) {
        return Optional.of(new Injected(rule.status(), rule.quota()));
      }
    }
    return Optional.empty();
  }

  synchronized Duration latency(String operation) {
    Duration total = Duration.ZERO;
    for (Delay delay : delays) {
      if (applies(delay.operation(), operation)) {
        total = total.plus(delay.latency());
      }
    }
    return total;
  }

  private static boolean applies(String pattern, String operation) {
    return pattern.equals("*") || pattern.equals(operation);
  }

  private static void requireErrorStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an injected status must be 4xx or 5xx, not " + status);
    }
  }
}
