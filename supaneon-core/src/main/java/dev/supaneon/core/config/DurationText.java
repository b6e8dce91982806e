package dev.supaneon.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them: ISO-8601 ({@code PT3H}, {@code P1D}) or the short forms {@code
 * 500ms}, {@code 30s}, {@code 90m}, {@code 26h}, {@code 2d}.
 */
public final class DurationText {

  private static final Pattern SHORT = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)$");

  private DurationText() {}

  /** The duration, or empty when the text is neither form. */
  public static Optional<Duration> parse(String text) {
    String normalized = text.strip().toLowerCase(Locale.ROOT);
    Matcher shortForm = SHORT.matcher(normalized);
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      return Optional.of(
          switch (shortForm.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          });
    }
    try {
      return Optional.of(Duration.parse(normalized.toUpperCase(Locale.ROOT)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
