package dev.supaneon.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of storage as users write it: {@code 450MiB}, {@code 0.5GiB}, {@code 500MB}, {@code
 * 1.5GB}, or plain bytes. Binary units (KiB, MiB, GiB) are powers of 1024, decimal ones (kB, MB,
 * GB) of 1000, as Neon's and Supabase's plan pages use them.
 */
public record DataSize(long bytes) {

  private static final Pattern FORM =
      Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*(b|kib|mib|gib|tib|kb|mb|gb|tb)?$");

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative");
    }
  }

  public static DataSize ofMebibytes(long mebibytes) {
    return new DataSize(mebibytes * 1024 * 1024);
  }

  /** The size, or empty when the text is not a size. */
  public static Optional<DataSize> parse(String text) {
    Matcher matcher = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    double amount = Double.parseDouble(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2);
    long factor =
        switch (unit) {
          case "kib" -> 1L << 10;
          case "mib" -> 1L << 20;
          case "gib" -> 1L << 30;
          case "tib" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          case "tb" -> 1_000_000_000_000L;
          default -> 1L;
        };
    return Optional.of(new DataSize(Math.round(amount * factor)));
  }

  /** In MiB with one decimal, for messages. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
  }
}
