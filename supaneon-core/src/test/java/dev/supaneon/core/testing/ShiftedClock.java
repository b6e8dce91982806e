package dev.supaneon.core.testing;

import java.time.Duration;
import java.time.Instant;

/** The real clock moved by an offset that a test can change: days pass between two runs. */
public final class ShiftedClock extends TestClock {

  private volatile Duration offset = Duration.ZERO;

  public void advance(Duration duration) {
    offset = offset.plus(duration);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
