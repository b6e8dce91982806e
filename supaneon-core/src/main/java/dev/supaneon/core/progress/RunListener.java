package dev.supaneon.core.progress;

import java.time.Duration;

/**
 * Where a run reports what it does: each front end turns these into its own log (Maven's log, a
 * Lambda's stdout, JUnit's reporter). Messages never contain secrets.
 */
public interface RunListener {

  /** Ignores everything. */
  RunListener SILENT = new RunListener() {};

  default void phaseStarted(Phase phase) {}

  default void phaseFinished(Phase phase, Duration duration, String summary) {}

  /** Bytes moved so far in a long phase; called every few seconds. */
  default void progress(Phase phase, long bytes, Duration elapsed) {}

  default void info(String message) {}

  default void warn(String message) {}
}
