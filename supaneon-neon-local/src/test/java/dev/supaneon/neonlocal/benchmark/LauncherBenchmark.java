package dev.supaneon.neonlocal.benchmark;

import dev.supaneon.neonlocal.postgres.LocalPostgresCluster;
import dev.supaneon.neonlocal.postgres.PostgresInstallation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Time from start to ready of a fresh local cluster (initdb, certificate, server start, first SSL
 * connection), and of a stop with deletion: {@code ./mvnw -Pbenchmark verify -pl
 * supaneon-neon-local}.
 */
public final class LauncherBenchmark {

  private static final int ROUNDS = 7;

  private LauncherBenchmark() {}

  public static void main(String[] args) throws Exception {
    PostgresInstallation installation =
        PostgresInstallation.locate(Optional.empty(), OptionalInt.empty());
    List<Long> ready = new ArrayList<>();
    List<Long> stopped = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      LocalPostgresCluster cluster = LocalPostgresCluster.start(installation);
      ready.add(cluster.startupTime().toMillis());
      long started = System.nanoTime();
      cluster.close();
      stopped.add((System.nanoTime() - started) / 1_000_000);
    }
    Collections.sort(ready);
    Collections.sort(stopped);
    String result =
        String.format(
            Locale.ROOT,
            "local PostgreSQL %s, fresh cluster, %d rounds: start to ready median %d ms (min %d, max %d);"
                + " stop and delete median %d ms%n",
            installation.version(),
            ROUNDS,
            ready.get(ROUNDS / 2),
            ready.get(0),
            ready.get(ROUNDS - 1),
            stopped.get(ROUNDS / 2));
    System.out.println(result);
    Path output = Path.of(System.getProperty("benchmark.output", "target/benchmark"));
    Files.createDirectories(output);
    Files.writeString(output.resolve("launcher-benchmark.txt"), result, StandardCharsets.UTF_8);
  }
}
