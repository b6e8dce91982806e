package dev.supaneon.neonlocal.testing;

import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A complete local stand-in for Supabase and Neon: a source server holding the shipped sample
 * database (owned by a login role with a canary password) and a neon-local with a canary API key,
 * on their own servers. Used by the Maven invoker tests, the JUnit samples and the demo.
 *
 * <p>{@code main} starts it, writes its coordinates to a properties file and returns, leaving the
 * servers running on daemon threads until the JVM exits (the shape {@code exec:java} needs).
 */
public final class LocalEnvironment implements AutoCloseable {

  /** Distinctive strings that must never appear in a log, report or process list. */
  public static final String CANARY_PASSWORD = "CanaryPw-" + Long.toHexString(System.nanoTime());

  public static final String CANARY_API_KEY =
      "CanaryKey-" + Long.toHexString(System.nanoTime() * 31);

  private static final String SOURCE_ROLE = "shop_owner";

  private final PostgresServer sourceServer;
  private final String sourceDatabase;
  private final String supabaseDatabase;
  private final NeonLocal neon;

  private LocalEnvironment(
      PostgresServer sourceServer, String sourceDatabase, String supabaseDatabase, NeonLocal neon) {
    this.sourceServer = sourceServer;
    this.sourceDatabase = sourceDatabase;
    this.supabaseDatabase = supabaseDatabase;
    this.neon = neon;
  }

  public static LocalEnvironment start() {
    PostgresServer source = PostgresServers.start();
    PostgresServer backing = PostgresServers.start();
    try {
      TestDatabases.execute(
          source,
          "postgres",
          "CREATE ROLE " + SOURCE_ROLE + " LOGIN SUPERUSER PASSWORD '" + CANARY_PASSWORD + "'");
      String database = TestDatabases.sampleDatabase(source);
      String supabase = TestDatabases.supabaseDatabase(source);
      NeonLocal neon =
          NeonLocal.builder()
              .backingServer(backing)
              .apiKey(CANARY_API_KEY)
              .branchLimit(10)
              .operationDelay(Duration.ofMillis(20))
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    neon.close();
                    backing.close();
                    source.close();
                  },
                  "supaneon-local-environment-shutdown"));
      return new LocalEnvironment(source, database, supabase, neon);
    } catch (RuntimeException e) {
      source.close();
      backing.close();
      throw e;
    }
  }

  public PostgresServer sourceServer() {
    return sourceServer;
  }

  public String sourceDatabase() {
    return sourceDatabase;
  }

  /** The source URL, as Supabase would give it, with the canary password. */
  public String sourceUrl() {
    return TestDatabases.url(sourceServer, sourceDatabase, SOURCE_ROLE, CANARY_PASSWORD);
  }

  public NeonLocal neon() {
    return neon;
  }

  /** The environment a supaneon run reads its settings from. */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SUPABASE_DATABASE_URL", sourceUrl());
    environment.put("NEON_API_URL", neon.apiUrl());
    environment.put("NEON_API_KEY", neon.apiKey());
    environment.put("NEON_PROJECT_ID", neon.projectId());
    return environment;
  }

  /** Everything as {@code it.*} properties, for Maven to pass on. */
  public Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("it.source.url", sourceUrl());
    properties.setProperty("it.source.host", sourceServer.host());
    properties.setProperty("it.source.port", Integer.toString(sourceServer.port()));
    properties.setProperty("it.source.database", sourceDatabase);
    properties.setProperty(
        "it.source.superuser.url", TestDatabases.url(sourceServer, sourceDatabase));
    properties.setProperty(
        "it.supabase.url",
        TestDatabases.url(sourceServer, supabaseDatabase, SOURCE_ROLE, CANARY_PASSWORD));
    properties.setProperty("it.neon.apiUrl", neon.apiUrl());
    properties.setProperty("it.neon.apiKey", neon.apiKey());
    properties.setProperty("it.neon.projectId", neon.projectId());
    properties.setProperty("it.canary.password", CANARY_PASSWORD);
    properties.setProperty("it.canary.apiKey", CANARY_API_KEY);
    return properties;
  }

  public void writeProperties(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties().store(writer, "supaneon local environment: source database and neon-local");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code serve FILE}: starts, writes the file once everything is ready, and serves until the
   * process is stopped (Maven's exec plugin runs it in the background for the build's duration).
   * {@code await FILE SECONDS}: waits for that file and fails if it does not come.
   */
  public static void main(String[] args) throws InterruptedException, IOException {
    if (args.length >= 2 && args[0].equals("serve")) {
      LocalEnvironment environment = start();
      Path file = Path.of(args[1]);
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      environment.writeProperties(partial);
      Files.move(
          partial,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      System.out.println(
          "supaneon local environment: source "
              + environment.sourceServer.description()
              + ", neon-local at "
              + environment.neon.apiUrl()
              + " (project "
              + environment.neon.projectId()
              + ")");
      new java.util.concurrent.CountDownLatch(1).await();
    } else if (args.length == 3 && args[0].equals("await")) {
      Path file = Path.of(args[1]);
      long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
      while (!Files.exists(file)) {
        if (System.nanoTime() > deadline) {
          System.err.println("the local environment did not start within " + args[2] + " s");
          System.exit(1);
        }
        Thread.sleep(100);
      }
    } else {
      throw new IllegalArgumentException("usage: LocalEnvironment serve FILE | await FILE SECONDS");
    }
  }

  @Override
  public void close() {
    neon.close();
    neon.backingServer().close();
    sourceServer.close();
  }
}
