package dev.supaneon.core.branch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kinds of branch supaneon makes, named {@code <prefix>-YYYYMMDDTHHMMSSZ} (UTC, to the second);
 * test branches add a random suffix, since many are made in the same second.
 */
public enum TimestampedName {
  BACKUP("backup", "backup", false),
  RESTORE_TEST("restore-test", "restore-test", false),
  TEST("supaneon-test", "test", true);

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String prefix;
  private final String kind;
  private final boolean randomSuffix;
  private final Pattern pattern;

  TimestampedName(String prefix, String kind, boolean randomSuffix) {
    this.prefix = prefix;
    this.kind = kind;
    this.randomSuffix = randomSuffix;
    this.pattern = Pattern.compile("^" + Pattern.quote(prefix) + "-(\\d{8}T\\d{6}Z)$");
  }

  public String prefix() {
    return prefix;
  }

  /** The value of the {@code supaneon-kind} annotation on branches of this kind. */
  public String kind() {
    return kind;
  }

  /** Whether names of this kind end in a random suffix after the timestamp. */
  boolean randomSuffix() {
    return randomSuffix;
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
