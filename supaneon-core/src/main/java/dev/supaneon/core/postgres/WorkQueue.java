package dev.supaneon.core.postgres;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The work a copy's streams share: tasks wait in order, follow-ups a task makes possible go to the
 * front, and the queue ends once nothing waits and nothing runs, or as soon as one task failed.
 */
final class WorkQueue<T> {
  private final Deque<T> waiting = new ArrayDeque<>();
  private int running;
  private Exception failure;

  synchronized void add(T task) {
    waiting.addLast(task);
  }

  /** The next task; null once nothing is left (or the copy failed). Waits for follow-ups. */
  synchronized T take() throws InterruptedException {
    while (failure == null && waiting.isEmpty() && running > 0) {
      wait();
    }
    if (failure != null || waiting.isEmpty()) {
      return null;
    }
    running++;
    return waiting.pollFirst();
  }

  synchronized void done(List<T> followUps) {
    for (int i = followUps.size() - 1; i >= 0; i--) {
      waiting.addFirst(followUps.get(i));
    }
    running--;
    notifyAll();
  }

  synchronized void fail(Exception e) {
    if (failure == null) {
      failure = e;
    }
    notifyAll();
  }

  synchronized Optional<Exception> failure() {
    return Optional.ofNullable(failure);
  }
}
