package dev.supaneon.core.report;

import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs phases one after another, timing each and telling the listener when it starts and ends. */
public final class PhaseTimer {

  /** A phase's work. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  private final RunListener listener;
  private final Clock clock;
  private final List<PhaseTiming> timings = new ArrayList<>();

  public PhaseTimer(RunListener listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
  }

  /** Runs a phase; {@code summary} turns its result into the line logged when it ends. */
  public <T> T run(Phase phase, Work<T> work, Function<T, String> summary) throws Exception {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    listener.phaseStarted(phase);
    try {
      T result = work.run();
      Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
      synchronized (timings) {
        timings.add(new PhaseTiming(phase.label(), started, took.toMillis(), "ok"));
      }
      listener.phaseFinished(phase, took, summary.apply(result));
      return result;
    } catch (Exception | Error e) {
      synchronized (timings) {
        timings.add(
            new PhaseTiming(
                phase.label(), started, (System.nanoTime() - startNanos) / 1_000_000, "failed"));
      }
      throw e;
    }
  }

  public List<PhaseTiming> timings() {
    synchronized (timings) {
      return List.copyOf(timings);
    }
  }

  /** Total time spent in one phase (0 when it did not run). */
  public long millis(Phase phase) {
    return timings().stream()
        .filter(t -> t.phase().equals(phase.label()))
        .mapToLong(PhaseTiming::durationMs)
        .sum();
  }
}
