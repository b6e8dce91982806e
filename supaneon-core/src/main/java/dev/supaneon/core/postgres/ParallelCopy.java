package dev.supaneon.core.postgres;

import static dev.supaneon.core.postgres.ToolProcesses.remaining;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Secret;
import dev.supaneon.core.progress.RunListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The copy engine, in pgcopydb's shape but with no data on a disk:
 *
 * <ol>
 *   <li>pre-data (tables, types, functions) through {@code pg_dump --section=pre-data |
 *       pg_restore}, in one transaction, while the post-data section (indexes, constraints,
 *       triggers, policies) is written to a schema-only temporary archive;
 *   <li>the rows: parallel {@code COPY} streams between source and target sessions, every source
 *       session in the exported snapshot, big tables split into ranges of heap pages; each row is
 *       hashed as it passes ({@link RowDigest}). Meanwhile sequences, large objects and extension
 *       configuration rows go through {@code pg_dump --section=data | pg_restore}. As soon as a
 *       table is loaded it is read back from the target and hashed again, beside the copy of the
 *       others;
 *   <li>post-data from the archive with {@code pg_restore --jobs}; the archive is then deleted.
 *       Tables whose statistics need post-data's objects are analyzed then ({@link
 *       StatisticsPlan}).
 * </ol>
 *
 * <p>Any failure stops everything and fails the copy: the caller discards the target. Connection
 * details reach the tools through their environment only.
 */
public final class ParallelCopy {

  /**
   * How the copy runs.
   *
   * @param partBytes tables of twice this size and more are split into parts of about this size
   */
  public record Options(
      int jobs, boolean checksums, Duration timeout, Duration progressInterval, long partBytes) {
    public Options {
      if (jobs < 1 || partBytes < 1) {
        throw new IllegalArgumentException("jobs and partBytes must be positive");
      }
    }

    public Options(int jobs, boolean checksums, Duration timeout, Duration progressInterval) {
      this(jobs, checksums, timeout, progressInterval, TablePlan.PART_BYTES);
    }
  }

  /**
   * One table at the source's snapshot and in the copy, as read back. For a table whose rows were
   * left out, {@code dataCopied} is false and the copy must be empty.
   */
  public record CopiedTable(TableFingerprint source, TableFingerprint copy, boolean dataCopied) {}

  /**
   * What was copied. {@code sha256} digests every table's fingerprint: copies of one snapshot give
   * the same digest however their rows were streamed. {@code binaryTables} of the tables whose rows
   * were copied travelled in binary COPY, the rest as text; {@code tablesThroughPsql} of them, with
   * values stored out of line, were read through psql.
   */
  public record Result(
      List<CopiedTable> tables,
      int binaryTables,
      int tablesThroughPsql,
      long bytes,
      String sha256,
      Duration schema,
      Duration rows,
      Duration indexes,
      Duration elapsed) {}

  private final PgClientTools tools;
  private final PostgresUrl source;
  private final PostgresUrl target;
  private final Options options;
  private final RunListener listener;

  public ParallelCopy(
      PgClientTools tools,
      PostgresUrl source,
      PostgresUrl target,
      Options options,
      RunListener listener) {
    this.tools = tools;
    this.source = source;
    this.target = target;
    this.options = options;
    this.listener = listener;
  }

  /**
   * Copies the snapshot into the (empty) target database.
   *
   * @param scopeArguments pg_dump arguments selecting the scope; never connection details
   * @param withData tables whose rows are copied
   * @param withoutData tables that are created empty; their source rows are only counted
   */
  public Result run(
      SourceSnapshot snapshot,
      List<String> scopeArguments,
      List<TableRef> withData,
      List<TableRef> withoutData)
      throws Exception {
    long started = System.nanoTime();
    long deadline = started + options.timeout().toNanos();
    List<String> common = new ArrayList<>();
    common.add("--snapshot=" + snapshot.id());
    common.addAll(scopeArguments);
    // With --schema, pg_dump leaves large objects out unless asked: they are data too.
    List<String> blobs = snapshot.largeObjects() > 0 ? List.of("--blobs") : List.of();
    // Owner-only (0600) on POSIX systems; it holds the schema's DDL, never a row.
    Path archive = Files.createTempFile("supaneon-post-data-", ".archive");
    ExecutorService background =
        Executors.newFixedThreadPool(2, DaemonThreads.named("supaneon-schema"));
    try {
      Future<Void> postDataDump =
          background.submit(
              () -> {
                dumpToFile(concat(common, List.of("--section=post-data")), archive, deadline);
                return null;
              });
      Future<ServerInfo> targetServer = background.submit(this::targetServer);
      DumpRestorePipeline.Result preData =
          pipeline(concat(common, List.of("--section=pre-data"), blobs), deadline).run();
      await(postDataDump, deadline, "pg_dump of the post-data section");
      boolean binaryTarget =
          await(targetServer, deadline, "connecting to the target").majorVersion()
              == snapshot.serverVersion() / 10000;
      List<TablePlan> plans;
      try {
        plans =
            TablePlan.read(snapshot, withData, options.jobs(), options.partBytes(), binaryTarget);
      } catch (SQLException e) {
        throw new PgToolsException(
            "The tables of the source database could not be read at the snapshot: "
                + source.password().scrub(e.getMessage())
                + "; nothing is marked as a backup",
            e);
      }
      Path psql = tools.psql();
      if (plans.stream().anyMatch(p -> p.toasted) && !Files.isExecutable(psql)) {
        throw new PgToolsException(
            "Tables with values stored out of line (TOAST) are copied through psql, and "
                + psql
                + " is missing: install the PostgreSQL client package that holds pg_dump, which"
                + " has it; nothing is marked as a backup");
      }
      long schemaDone = System.nanoTime();

      List<String> rest = concat(common, List.of("--section=data"), blobs);
      // Every table's rows are the streams' business: copied, or left out.
      List<TableRef> handled = concat(withData, withoutData);
      for (String pattern : Identifiers.exactTablePatterns(handled)) {
        rest.add("--exclude-table-data=" + pattern);
      }
      Future<DumpRestorePipeline.Result> restData =
          background.submit(pipeline(rest, deadline)::run);
      StatisticsPlan statistics = new StatisticsPlan(plans);
      List<CopiedTable> tables;
      try {
        tables =
            new TableStreams(source, target, snapshot, options, statistics, psql, listener)
                .run(plans, withoutData, deadline);
      } catch (Exception e) {
        restData.cancel(true);
        throw e;
      }
      DumpRestorePipeline.Result restResult =
          await(restData, deadline, "sequences and large objects (pg_dump --section=data)");
      long rowsDone = System.nanoTime();

      restorePostData(archive, deadline);
      analyzeAfterPostData(statistics.afterPostData(), deadline);
      long indexesDone = System.nanoTime();
      long bytes =
          preData.bytes()
              + restResult.bytes()
              + Files.size(archive)
              + plans.stream().mapToLong(p -> p.copiedBytes).sum();
      return new Result(
          tables,
          (int) plans.stream().filter(p -> p.format == CopyFormat.BINARY).count(),
          (int) plans.stream().filter(p -> p.toasted).count(),
          bytes,
          contentDigest(tables),
          Duration.ofNanos(schemaDone - started),
          Duration.ofNanos(rowsDone - schemaDone),
          Duration.ofNanos(indexesDone - rowsDone),
          Duration.ofNanos(indexesDone - started));
    } finally {
      background.shutdownNow();
      ToolProcesses.awaitQuietly(background);
      Files.deleteIfExists(archive);
    }
  }

  private ServerInfo targetServer() throws SQLException {
    try (Connection connection = PgConnections.open(target, "the target database")) {
      return ServerInfo.of(connection);
    }
  }

  private DumpRestorePipeline pipeline(List<String> dumpArguments, long deadline) {
    return new DumpRestorePipeline(
        tools,
        source,
        target,
        dumpArguments,
        listener,
        Duration.ofNanos(remaining(deadline)),
        options.progressInterval());
  }

  private void dumpToFile(List<String> arguments, Path archive, long deadline)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tools.pgDump().toString());
    command.add("--format=custom");
    command.add("--compress=0");
    command.add("--no-password");
    command.add("--file=" + archive);
    command.addAll(arguments);
    ToolProcesses.runToEnd(
        command,
        source.libpqEnvironment(),
        "pg_dump",
        secrets(),
        listener,
        deadline,
        "the post-data section could not be read; nothing is marked as a backup.");
  }

  /** Restores the post-data archive in parallel. */
  private void restorePostData(Path archive, long deadline) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tools.pgRestore().toString());
    command.add("--no-password");
    command.add("--exit-on-error");
    command.add("--jobs=" + options.jobs());
    command.add("--no-owner");
    command.add("--no-acl");
    command.add("--no-security-labels");
    command.add("--no-tablespaces");
    command.add("--dbname=" + target.database());
    command.add(archive.toString());
    ToolProcesses.runToEnd(
        command,
        target.libpqEnvironment(),
        "pg_restore",
        secrets(),
        listener,
        deadline,
        "Indexes, constraints or triggers could not be created; nothing is marked as a backup.");
  }

  /**
   * Gathers the statistics that waited for post-data ({@link StatisticsPlan}), in one session set
   * up as the copy's are.
   */
  private void analyzeAfterPostData(List<TableRef> waiting, long deadline) throws SQLException {
    if (waiting.isEmpty()) {
      return;
    }
    try (Connection connection = PgConnections.open(target, "the target database");
        Statement statement = connection.createStatement()) {
      CopySessions.prepare(connection, deadline);
      for (TableRef table : waiting) {
        try {
          statement.execute("ANALYZE " + table.quoted());
        } catch (SQLException e) {
          throw new PgToolsException(
              "Gathering the statistics of "
                  + table.displayName()
                  + " in the target failed: "
                  + target.password().scrub(e.getMessage())
                  + "; nothing is marked as a backup",
              e);
        }
      }
    }
  }

  private List<Secret> secrets() {
    return List.of(source.password(), target.password());
  }

  /**
   * SHA-256 of every table's name, rows and checksum, in name order. pg_dump's archives carry the
   * time they were made, so they cannot be part of a digest of the content.
   */
  private static String contentDigest(List<CopiedTable> tables) throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    StringBuilder text = new StringBuilder();
    tables.stream()
        .map(CopiedTable::source)
        .sorted(Comparator.comparing(TableFingerprint::table))
        .forEach(
            f ->
                text.append(f.table().quoted())
                    .append(' ')
                    .append(f.rowCount())
                    .append(' ')
                    .append(f.checksum().orElse("-"))
                    .append('\n'));
    return HexFormat.of()
        .formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static <T> T await(Future<T> work, long deadline, String what) throws Exception {
    try {
      return work.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      work.cancel(true);
      throw new PgToolsException(
          what + " did not finish in time (supaneon.runTimeout); nothing is marked as a backup");
    }
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T>... parts) {
    List<T> all = new ArrayList<>();
    for (List<T> part : parts) {
      all.addAll(part);
    }
    return all;
  }
}
