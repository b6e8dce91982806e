package dev.supaneon.core.config;

import java.util.Objects;

/**
 * A password or API key. Its {@code toString()} never shows the value, so a secret that slips into
 * a log line, an exception message or a report shows as {@code ****}.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The value itself, for the one place that must send it (an HTTP header, a child's env). */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Removes every occurrence of this secret from a text that may have picked it up. */
  public String scrub(String text) {
    if (text == null || value.length() < 4) {
      return text;
    }
    return text.replace(value, "****");
  }

  @Override
  public String toString() {
    return "****";
  }
}
