package dev.supaneon.core.testing;

import java.time.Duration;
import java.time.Instant;

/** A clock that stands still until the test moves it: waits are recorded, never slept. */
public final class ManualClock extends TestClock {

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
