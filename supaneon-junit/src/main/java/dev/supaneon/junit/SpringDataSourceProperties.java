package dev.supaneon.junit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code spring.datasource.*} system properties for one scope at a time. System properties are
 * global to the JVM, so a scope that wants them waits until the previous holder has restored them.
 */
final class SpringDataSourceProperties implements AutoCloseable {

  private static final Semaphore HOLDER = new Semaphore(1, true);
  private static final String[] NAMES = {
    "spring.datasource.url", "spring.datasource.username", "spring.datasource.password"
  };

  private final Map<String, String> previous = new LinkedHashMap<>();
  private boolean closed;

  private SpringDataSourceProperties() {}

  static SpringDataSourceProperties hold(RestoredBranch branch) {
    HOLDER.acquireUninterruptibly();
    SpringDataSourceProperties held = new SpringDataSourceProperties();
    for (String name : NAMES) {
      held.previous.put(name, System.getProperty(name));
    }
    System.setProperty("spring.datasource.url", branch.jdbcUrl());
    System.setProperty("spring.datasource.username", branch.user());
    System.setProperty("spring.datasource.password", branch.password());
    return held;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    previous.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
    HOLDER.release();
  }
}
