package dev.supaneon.neonlocal;

import dev.supaneon.neonlocal.postgres.ExternalPostgresServer;
import dev.supaneon.neonlocal.postgres.LocalPostgresCluster;
import dev.supaneon.neonlocal.postgres.PostgresInstallation;
import dev.supaneon.neonlocal.postgres.PostgresLaunchException;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar supaneon-neon-local.jar [options]}: serves the Neon API until interrupted.
 *
 * <p>Prints {@code NEON_API_URL=}, {@code NEON_PROJECT_ID=} and {@code NEON_API_KEY=} lines on
 * standard output when ready; everything else goes to standard error.
 */
public final class NeonLocalMain {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar supaneon-neon-local.jar [options]",
          "",
          "  --postgres-url URL    backing server, a superuser URL postgresql://USER:PASSWORD@HOST:PORT/DB",
          "                        (or env NEON_LOCAL_POSTGRES_URL, which keeps the password out of ps)",
          "  --data-dir DIR        without --postgres-url: keep the local server's data in DIR",
          "                        (default: <tmp>/supaneon-neon-local); a restart finds every branch",
          "  --ephemeral           without --postgres-url: a throw-away server, deleted on exit",
          "  --port N              API port on 127.0.0.1 (default 0: a free port)",
          "  --api-key KEY         API key clients must send (or env NEON_LOCAL_API_KEY; default random)",
          "  --project-id ID       project id (default: the stored one, or a new one)",
          "  --branch-limit N      branches allowed per project (default 10, as on Neon's free plan)",
          "  --storage-limit-mib N the project's storage limit (default 512, as on Neon's free plan)",
          "  --help                this text");

  private NeonLocalMain() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("neon-local: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(USAGE);
      return;
    }
    PrintStream err = System.err;
    NeonLocal neon;
    try {
      PostgresServer backing = backingServer(options, err);
      NeonLocal.Builder builder =
          NeonLocal.builder()
              .backingServer(backing)
              .port(options.port)
              .branchLimit(options.branchLimit)
              .storageLimitMib(options.storageLimitMib)
              .log(err::println);
      options.apiKey.ifPresent(builder::apiKey);
      options.projectId.ifPresent(builder::projectId);
      try {
        neon = builder.start();
      } catch (RuntimeException e) {
        backing.close();
        throw e;
      }
      NeonLocal started = neon;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    backing.close();
                  },
                  "neon-local-shutdown"));
      err.println("neon-local: backing server is " + backing.description());
    } catch (PostgresLaunchException | IllegalStateException | IllegalArgumentException e) {
      err.println("neon-local: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("NEON_API_URL=" + neon.apiUrl());
    System.out.println("NEON_PROJECT_ID=" + neon.projectId());
    System.out.println("NEON_API_KEY=" + neon.apiKey());
    System.out.flush();
    err.println("neon-local: ready; press Ctrl-C to stop");
    new CountDownLatch(1).await();
  }

  private static PostgresServer backingServer(Options options, PrintStream err) {
    if (options.postgresUrl.isPresent()) {
      return ExternalPostgresServer.fromUrl(options.postgresUrl.get());
    }
    if (options.ephemeral) {
      err.println("neon-local: starting a throw-away PostgreSQL server");
      return PostgresServers.start();
    }
    Path directory =
        options.dataDirectory.orElse(
            Path.of(System.getProperty("java.io.tmpdir"), "supaneon-neon-local"));
    Optional<Path> configured =
        Optional.ofNullable(System.getenv(PostgresInstallation.BIN_DIRECTORY_VARIABLE))
            .filter(value -> !value.isBlank())
            .map(Path::of);
    err.println(
        "neon-local: keeping data in "
            + directory.toAbsolutePath()
            + " (--ephemeral for a throw-away server)");
    return LocalPostgresCluster.startPersistent(
        PostgresInstallation.locate(configured, OptionalInt.empty()), directory);
  }

  /** Parsed command line. */
  static final class Options {
    Optional<String> postgresUrl = Optional.ofNullable(System.getenv("NEON_LOCAL_POSTGRES_URL"));
    Optional<Path> dataDirectory = Optional.empty();
    boolean ephemeral;
    int port;
    Optional<String> apiKey = Optional.ofNullable(System.getenv("NEON_LOCAL_API_KEY"));
    Optional<String> projectId = Optional.empty();
    int branchLimit = 10;
    int storageLimitMib = 512;
    boolean help;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> options.help = true;
          case "--ephemeral" -> options.ephemeral = true;
          case "--postgres-url" -> options.postgresUrl = Optional.of(value(args, ++i, arg));
          case "--data-dir" -> options.dataDirectory = Optional.of(Path.of(value(args, ++i, arg)));
          case "--port" -> options.port = number(value(args, ++i, arg), arg);
          case "--api-key" -> options.apiKey = Optional.of(value(args, ++i, arg));
          case "--project-id" -> options.projectId = Optional.of(value(args, ++i, arg));
          case "--branch-limit" -> options.branchLimit = number(value(args, ++i, arg), arg);
          case "--storage-limit-mib" ->
              options.storageLimitMib = number(value(args, ++i, arg), arg);
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (options.ephemeral && options.dataDirectory.isPresent()) {
        throw new IllegalArgumentException("--ephemeral and --data-dir exclude each other");
      }
      return options;
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length || args[index].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }

    private static int number(String value, String option) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, not " + value);
      }
    }
  }
}
