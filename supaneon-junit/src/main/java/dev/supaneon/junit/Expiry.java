package dev.supaneon.junit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code @NeonRestoredBranch(expiry = ...)}: {@code 2h}, {@code 45m}, {@code PT30M}. */
final class Expiry {

  private static final Pattern SHORT = Pattern.compile("^(\\d+)\\s*(m|h|d)$");
  private static final Duration MAX = Duration.ofDays(30);

  private Expiry() {}

  static Duration parse(String text) {
    Duration duration;
    Matcher matcher = SHORT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      duration =
          switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        duration = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "@NeonRestoredBranch(expiry = \""
                + text
                + "\") is not a duration such as 2h, 45m or PT30M");
      }
    }
    if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "@NeonRestoredBranch(expiry = \"" + text + "\") must be between 1 minute and 30 days");
    }
    return duration;
  }
}
