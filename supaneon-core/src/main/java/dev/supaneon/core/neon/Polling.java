package dev.supaneon.core.neon;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Polls Neon until something is done. Operations often finish in well under a second: poll soon,
 * then back off gently to once a second, within the client's operation timeout.
 */
final class Polling {

  private static final Duration FIRST = Duration.ofMillis(50);
  private static final Duration LONGEST = Duration.ofSeconds(1);

  private final NeonClientOptions options;
  private final NeonHttp http;

  Polling(NeonClientOptions options, NeonHttp http) {
    this.options = options;
    this.http = http;
  }

  /**
   * Starting from {@code first}, reads {@code next} until {@code done}; {@code check} throws for a
   * state that will never be done. {@code what} names it in the timeout's message.
   */
  <T> T until(T first, UnaryOperator<T> next, Predicate<T> done, Consumer<T> check, String what) {
    Instant deadline = options.clock().instant().plus(options.operationTimeout());
    Duration pause = FIRST;
    T current = first;
    while (!done.test(current)) {
      check.accept(current);
      if (options.clock().instant().isAfter(deadline)) {
        throw new NeonUnavailableException(
            what + " did not finish within " + options.operationTimeout(), null);
      }
      http.sleep(pause);
      Duration longer = pause.multipliedBy(3).dividedBy(2);
      pause = longer.compareTo(LONGEST) <= 0 ? longer : LONGEST;
      current = next.apply(current);
    }
    return current;
  }
}
