package dev.supaneon.core.neon;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/** Timeouts, retries, time and logging; every field has a production default. */
public record NeonClientOptions(
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    RetryPolicy retryPolicy,
    Duration operationTimeout,
    Clock clock,
    Sleeper sleeper,
    Random random,
    Consumer<String> log) {

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
        message -> {});
  }

  public NeonClientOptions withLog(Consumer<String> log) {
    return new NeonClientOptions(
        connectTimeout,
        readTimeout,
        callTimeout,
        retryPolicy,
        operationTimeout,
        clock,
        sleeper,
        random,
        log);
  }

  public NeonClientOptions withRetryPolicy(RetryPolicy policy) {
    return new NeonClientOptions(
        connectTimeout,
        readTimeout,
        callTimeout,
        policy,
        operationTimeout,
        clock,
        sleeper,
        random,
        log);
  }

  public NeonClientOptions withSleeper(Sleeper sleeper, Clock clock) {
    return new NeonClientOptions(
        connectTimeout,
        readTimeout,
        callTimeout,
        retryPolicy,
        operationTimeout,
        clock,
        sleeper,
        random,
        log);
  }
}
