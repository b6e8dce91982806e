package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many test branches one test run may hold at once (the free plan has ten). One per run, kept
 * in the root context's store, sized by that run's {@code supaneon.junit.maxBranches}.
 */
final class BranchPermits {

  private final int size;
  private final Semaphore semaphore;

  BranchPermits(int size) {
    this.size = size;
    this.semaphore = new Semaphore(size, true);
  }

  int size() {
    return size;
  }

  /** Takes a permit, waiting at most 30 minutes for another scope to give one back. */
  void acquire() {
    try {
      if (!semaphore.tryAcquire(30, TimeUnit.MINUTES)) {
        throw new SupaneonException(
            "@NeonRestoredBranch: no branch became free within 30 minutes;"
                + " raise supaneon.junit.maxBranches or run fewer tests in parallel");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupaneonException("interrupted while waiting for a free test branch", e);
    }
  }

  void release() {
    semaphore.release();
  }
}
