package dev.supaneon.core.backup;

import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import java.time.Duration;

/** Reports tables done every few seconds, so a long fingerprint or verification shows progress. */
final class TableProgress {
  private final RunListener listener;
  private final Phase phase;
  private final int total;
  private final Duration interval;
  private final long started = System.nanoTime();
  private long nextReport;
  private int done;

  TableProgress(RunListener listener, Phase phase, int total, Duration interval) {
    this.listener = listener;
    this.phase = phase;
    this.total = total;
    this.interval = interval;
    this.nextReport = started + interval.toNanos();
  }

  void tableDone() {
    done++;
    long now = System.nanoTime();
    if (now >= nextReport && done < total) {
      listener.info(
          "["
              + phase.label()
              + "] "
              + done
              + " of "
              + total
              + " tables after "
              + Formats.duration(Duration.ofNanos(now - started)));
      nextReport = now + interval.toNanos();
    }
  }
}
