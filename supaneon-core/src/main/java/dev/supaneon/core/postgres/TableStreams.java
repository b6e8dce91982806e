package dev.supaneon.core.postgres;

import static dev.supaneon.core.postgres.ToolProcesses.remaining;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.postgres.ParallelCopy.Options;
import dev.supaneon.core.postgres.TablePlan.PageRange;
import dev.supaneon.core.progress.RunListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The rows of a copy: {@code jobs} workers, each with a source session in the snapshot and a target
 * session, take parts off one queue, biggest tables first. A table's last part queues its read-back
 * at the front, and its last read-back its statistics, so verification of one table overlaps the
 * copy of the others.
 */
final class TableStreams {

  private final PostgresUrl source;
  private final PostgresUrl target;
  private final SourceSnapshot snapshot;
  private final Options options;
  private final StatisticsPlan statistics;
  private final CopyProgress progress;
  private final PsqlCopyOut psql;
  private final List<Connection> sessions = new ArrayList<>();

  /** When the copy must be over; set before any worker starts. */
  private long deadline;

  TableStreams(
      PostgresUrl source,
      PostgresUrl target,
      SourceSnapshot snapshot,
      Options options,
      StatisticsPlan statistics,
      Path psql,
      RunListener listener) {
    this.psql = new PsqlCopyOut(psql, List.of(source.password(), target.password()), listener);
    this.source = source;
    this.target = target;
    this.snapshot = snapshot;
    this.options = options;
    this.statistics = statistics;
    this.progress = new CopyProgress(listener, options.progressInterval());
  }

  List<CopiedTable> run(List<TablePlan> plans, List<TableRef> withoutData, long deadline)
      throws Exception {
    this.deadline = deadline;
    WorkQueue<Task> queue = new WorkQueue<>();
    plans.stream()
        .sorted(Comparator.comparingLong((TablePlan p) -> p.bytes).reversed())
        .forEach(plan -> plan.parts.forEach(range -> queue.add(new CopyPart(plan, range))));
    List<CountRows> counts = withoutData.stream().map(CountRows::new).toList();
    counts.forEach(queue::add);
    ExecutorService workers =
        Executors.newFixedThreadPool(options.jobs(), DaemonThreads.named("supaneon-copy"));
    try {
      List<Future<Void>> running = new ArrayList<>();
      for (int i = 0; i < options.jobs(); i++) {
        running.add(workers.submit(() -> work(queue, deadline)));
      }
      for (Future<Void> worker : running) {
        try {
          worker.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          queue.fail(new PgToolsException("timed out"));
          throw new PgToolsException(
              "The copy of the rows did not finish within "
                  + options.timeout().toMinutes()
                  + " minutes (supaneon.runTimeout); nothing is marked as a backup");
        } catch (ExecutionException e) {
          // The first failure is the cause; the others are sessions it closed.
          throw queue.failure().orElse(e.getCause() instanceof Exception c ? c : e);
        }
      }
    } finally {
      abortSessions();
      workers.shutdownNow();
      ToolProcesses.awaitQuietly(workers);
    }
    List<CopiedTable> tables = new ArrayList<>();
    for (TablePlan plan : plans) {
      tables.add(
          new CopiedTable(
              plan.sourceFingerprint(options.checksums()),
              plan.copyFingerprint(options.checksums()),
              true));
    }
    for (CountRows count : counts) {
      tables.add(count.result);
    }
    return tables;
  }

  private Void work(WorkQueue<Task> queue, long deadline) throws Exception {
    try (Connection from = PgConnections.open(source, "the source database");
        Connection to = PgConnections.open(target, "the target database")) {
      register(from);
      register(to);
      CopySessions.prepare(from, deadline);
      snapshot.share(from);
      CopySessions.prepare(to, deadline);
      Task task;
      while ((task = queue.take()) != null) {
        try {
          queue.done(task.run(from, to));
        } catch (SQLException e) {
          // Named while both sessions are still as the failure left them.
          throw new PgToolsException(
              task.describe()
                  + " failed: "
                  + source.password().scrub(target.password().scrub(e.getMessage()))
                  + lostSide(from, to)
                  + "; nothing is marked as a backup",
              e);
        }
      }
      return null;
    } catch (Exception e) {
      queue.fail(e);
      abortSessions();
      throw e;
    }
  }

  /** Which side's connection broke, when one did: an I/O error alone does not say. */
  private static String lostSide(Connection from, Connection to) throws SQLException {
    if (from.isClosed()) {
      return " (the connection to the source database was lost)";
    }
    return to.isClosed() ? " (the connection to the target database was lost)" : "";
  }

  private synchronized void register(Connection session) {
    sessions.add(session);
  }

  /**
   * Closes every session and ends every psql at once: a failed copy must stop, not finish its other
   * streams.
   */
  private synchronized void abortSessions() {
    psql.abort();
    for (Connection session : sessions) {
      try {
        session.abort(Runnable::run);
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A piece of work for a worker; returns work it makes possible, queued at the front. */
  private interface Task {
    List<Task> run(Connection from, Connection to) throws Exception;

    /** What the task does, for errors. */
    String describe();
  }

  /** Streams one range of a table from the snapshot into the target, hashing every row. */
  private final class CopyPart implements Task {
    private final TablePlan plan;
    private final PageRange range;

    CopyPart(TablePlan plan, PageRange range) {
      this.plan = plan;
      this.range = range;
    }

    @Override
    public String describe() {
      return "Copying the rows of " + plan.table.displayName();
    }

    @Override
    public List<Task> run(Connection from, Connection to) throws Exception {
      RowDigest digest;
      CopyIn in = to.unwrap(PGConnection.class).getCopyAPI().copyIn(plan.copyIn());
      long sent;
      long inserted;
      long bytes;
      try {
        if (plan.toasted) {
          PsqlCopyOut.Rows rows =
              psql.read(
                  source,
                  CopySessions.onSource(deadline, snapshot, plan.copyOut(range)),
                  plan.format,
                  (piece, offset, length) -> {
                    in.writeToCopy(piece, offset, length);
                    progress.add(length);
                  },
                  deadline);
          digest = rows.digest();
          sent = digest.rows();
          bytes = rows.bytes();
        } else {
          digest = new RowDigest(plan.format);
          RowForwarder forwarder = new RowForwarder(digest, in, progress::add);
          sent =
              from.unwrap(PGConnection.class).getCopyAPI().copyOut(plan.copyOut(range), forwarder);
          forwarder.flush();
          bytes = forwarder.bytes();
        }
        inserted = in.endCopy();
      } catch (RowForwarder.TargetFailure e) {
        throw e.failure();
      } finally {
        cancel(in);
      }
      if (sent != digest.rows() || inserted != sent) {
        throw new PgToolsException(
            plan.table.displayName()
                + ": the source sent "
                + sent
                + " rows in "
                + digest.rows()
                + " messages and the target took "
                + inserted
                + "; nothing is marked as a backup");
      }
      if (!plan.partCopied(digest, bytes)) {
        return List.of();
      }
      if (!options.checksums()) {
        return List.of(new CountCopy(plan, statistics));
      }
      int readParts = readParts(to);
      // Most tables are read back whole, without asking for their page count first.
      List<PageRange> ranges =
          readParts < 2 ? List.of(PageRange.WHOLE) : PageRange.split(targetPages(to), readParts);
      AtomicInteger readBacksLeft = new AtomicInteger(ranges.size());
      return ranges.stream().map(r -> (Task) new ReadBack(plan, r, readBacksLeft)).toList();
    }

    /** From the version the server announced at login: one round trip less per table. */
    private int readParts(Connection to) throws SQLException {
      int major = to.getMetaData().getDatabaseMajorVersion();
      return major * 10000 >= TablePlan.TID_RANGE_SCANS ? plan.parts.size() : 1;
    }

    private long targetPages(Connection to) throws SQLException {
      try (PreparedStatement statement =
          to.prepareStatement(
              "SELECT pg_catalog.pg_relation_size(?::pg_catalog.regclass)"
                  + " / pg_catalog.current_setting('block_size')::int")) {
        statement.setString(1, plan.table.quoted());
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    }
  }

  /**
   * Reads a range of a loaded table back out of the target and hashes it the same way; the last
   * range read queues the table's statistics.
   */
  private final class ReadBack implements Task {
    private final TablePlan plan;
    private final PageRange range;
    private final AtomicInteger readBacksLeft;

    ReadBack(TablePlan plan, PageRange range, AtomicInteger readBacksLeft) {
      this.plan = plan;
      this.range = range;
      this.readBacksLeft = readBacksLeft;
    }

    @Override
    public String describe() {
      return "Reading " + plan.table.displayName() + " back from the target";
    }

    @Override
    public List<Task> run(Connection from, Connection to) throws Exception {
      RowDigest digest =
          plan.toasted
              ? psql.read(
                      target,
                      CopySessions.onTarget(deadline, plan.copyOut(range)),
                      plan.format,
                      PsqlCopyOut.Pieces.NONE,
                      deadline)
                  .digest()
              : RowDigest.read(to, plan.copyOut(range), plan.format);
      plan.readBack(digest);
      return readBacksLeft.decrementAndGet() == 0 ? Analyze.once(statistics, plan) : List.of();
    }
  }

  /** Counts a loaded table's rows in the target, when checksums are off. */
  private record CountCopy(TablePlan plan, StatisticsPlan statistics) implements Task {
    @Override
    public String describe() {
      return "Counting the rows of " + plan.table.displayName() + " in the target";
    }

    @Override
    public List<Task> run(Connection from, Connection to) throws SQLException {
      plan.counted(count(to, plan.table));
      return Analyze.once(statistics, plan);
    }
  }

  /** Gathers the planner statistics of a table or partition tree; see {@link StatisticsPlan}. */
  private record Analyze(TableRef table) implements Task {
    /** The ANALYZE a loaded and checked table makes due now, if any. */
    static List<Task> once(StatisticsPlan statistics, TablePlan plan) {
      return statistics
          .loaded(plan)
          .map(table -> List.<Task>of(new Analyze(table)))
          .orElse(List.of());
    }

    @Override
    public String describe() {
      return "Gathering the statistics of " + table.displayName() + " in the target";
    }

    @Override
    public List<Task> run(Connection from, Connection to) throws SQLException {
      execute(to, "ANALYZE " + table.quoted());
      return List.of();
    }
  }

  /** A table whose rows were left out: counted at the snapshot, and must arrive empty. */
  private static final class CountRows implements Task {
    private final TableRef table;
    private CopiedTable result;

    CountRows(TableRef table) {
      this.table = table;
    }

    @Override
    public String describe() {
      return "Counting the rows of " + table.displayName();
    }

    @Override
    public List<Task> run(Connection from, Connection to) throws SQLException {
      result =
          new CopiedTable(
              new TableFingerprint(table, count(from, table), Optional.empty()),
              new TableFingerprint(table, count(to, table), Optional.empty()),
              false);
      return List.of();
    }
  }

  private static long count(Connection connection, TableRef table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM ONLY " + table.quoted())) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void cancel(org.postgresql.copy.CopyOperation copy) {
    if (copy != null && copy.isActive()) {
      try {
        copy.cancelCopy();
      } catch (SQLException ignored) {
        // the failure that led here is the one to report
      }
    }
  }
}
