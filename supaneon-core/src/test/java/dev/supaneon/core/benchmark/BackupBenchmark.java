package dev.supaneon.core.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.postgres.PostgresServers;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Backup speed and memory, by command rather than by timed test:
 *
 * <pre>./mvnw -Pbenchmark verify -pl supaneon-core -am</pre>
 *
 * For each size it builds a source table, times the raw {@code pg_dump -Fc | pg_restore} pipeline
 * on the same data, then a supaneon backup in a separate JVM with a small fixed heap, which reports
 * its own peak heap. Figures go to standard output and target/benchmark/.
 *
 * <p>Sizes in rows, from {@code -Dbenchmark.rows=200000,2000000} (about 55 and 550 MB), in the
 * shape {@code -Dbenchmark.shape=events} (one table), {@code shop} (three tables and a foreign
 * key), {@code tables} (a hundred tables), {@code partitions} (one table in a hundred partitions)
 * or {@code documents} (rows with values stored out of line, copied through psql).
 */
public final class BackupBenchmark {

  private static final String HEAP = "-Xmx96m";

  /** Runs of each method per size, from {@code -Dbenchmark.runs} (the profile passes 3). */
  private static final int RUNS = Integer.getInteger("benchmark.runs", 1);

  /** One supaneon backup: when it was verified, its report, its peak heap and CPU lines. */
  private record Backup(long verifiedMillis, JsonNode report, String[] heapLine) {}

  /**
   * The source's tables, from {@code -Dbenchmark.shape}: {@code events}, one table of the given
   * rows with two indexes (the default, comparable with earlier figures), or {@code shop}, the
   * issue's shape: the rows spread over three tables (accounts, orders, events), each with its
   * indexes, and orders referencing accounts by a foreign key; or {@code tables}, the rows spread
   * evenly over {@value #MANY_TABLES} tables shaped like {@code events}; or {@code partitions}, the
   * events table partitioned by id into {@value #MANY_TABLES} ranges; or {@code documents}, a
   * twentieth of the rows, each with 4 KiB stored out of line.
   */
  private static final String SHAPE = System.getProperty("benchmark.shape", "events");

  private static final int MANY_TABLES = 100;

  private static String sourceData(String shape, long rows) {
    String events =
        "CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL, kind text NOT NULL,"
            + " amount numeric(12,2), payload jsonb, note text);"
            + " INSERT INTO events SELECT g, timestamptz '2024-01-01' + g * interval '1 second',"
            + " (ARRAY['signup','login','purchase','refund'])[1 + g %% 4], (g %% 10000) / 100.0,"
            + " jsonb_build_object('user', g %% 50000, 'ok', g %% 7 <> 0), md5(g::text) || repeat('z', g %% 120)"
            + " FROM generate_series(1, %d) AS g;"
            + " CREATE INDEX ON events (happened_at);";
    return switch (shape) {
      case "events" -> String.format(Locale.ROOT, events, rows);
      case "shop" -> {
        long accounts = Math.max(1, rows / 20);
        yield String.format(
                Locale.ROOT,
                "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE,"
                    + " created_at timestamptz NOT NULL, profile jsonb);"
                    + " INSERT INTO accounts SELECT g, 'user' || g || '@example.com',"
                    + " timestamptz '2023-01-01' + g * interval '1 minute',"
                    + " jsonb_build_object('plan', (ARRAY['free','pro','team'])[1 + g %% 3], 'bio', repeat('b', g %% 200))"
                    + " FROM generate_series(1, %d) AS g;"
                    + " CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts,"
                    + " placed_at timestamptz NOT NULL, status text NOT NULL, total numeric(12,2));"
                    + " INSERT INTO orders SELECT g, 1 + g %% %d, timestamptz '2024-01-01' + g * interval '1 second',"
                    + " (ARRAY['open','paid','shipped','refunded'])[1 + g %% 4], (g %% 50000) / 100.0"
                    + " FROM generate_series(1, %d) AS g;"
                    + " CREATE INDEX ON orders (account_id);",
                accounts,
                accounts,
                rows * 2 / 5)
            + String.format(Locale.ROOT, events, rows - accounts - rows * 2 / 5);
      }
      case "tables" -> {
        // An application's many tables: each table's own round trips, read-back, statistics and
        // index builds weigh more than its rows.
        StringBuilder sql = new StringBuilder();
        for (int table = 1; table <= MANY_TABLES; table++) {
          long share = rows / MANY_TABLES + (table <= rows % MANY_TABLES ? 1 : 0);
          sql.append(
              String.format(Locale.ROOT, events, share)
                  .replace("events", String.format(Locale.ROOT, "events_%03d", table)));
        }
        yield sql.toString();
      }
      case "partitions" -> {
        // One table partitioned by id range: the same rows as events, in a tree to analyze.
        StringBuilder partitions = new StringBuilder(" PARTITION BY RANGE (id);");
        for (int partition = 1; partition <= MANY_TABLES; partition++) {
          partitions.append(
              String.format(
                  Locale.ROOT,
                  " CREATE TABLE events_%03d PARTITION OF events FOR VALUES FROM (%d) TO (%s);",
                  partition,
                  1 + (partition - 1) * rows / MANY_TABLES,
                  partition == MANY_TABLES
                      ? "MAXVALUE"
                      : Long.toString(1 + partition * rows / MANY_TABLES)));
        }
        yield String.format(Locale.ROOT, events, rows)
            .replace(" note text);", " note text)" + partitions);
      }
      case "documents" -> {
        // Rows with a body stored out of line (TOAST): 4 KiB of hex that does not compress, one
        // row for every 20 of events' so that the database is of about the same size. These rows
        // travel through psql.
        yield String.format(
            Locale.ROOT,
            "CREATE TABLE documents (id bigint PRIMARY KEY, created_at timestamptz NOT NULL,"
                + " title text NOT NULL, body text);"
                + " INSERT INTO documents SELECT g, timestamptz '2024-01-01' + g * interval '1 minute',"
                + " 'document ' || g, (SELECT string_agg(md5(g::text || '.' || p), '')"
                + " FROM generate_series(1, 128) AS p) FROM generate_series(1, %d) AS g;"
                + " CREATE INDEX ON documents (created_at);",
            Math.max(1, rows / 20));
      }
      default ->
          throw new IllegalArgumentException(
              "-Dbenchmark.shape must be 'events', 'shop', 'tables', 'partitions' or 'documents',"
                  + " not '"
                  + shape
                  + "'");
    };
  }

  /** The run of median time. */
  private static <T> CpuMeter.Measured<T> median(
      List<CpuMeter.Measured<T>> runs, ToLongFunction<T> millis) {
    List<CpuMeter.Measured<T>> sorted =
        runs.stream()
            .sorted(Comparator.comparingLong(m -> millis.applyAsLong(m.result())))
            .toList();
    return sorted.get(sorted.size() / 2);
  }

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("run-backup")) {
      runBackupAndReportHeap(args);
      return;
    }
    List<Long> sizes = new ArrayList<>();
    for (String size : System.getProperty("benchmark.rows", "200000,2000000").split(",")) {
      sizes.add(Long.parseLong(size.strip()));
    }
    Path output = Path.of(System.getProperty("benchmark.output", "target/benchmark"));
    Files.createDirectories(output);
    StringBuilder table =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-10s %10s %12s %12s %12s %12s %8s %10s %10s %12s %10s %10s %12s %10s%n",
                "rows",
                "db size",
                "raw pipe",
                "pgcopydb",
                "supaneon",
                "whole run",
                "ratio",
                "vs copydb",
                "schema",
                "rows+check",
                "indexes",
                "verify",
                "peak heap",
                "jvm cpu"));
    StringBuilder cpuTable =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-10s %-10s %12s %12s %12s %12s %12s %12s%n",
                "rows",
                "method",
                "source pg",
                "target pg",
                "neon-local",
                "clients",
                "total",
                "total/cores"));
    try (PostgresServer source = PostgresServers.start();
        PostgresServer backing = PostgresServers.start();
        // A paid plan's storage: the larger size would not fit the Free plan's 512 MiB beside
        // the smaller one's backup, and preflight would rightly refuse it.
        NeonLocal neon =
            NeonLocal.builder()
                .backingServer(backing)
                .branchLimit(10)
                .storageLimitMib(64 * 1024)
                .start()) {
      PgClientTools tools =
          PgClientTools.choose(Optional.empty(), source.majorVersion(), backing.majorVersion());
      Optional<CpuMeter> cpu = CpuMeter.of(source, backing);
      for (long rows : sizes) {
        String database = TestDatabases.createDatabase(source, "bench");
        TestDatabases.execute(source, database, sourceData(SHAPE, rows));
        // Settled before the first method reads it: hint bits set, nothing left for autovacuum,
        // whose work would otherwise land in whichever method's run it chose.
        TestDatabases.execute(source, database, "VACUUM (ANALYZE)");
        long databaseBytes = databaseSize(source, database);

        // Alternating runs, medians reported: one run on a shared 2-core machine varies by 10-20 %.
        List<CpuMeter.Measured<Long>> raws = new ArrayList<>();
        List<CpuMeter.Measured<Long>> copydbs = new ArrayList<>();
        List<CpuMeter.Measured<Backup>> backups = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
          raws.add(CpuMeter.measure(cpu, () -> rawPipeline(tools, source, database, backing)));
          copydbs.add(CpuMeter.measure(cpu, () -> pgcopydb(source, database, backing)));
          Path reports = output.resolve("reports-" + rows + "-" + run);
          Path reportFile = output.resolve("backup-" + rows + "-" + run + ".json");
          backups.add(
              CpuMeter.measure(
                  cpu,
                  () -> {
                    String[] heapLine =
                        backupInChildJvm(
                            neon, TestDatabases.url(source, database), reports, reportFile);
                    JsonNode report =
                        new ObjectMapper().readTree(reports.resolve("backup-report.json").toFile());
                    return new Backup(verifiedAfterMillis(report), report, heapLine);
                  }));
        }
        CpuMeter.Measured<Long> rawRun = median(raws, Long::longValue);
        CpuMeter.Measured<Long> copydbRun = median(copydbs, Long::longValue);
        CpuMeter.Measured<Backup> backupRun = median(backups, Backup::verifiedMillis);
        long raw = rawRun.result();
        long pgcopydb = copydbRun.result();
        JsonNode report = backupRun.result().report();
        String[] heapLine = backupRun.result().heapLine();
        long whole = report.get("duration_ms").asLong();
        long total = backupRun.result().verifiedMillis();
        appendCpu(cpuTable, rows, "raw pipe", rawRun);
        if (pgcopydb >= 0) {
          appendCpu(cpuTable, rows, "pgcopydb", copydbRun);
        }
        appendCpu(cpuTable, rows, "supaneon", backupRun);
        table.append(
            String.format(
                Locale.ROOT,
                "%-10d %10s %12s %12s %12s %12s %8.2f %10s %10s %12s %10s %10s %12s %10s%n",
                rows,
                Formats.bytes(databaseBytes),
                Formats.millis(raw),
                pgcopydb < 0 ? "-" : Formats.millis(pgcopydb),
                Formats.millis(total),
                Formats.millis(whole),
                total / (double) raw,
                pgcopydb < 0 ? "-" : String.format(Locale.ROOT, "%.2f", total / (double) pgcopydb),
                Formats.millis(report.get("copy").get("schema_ms").asLong()),
                Formats.millis(report.get("copy").get("rows_ms").asLong()),
                Formats.millis(report.get("copy").get("indexes_ms").asLong()),
                Formats.millis(report.get("verify_ms").asLong()),
                heapLine[0],
                heapLine[1]));
        TestDatabases.execute(source, "postgres", "DROP DATABASE \"" + database + "\"");
      }
    }
    String result =
        "supaneon backup benchmark, shape '"
            + SHAPE
            + "' (median of "
            + RUNS
            + " alternating run(s) per size; "
            + HEAP
            + " for the backup JVM; 'supaneon' = from the run's start until its backup is verified"
            + " (preflight, branch, copy, verification, manifest, expiry cleared); 'whole run' adds"
            + " the standby's refresh, retention and the report; 'ratio' = supaneon wall time /"
            + " raw pg_dump|pg_restore wall time; 'vs copydb' = supaneon / pgcopydb clone --table-jobs 2"
            + " --index-jobs 2 (unverified; '-' when pgcopydb is not installed); 'rows+check' copies the"
            + " rows in parallel streams and reads each table back; 'verify' compares and checks the"
            + " rest)\n"
            + table
            + "\nCPU seconds of the median run of each method, the whole machine's (Linux only):"
            + " both servers' sessions, neon-local's proxy and API, and the client processes"
            + " (supaneon: the backup JVM's whole run with its pg_dump and pg_restore). On "
            + Runtime.getRuntime().availableProcessors()
            + " cores no arrangement of a run takes less wall time than 'total/cores'.\n"
            + cpuTable;
    System.out.println(result);
    Files.writeString(output.resolve("backup-benchmark.txt"), result, StandardCharsets.UTF_8);
  }

  private static void appendCpu(
      StringBuilder table, long rows, String method, CpuMeter.Measured<?> run) {
    run.cpu()
        .ifPresent(
            cpu ->
                table.append(
                    String.format(
                        Locale.ROOT,
                        "%-10d %-10s %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f%n",
                        rows,
                        method,
                        cpu.sourceServer() / 1000.0,
                        cpu.targetServer() / 1000.0,
                        cpu.neonLocal() / 1000.0,
                        cpu.clients() / 1000.0,
                        cpu.total() / 1000.0,
                        cpu.total() / 1000.0 / Runtime.getRuntime().availableProcessors())));
  }

  /**
   * From the run's start until the backup is marked verified: the standby refresh and retention
   * that follow are other work (on neon-local, the standby's restore copies the database's files,
   * where Neon's copy-on-write restore copies nothing).
   */
  private static long verifiedAfterMillis(JsonNode report) {
    java.time.Instant start = null;
    for (JsonNode phase : report.get("phases")) {
      java.time.Instant started = java.time.Instant.parse(phase.get("started_at").asText());
      start = start == null ? started : start;
      if (phase.get("phase").asText().equals(Phase.FINALIZE.label())) {
        return Duration.between(start, started).toMillis() + phase.get("duration_ms").asLong();
      }
    }
    throw new IllegalStateException("the report has no '" + Phase.FINALIZE.label() + "' phase");
  }

  private static long databaseSize(PostgresServer server, String database) throws Exception {
    try (var connection = server.connectAsSuperuser(database);
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT pg_database_size(current_database())")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The baseline: the tools alone, piped by the shell, into a fresh database. */
  private static long rawPipeline(
      PgClientTools tools, PostgresServer source, String database, PostgresServer target)
      throws Exception {
    String copy = TestDatabases.createDatabase(target, "raw");
    ProcessBuilder shell =
        new ProcessBuilder(
                "bash",
                "-c",
                "set -o pipefail; PGHOST=$SRC_HOST PGPORT=$SRC_PORT PGPASSWORD=$SRC_PASSWORD \"$PG_DUMP\" -Fc --no-password"
                    + " -U \"$SRC_USER\" -d \"$SRC_DB\" | PGHOST=$DST_HOST PGPORT=$DST_PORT PGPASSWORD=$DST_PASSWORD"
                    + " \"$PG_RESTORE\" --no-password --no-owner --no-acl --exit-on-error --single-transaction"
                    + " -U \"$DST_USER\" -d \"$DST_DB\"")
            .redirectErrorStream(true);
    Map<String, String> env = shell.environment();
    env.put("PG_DUMP", tools.pgDump().toString());
    env.put("PG_RESTORE", tools.pgRestore().toString());
    env.put("PGSSLMODE", "require");
    env.put("SRC_HOST", source.host());
    env.put("SRC_PORT", Integer.toString(source.port()));
    env.put("SRC_USER", source.superuser());
    env.put("SRC_PASSWORD", source.superuserPassword());
    env.put("SRC_DB", database);
    env.put("DST_HOST", target.host());
    env.put("DST_PORT", Integer.toString(target.port()));
    env.put("DST_USER", target.superuser());
    env.put("DST_PASSWORD", target.superuserPassword());
    env.put("DST_DB", copy);
    long started = System.nanoTime();
    Process process = shell.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IllegalStateException("the raw pipeline failed: " + output);
    }
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    TestDatabases.execute(target, "postgres", "DROP DATABASE \"" + copy + "\"");
    return millis;
  }

  /**
   * Debian's pgcopydb, the yardstick: an unverified parallel clone into a fresh database; -1 when
   * it is not installed. Connection strings go through its environment, not its arguments.
   */
  private static long pgcopydb(PostgresServer source, String database, PostgresServer target)
      throws Exception {
    Optional<Path> pgcopydb = Optional.of(Path.of("/usr/bin/pgcopydb")).filter(Files::isExecutable);
    if (pgcopydb.isEmpty()) {
      return -1;
    }
    String copy = TestDatabases.createDatabase(target, "copydb");
    Path work = Files.createTempDirectory("pgcopydb");
    ProcessBuilder clone =
        new ProcessBuilder(
                pgcopydb.get().toString(),
                "clone",
                "--table-jobs",
                "2",
                "--index-jobs",
                "2",
                "--no-owner",
                "--no-acl",
                "--dir",
                work.toString())
            .redirectErrorStream(true);
    clone.environment().put("PGCOPYDB_SOURCE_PGURI", TestDatabases.url(source, database));
    clone.environment().put("PGCOPYDB_TARGET_PGURI", TestDatabases.url(target, copy));
    long started = System.nanoTime();
    Process process = clone.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IllegalStateException("pgcopydb failed: " + output);
    }
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    TestDatabases.execute(target, "postgres", "DROP DATABASE \"" + copy + "\"");
    return millis;
  }

  private static String[] backupInChildJvm(
      NeonLocal neon, String sourceUrl, Path reports, Path reportFile)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), HEAP, "-XX:+UseSerialGC"));
    // More JVM options for the backup, for profiling: -Dbenchmark.jvmArgs="-XX:..."
    for (String option : System.getProperty("benchmark.jvmArgs", "").split(" ")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BackupBenchmark.class.getName(),
            "run-backup",
            reports.toString()));
    ProcessBuilder child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    child.environment().put("SUPABASE_DATABASE_URL", sourceUrl);
    child.environment().put("NEON_API_KEY", neon.apiKey());
    child.environment().put("NEON_PROJECT_ID", neon.projectId());
    child.environment().put("NEON_API_URL", neon.apiUrl());
    // The copy is what is measured: each size is a new source, which the unchanged-source check
    // would first compare with the previous size's backup (-Dbenchmark.skipUnchanged=true times
    // that comparison too).
    child
        .environment()
        .put("SUPANEON_SKIP_UNCHANGED", System.getProperty("benchmark.skipUnchanged", "false"));
    Process process = child.start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IllegalStateException("the supaneon backup failed: " + output);
    }
    Files.writeString(reportFile, output, StandardCharsets.UTF_8);
    String[] lines = output.split("\n");
    return new String[] {lines[lines.length - 1], lines[lines.length - 2]};
  }

  /** In the child JVM: one backup, then the heap's peak use (sum of the heap pools' peaks). */
  private static long cpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  private static void runBackupAndReportHeap(String[] args) {
    BackupSettings settings =
        new SettingsBuilder()
            .set(Setting.REPORT_DIRECTORY, args[1])
            .fromEnvironment(System.getenv())
            .backup();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    // The JVM's own CPU time, phase by phase: on a small machine it competes with both servers.
    StringBuilder cpuByPhase = new StringBuilder();
    RunListener cpuMeter =
        new RunListener() {
          private long before = cpuMillis();

          @Override
          public void phaseFinished(Phase phase, Duration duration, String summary) {
            long now = cpuMillis();
            cpuByPhase.append(String.format(Locale.ROOT, " %s=%d", phase.label(), now - before));
            before = now;
          }
        };
    BackupReport report =
        new BackupRun(
                settings,
                new RunContext(cpuMeter, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
            .execute();
    System.err.println("jvm cpu ms by phase:" + cpuByPhase);
    CpuMeter.threadsOfThisJvm()
        .ifPresent(threads -> System.err.println("jvm cpu ms by thread: " + threads));
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println(report.outcome());
    System.out.println(
        ProcessHandle.current()
            .info()
            .totalCpuDuration()
            .map(cpu -> Formats.millis(cpu.toMillis()))
            .orElse("-"));
    System.out.println(Formats.bytes(peak));
  }
}
