package dev.supaneon.core.neon;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with jitter: attempt n waits between half and all of {@code
 * min(maxDelay, initialDelay * 2^n)}, or what {@code Retry-After} asks. Gives up after {@code
 * maxAttempts} calls or {@code maxElapsed}, whichever comes first.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxElapsed) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(12, Duration.ofMillis(250), Duration.ofSeconds(15), Duration.ofMinutes(3));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The wait before retry number {@code retry} (0-based). */
  Duration delay(int retry, Random random) {
    long ceiling = initialDelay.toMillis() << Math.min(retry, 20);
    ceiling = Math.min(ceiling, maxDelay.toMillis());
    long half = ceiling / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : (long) (random.nextDouble() * half)));
  }
}
