package dev.supaneon.core.branch;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The project's branches sorted by what they are to supaneon.
 *
 * <p>The rule: a branch named {@code backup-<UTC timestamp>} with no expiry is a verified backup;
 * nothing else is. A {@code backup-*} branch that still has an expiry is a run in progress, or one
 * that died.
 */
public record BackupInventory(List<Branch> branches) {

  /** A verified backup and the instant its name records. */
  public record Backup(Branch branch, Instant takenAt) {
    public Duration age(Instant now) {
      return Duration.between(takenAt, now);
    }
  }

  public BackupInventory {
    branches = List.copyOf(branches);
  }

  /**
   * The inventory as a run would leave it: {@code deleted} gone and {@code added} present. What a
   * dry run plans retention on.
   */
  public BackupInventory projected(Collection<Branch> deleted, Branch added) {
    List<Branch> after = new ArrayList<>(without(deleted).branches());
    after.add(added);
    return new BackupInventory(after);
  }

  /** The project as it will be once {@code deleted} are gone. */
  public BackupInventory without(Collection<Branch> deleted) {
    Set<String> gone = deleted.stream().map(Branch::id).collect(Collectors.toSet());
    return new BackupInventory(branches.stream().filter(b -> !gone.contains(b.id())).toList());
  }

  public static boolean isVerifiedBackup(Branch branch) {
    return TimestampedName.BACKUP.parse(branch.name()).isPresent() && branch.expiry().isEmpty();
  }

  /** Whether supaneon made this branch: only those may ever be deleted by retention. */
  public static boolean madeBySupaneon(Branch branch) {
    return branch.annotation().containsKey(NeonClient.RUN_ID_ANNOTATION);
  }

  /** Verified backups, newest first. */
  public List<Backup> verifiedBackups() {
    return branches.stream()
        .filter(BackupInventory::isVerifiedBackup)
        .map(b -> new Backup(b, TimestampedName.BACKUP.parse(b.name()).orElseThrow()))
        .sorted(
            Comparator.comparing(Backup::takenAt).reversed().thenComparing(b -> b.branch().id()))
        .toList();
  }

  public Optional<Backup> newestVerifiedBackup() {
    return verifiedBackups().stream().findFirst();
  }

  /**
   * The newest verified backup of project {@code projectId}; when there is none, a failure that
   * says so and suggests {@code whatToDo}.
   */
  public Backup requireNewestVerifiedBackup(String projectId, String whatToDo) {
    return newestVerifiedBackup()
        .orElseThrow(
            () ->
                new SupaneonException(
                    "Neon project "
                        + projectId
                        + " holds no verified backup (a branch named backup-<UTC> without expiry):"
                        + " there is nothing to restore from",
                    whatToDo,
                    null));
  }

  /** {@code backup-*} branches that still carry an expiry: runs in progress or dead. */
  public List<Branch> incompleteBackups() {
    return branches.stream()
        .filter(b -> TimestampedName.BACKUP.parse(b.name()).isPresent() && b.expiry().isPresent())
        .toList();
  }

  public Optional<Branch> defaultBranch() {
    return branches.stream().filter(Branch::isDefault).findFirst();
  }

  public Optional<Branch> byIdOrName(String idOrName) {
    return branches.stream()
        .filter(b -> b.id().equals(idOrName))
        .findFirst()
        .or(() -> branches.stream().filter(b -> b.name().equals(idOrName)).findFirst());
  }
}
