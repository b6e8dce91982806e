package dev.supaneon.maven;

import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.apache.maven.plugin.logging.Log;

/** Writes a run's progress to Maven's log, each line stamped with the UTC time. */
final class MavenRunListener implements RunListener {

  private final Log log;
  private final Clock clock;

  MavenRunListener(Log log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  private String stamp() {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS))
        + " ";
  }

  @Override
  public void phaseStarted(Phase phase) {
    log.info(stamp() + "[" + phase.label() + "] started");
  }

  @Override
  public void phaseFinished(Phase phase, Duration duration, String summary) {
    log.info(
        stamp() + "[" + phase.label() + "] done in " + Formats.duration(duration) + ": " + summary);
  }

  @Override
  public void progress(Phase phase, long bytes, Duration elapsed) {
    long seconds = Math.max(1, elapsed.toSeconds());
    log.info(
        stamp()
            + "["
            + phase.label()
            + "] "
            + Formats.bytes(bytes)
            + " after "
            + Formats.duration(elapsed)
            + " ("
            + Formats.bytes(bytes / seconds)
            + "/s)");
  }

  @Override
  public void info(String message) {
    log.info(stamp() + message);
  }

  @Override
  public void warn(String message) {
    log.warn(stamp() + message);
  }
}
