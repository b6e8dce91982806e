package dev.supaneon.core.neon;

import java.time.Duration;

/** Waits; injected so that retry and polling logic is tested without waiting. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
