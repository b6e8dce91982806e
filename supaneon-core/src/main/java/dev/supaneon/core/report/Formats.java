package dev.supaneon.core.report;

import java.time.Duration;
import java.util.Locale;

/** How sizes and durations read in logs and summaries. */
public final class Formats {

  private Formats() {}

  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  public static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = duration.toSeconds();
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    long minutes = seconds / 60;
    return minutes % 60 == 0
        ? String.format(Locale.ROOT, "%d h", minutes / 60)
        : String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
  }

  public static String millis(long millis) {
    return duration(Duration.ofMillis(millis));
  }
}
