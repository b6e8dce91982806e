package dev.supaneon.core.postgres;

import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import java.time.Duration;

/** Bytes copied by all of a copy's streams, reported every progress interval. */
final class CopyProgress {
  private final RunListener listener;
  private final Duration interval;
  private final long started = System.nanoTime();
  private long bytes;
  private long nextReport;

  CopyProgress(RunListener listener, Duration interval) {
    this.listener = listener;
    this.interval = interval;
    this.nextReport = started + interval.toNanos();
  }

  synchronized void add(long more) {
    bytes += more;
    long now = System.nanoTime();
    if (now >= nextReport) {
      listener.progress(Phase.COPY, bytes, Duration.ofNanos(now - started));
      nextReport = now + interval.toNanos();
    }
  }
}
