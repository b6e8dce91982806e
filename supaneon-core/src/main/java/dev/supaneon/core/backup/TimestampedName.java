package dev.supaneon.core.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Branch names of the form {@code <prefix>-YYYYMMDDTHHMMSSZ} (UTC, to the second). */
public enum TimestampedName {
  BACKUP("backup"),
  RESTORE_TEST("restore-test"),
  TEST("supaneon-test");

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String prefix;
  private final Pattern pattern;

  TimestampedName(String prefix) {
    this.prefix = prefix;
    this.pattern = Pattern.compile("^" + Pattern.quote(prefix) + "-(\\d{8}T\\d{6}Z)$");
  }

  public String prefix() {
    return prefix;
  }

  public String format(Instant instant) {
    return prefix + "-" + FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The timestamp in a name of this kind, or empty when the name is not of this kind. */
  public Optional<Instant> parse(String name) {
    var matcher = pattern.matcher(name);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(FORMAT.parse(matcher.group(1))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
