package dev.supaneon.core.neon;

import dev.supaneon.core.SupaneonException;
import java.util.Locale;
import java.util.Optional;

/**
 * Neon's plan limits, recognised wherever their errors surface: in an API answer, or in a
 * PostgreSQL error that pg_restore or a session reports (a restore that crosses the project's size
 * limit fails with "could not extend file because project size limit (512 MB) has been exceeded").
 */
public enum NeonQuota {
  STORAGE(
      "storage limit",
      "Free storage: keep fewer backups (supaneon.keepDaily/keepWeekly/keepMonthly), set"
          + " supaneon.storageBudget below the limit so retention plans for it, leave bulky rows"
          + " out (supaneon.excludeTableData), or move to a paid Neon plan.",
      "project size limit",
      "project size quota",
      "storage quota",
      "branch size limit",
      "could not extend file because",
      "max_cluster_size",
      "logical size limit"),
  COMPUTE(
      "compute time quota",
      "Wait for the quota to reset at the start of the next billing period (Neon's console shows"
          + " when), run backups less often, or move to a paid Neon plan.",
      "compute time quota",
      "active time quota",
      "compute_time_seconds quota",
      "compute quota"),
  TRANSFER(
      "data transfer quota",
      "Wait for the quota to reset, use the logical restore test (which reads the whole backup out"
          + " of Neon) less often, or move to a paid Neon plan.",
      "data transfer quota",
      "data_transfer_bytes quota",
      "transfer limit");

  private final String label;
  private final String whatToDo;
  private final String[] signs;

  NeonQuota(String label, String whatToDo, String... signs) {
    this.label = label;
    this.whatToDo = whatToDo;
    this.signs = signs;
  }

  /** The quota an error message speaks of, if any. */
  public static Optional<NeonQuota> in(String message) {
    if (message == null) {
      return Optional.empty();
    }
    String text = message.toLowerCase(Locale.ROOT);
    for (NeonQuota quota : values()) {
      for (String sign : quota.signs) {
        if (text.contains(sign)) {
          return Optional.of(quota);
        }
      }
    }
    return Optional.empty();
  }

  /** The failure as a quota's when its message speaks of one, otherwise as it is. */
  public static SupaneonException recognise(SupaneonException failure) {
    return in(failure.getMessage())
        .map(quota -> quota.failure(failure.getMessage(), failure))
        .orElse(failure);
  }

  /** The failure as this quota's: what happened, and the ways out. */
  public SupaneonException failure(String message, Throwable cause) {
    return new SupaneonException(
        "Neon's " + label + " was reached; the run stopped and left no verified backup: " + message,
        whatToDo,
        cause);
  }
}
