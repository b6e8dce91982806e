package dev.supaneon.core.neon;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Timeouts, retries, time, logging and the listing page size; every field has a production default.
 */
public record NeonClientOptions(
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    RetryPolicy retryPolicy,
    Duration operationTimeout,
    Clock clock,
    Sleeper sleeper,
    Random random,
    Consumer<String> log,
    int pageSize) {

  public NeonClientOptions {
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("pageSize must be between 1 and 10000");
    }
  }

  public static NeonClientOptions defaults() {
    return new NeonClientOptions(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        RetryPolicy.DEFAULT,
        Duration.ofMinutes(15),
        Clock.systemUTC(),
        Sleeper.SYSTEM,
        new Random(),
        message -> {},
        100);
  }

  public NeonClientOptions withLog(Consumer<String> newLog) {
    Fields fields = new Fields(this);
    fields.log = newLog;
    return fields.build();
  }

  public NeonClientOptions withRetryPolicy(RetryPolicy policy) {
    Fields fields = new Fields(this);
    fields.retryPolicy = policy;
    return fields.build();
  }

  public NeonClientOptions withSleeper(Sleeper newSleeper, Clock newClock) {
    Fields fields = new Fields(this);
    fields.sleeper = newSleeper;
    fields.clock = newClock;
    return fields.build();
  }

  /** Branches per listing page (Neon allows up to 10000); tests make it small to page. */
  public NeonClientOptions withPageSize(int size) {
    Fields fields = new Fields(this);
    fields.pageSize = size;
    return fields.build();
  }

  /** A copy to change one field of: the withers name only what they change. */
  private static final class Fields {
    private final NeonClientOptions from;
    private RetryPolicy retryPolicy;
    private Clock clock;
    private Sleeper sleeper;
    private Consumer<String> log;
    private int pageSize;

    Fields(NeonClientOptions from) {
      this.from = from;
      this.retryPolicy = from.retryPolicy;
      this.clock = from.clock;
      this.sleeper = from.sleeper;
      this.log = from.log;
      this.pageSize = from.pageSize;
    }

    NeonClientOptions build() {
      return new NeonClientOptions(
          from.connectTimeout,
          from.readTimeout,
          from.callTimeout,
          retryPolicy,
          from.operationTimeout,
          clock,
          sleeper,
          from.random,
          log,
          pageSize);
    }
  }
}
