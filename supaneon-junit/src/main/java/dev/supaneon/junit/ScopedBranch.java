package dev.supaneon.junit;

import dev.supaneon.core.branch.TestBranches;
import dev.supaneon.core.branch.TestBranches.TestBranch;
import dev.supaneon.core.config.NeonSettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test scope's branch: created from the backup, masked, and deleted when its scope closes (kept
 * until its expiry when asked to and a test failed). Lives in JUnit's store, which closes it, and
 * holds one of the run's {@link BranchPermits} while it exists.
 */
final class ScopedBranch implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  private final NeonSettings settings;
  private final TestBranch branch;
  private final RestoredBranch restored;
  private final boolean keepOnFailure;
  private final BranchPermits permits;
  private final Consumer<String> report;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ScopedBranch(
      NeonSettings settings,
      TestBranch branch,
      boolean keepOnFailure,
      BranchPermits permits,
      Consumer<String> report) {
    this.settings = settings;
    this.branch = branch;
    this.restored = new RestoredBranch(branch.id(), branch.name(), branch.url());
    this.keepOnFailure = keepOnFailure;
    this.permits = permits;
    this.report = report;
  }

  /** Takes a permit, then creates, waits for and masks a branch for {@code scopeName}. */
  static ScopedBranch create(
      NeonSettings settings,
      NeonRestoredBranch annotation,
      BranchPermits permits,
      String scopeName,
      ClassLoader resources,
      Consumer<String> report) {
    String database = annotation.database().isBlank() ? settings.database() : annotation.database();
    String role = annotation.role().isBlank() ? settings.role() : annotation.role();
    permits.acquire();
    try (TestBranches branches = TestBranches.open(settings)) {
      TestBranch branch =
          branches.create(
              annotation.source(), Expiry.parse(annotation.expiry()), scopeName, database, role);
      try {
        Masking.apply(branch.url(), List.of(annotation.masking()), resources);
      } catch (RuntimeException e) {
        branches.delete(branch);
        throw e;
      }
      report.accept(branch.name() + " (" + branch.id() + ") from " + branch.sourceName());
      return new ScopedBranch(settings, branch, annotation.keepOnFailure(), permits, report);
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  RestoredBranch restored() {
    return restored;
  }

  void markFailed() {
    failed.set(true);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (keepOnFailure && failed.get()) {
        report.accept(
            "kept "
                + branch.name()
                + " ("
                + branch.id()
                + ") for inspection until its expiry "
                + branch.expiresAt()
                + "; connect with "
                + restored);
        return;
      }
      try (TestBranches branches = TestBranches.open(settings)) {
        branches.delete(branch);
      }
    } finally {
      permits.release();
    }
  }
}
