package dev.supaneon.core.run;

import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
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

  /**
   * Writes a run's JSON report and Markdown summary into {@code directory} (and GitHub's step
   * summary when the environment names one) and says where; a report that cannot be written is a
   * warning, not a failure of the run it reports on.
   */
  public void writeReport(Path directory, String baseName, Object report, String markdown) {
    try {
      ReportWriter.Written written =
          ReportWriter.write(directory, baseName, report, markdown, environment);
      listener.info(
          "report: "
              + written.json().toAbsolutePath()
              + " and "
              + written.markdown().toAbsolutePath());
    } catch (IOException e) {
      listener.warn("could not write the report to " + directory + ": " + e.getMessage());
    }
  }

  public RunContext withEnvironment(Map<String, String> environment) {
    return new RunContext(listener, clock, neonOptions, environment);
  }
}
