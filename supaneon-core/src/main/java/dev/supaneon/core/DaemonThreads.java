package dev.supaneon.core;

import java.util.concurrent.ThreadFactory;

/** Threads a run starts for its own work: named, and never keeping the JVM (Maven's) alive. */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads called {@code name}. */
  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
