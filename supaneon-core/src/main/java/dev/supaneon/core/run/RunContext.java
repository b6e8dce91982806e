package dev.supaneon.core.run;

import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.progress.RunListener;
import java.time.Clock;
import java.util.Map;

/**
 * What every run is given besides its settings: where it reports ({@link RunListener}), its time
 * ({@link Clock}), how it talks to Neon (timeouts, retries, the sleeper), and the environment its
 * report looks in ({@code GITHUB_STEP_SUMMARY}). Tests replace any of them; production uses {@link
 * #of(RunListener)}.
 */
public record RunContext(
    RunListener listener,
    Clock clock,
    NeonClientOptions neonOptions,
    Map<String, String> environment) {

  public RunContext {
    environment = Map.copyOf(environment);
    neonOptions = neonOptions.withLog(listener::warn);
  }

  /** The system clock, Neon's default options and this process's environment. */
  public static RunContext of(RunListener listener) {
    return new RunContext(
        listener, Clock.systemUTC(), NeonClientOptions.defaults(), System.getenv());
  }

  public RunContext withEnvironment(Map<String, String> environment) {
    return new RunContext(listener, clock, neonOptions, environment);
  }
}
