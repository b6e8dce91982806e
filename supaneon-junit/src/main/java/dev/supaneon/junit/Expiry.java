package dev.supaneon.junit;

import dev.supaneon.core.config.DurationText;
import java.time.Duration;

/** Reads {@code @NeonRestoredBranch(expiry = ...)}: {@code 2h}, {@code 45m}, {@code PT30M}. */
final class Expiry {

  private static final Duration MIN = Duration.ofMinutes(1);
  private static final Duration MAX = Duration.ofDays(30);

  private Expiry() {}

  static Duration parse(String text) {
    Duration duration =
        DurationText.parse(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "@NeonRestoredBranch(expiry = \""
                            + text
                            + "\") is not a duration such as 2h, 45m or PT30M"));
    if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "@NeonRestoredBranch(expiry = \"" + text + "\") must be between 1 minute and 30 days");
    }
    return duration;
  }
}
