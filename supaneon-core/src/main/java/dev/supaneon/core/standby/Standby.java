package dev.supaneon.core.standby;

import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.neon.Branch;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The standby as it stands on Neon: a branch that supaneon made as its standby (annotation {@code
 * supaneon-kind=standby}), named as configured, or, once promoted, renamed to {@code
 * <name>-promoted-<UTC>}. The name is the mark: Neon keeps it with the branch, and a promoted
 * standby is never refreshed again.
 */
public record Standby(Branch branch, Optional<Instant> promotedAt) {

  /** The kind annotation of the standby branch. */
  public static final String KIND = "standby";

  private static final String PROMOTED = "-promoted-";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public boolean promoted() {
    return promotedAt.isPresent();
  }

  /**
   * The standby named {@code name} among the branches: a promoted one first (it is the live
   * database), else the one to refresh.
   */
  public static Optional<Standby> find(List<Branch> branches, String name) {
    Optional<Standby> promoted =
        branches.stream()
            .filter(Standby::madeAsStandby)
            .flatMap(
                b -> promotedAt(b.name(), name).map(at -> new Standby(b, Optional.of(at))).stream())
            .max(Comparator.comparing(s -> s.promotedAt().orElseThrow()));
    if (promoted.isPresent()) {
      return promoted;
    }
    return branches.stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .map(b -> new Standby(b, Optional.empty()));
  }

  /** The name a promoted standby takes. */
  static String promotedName(String name, Instant at) {
    return name + PROMOTED + STAMP.format(at.truncatedTo(ChronoUnit.SECONDS));
  }

  static boolean madeAsStandby(Branch branch) {
    return KIND.equals(branch.annotation().get(BranchLifecycle.KIND_ANNOTATION));
  }

  private static Optional<Instant> promotedAt(String branchName, String name) {
    String prefix = name + PROMOTED;
    if (!branchName.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(STAMP.parse(branchName.substring(prefix.length()))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
