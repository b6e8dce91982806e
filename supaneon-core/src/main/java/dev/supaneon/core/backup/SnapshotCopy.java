package dev.supaneon.core.backup;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.postgres.DumpRestorePipeline;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.supabase.ResolvedScope;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The copy itself: one REPEATABLE READ snapshot of the source is exported, and in it the source's
 * table fingerprints are taken while {@code pg_dump --snapshot} streams the same instant into
 * {@code pg_restore}. So the fingerprints describe exactly what was copied.
 */
final class SnapshotCopy {

  private record Snapshot(String id, Instant at, List<TableRef> tables, long largeObjects) {}

  private final PostgresUrl source;
  private final boolean checksums;
  private final RunListener listener;
  private final Clock clock;
  private final Duration progressInterval;
  private final String sourceName;

  /** {@code sourceName} names the source in errors. */
  SnapshotCopy(
      PostgresUrl source,
      boolean checksums,
      RunListener listener,
      Clock clock,
      Duration progressInterval,
      String sourceName) {
    this.source = source;
    this.checksums = checksums;
    this.listener = listener;
    this.clock = clock;
    this.progressInterval = progressInterval;
    this.sourceName = sourceName;
  }

  /** Copies the scope into {@code target}; returns the source's fingerprints at the snapshot. */
  List<TableFingerprint> run(
      PgClientTools tools,
      ResolvedScope scope,
      PostgresUrl target,
      PhaseTimer phases,
      BackupRecorder report,
      Instant deadline)
      throws Exception {
    try (Connection snapshotConnection = PgConnections.open(source, sourceName)) {
      Snapshot snapshot =
          phases.run(
              Phase.SNAPSHOT,
              () -> exportSnapshot(snapshotConnection, scope),
              s -> "snapshot " + s.id() + " at " + s.at() + ", " + s.tables().size() + " table(s)");
      report.snapshotAt = snapshot.at();
      report.largeObjects = snapshot.largeObjects();
      Set<TableRef> leftOut = new HashSet<>(scope.tablesLeftOut());
      List<TableRef> tables = snapshot.tables().stream().filter(t -> !leftOut.contains(t)).toList();

      ExecutorService fingerprinter =
          Executors.newSingleThreadExecutor(
              work -> {
                Thread thread = new Thread(work, "supaneon-source-fingerprint");
                thread.setDaemon(true);
                return thread;
              });
      try {
        Future<List<TableFingerprint>> fingerprints =
            fingerprinter.submit(
                () ->
                    phases.run(
                        Phase.SOURCE_FINGERPRINT,
                        () -> fingerprint(snapshotConnection, tables, deadline),
                        r ->
                            r.size()
                                + " table(s), "
                                + r.stream().mapToLong(TableFingerprint::rowCount).sum()
                                + " row(s)"));
        DumpRestorePipeline.Result piped;
        try {
          piped =
              phases.run(
                  Phase.DUMP_RESTORE,
                  pipeline(tools, scope, snapshot, target, deadline)::run,
                  r ->
                      Formats.bytes(r.bytes())
                          + " in "
                          + Formats.duration(r.elapsed())
                          + ", sha256 "
                          + r.sha256());
        } catch (Exception e) {
          abort(snapshotConnection);
          // A fingerprint query that failed (a missing privilege, say) aborted the snapshot's
          // transaction, which is why pg_dump could not import it: that failure is the cause to
          // report. A lost connection is not: then the source itself went away, as pg_dump says.
          Optional<Exception> first = failureOf(fingerprints);
          if (first.isPresent() && !lostConnection(first.get())) {
            first.get().addSuppressed(e);
            throw first.get();
          }
          throw e;
        }
        report.archiveBytes = piped.bytes();
        report.archiveSha256 = piped.sha256();
        report.dumpRestoreMs = piped.elapsed().toMillis();
        List<TableFingerprint> result = fingerprints.get();
        report.sourceFingerprintMs = phases.millis(Phase.SOURCE_FINGERPRINT);
        return result;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        fingerprinter.shutdownNow();
        if (!snapshotConnection.isClosed()) {
          snapshotConnection.rollback();
        }
      }
    }
  }

  private Snapshot exportSnapshot(Connection connection, ResolvedScope scope) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT pg_catalog.pg_export_snapshot(), now(),"
                  + " (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)")) {
        rows.next();
        return new Snapshot(
            rows.getString(1),
            rows.getObject(2, OffsetDateTime.class).toInstant(),
            Fingerprints.tablesIn(connection, scope.schemas()),
            rows.getLong(3));
      }
    }
  }

  private List<TableFingerprint> fingerprint(
      Connection connection, List<TableRef> tables, Instant deadline) throws SQLException {
    Fingerprints.pinSessionSettings(connection);
    long millis = Math.max(1000, Duration.between(clock.instant(), deadline).toMillis());
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET statement_timeout = " + millis);
    }
    List<TableFingerprint> result = new ArrayList<>();
    TableProgress progress =
        new TableProgress(listener, Phase.SOURCE_FINGERPRINT, tables.size(), progressInterval);
    for (TableRef table : tables) {
      result.add(Fingerprints.of(connection, table, checksums));
      progress.tableDone();
    }
    return result;
  }

  private DumpRestorePipeline pipeline(
      PgClientTools tools,
      ResolvedScope scope,
      Snapshot snapshot,
      PostgresUrl target,
      Instant deadline) {
    List<String> dumpArguments = new ArrayList<>();
    dumpArguments.add("--snapshot=" + snapshot.id());
    dumpArguments.addAll(scope.dumpArguments());
    if (snapshot.largeObjects() > 0) {
      // With --schema, pg_dump leaves large objects out unless asked: they are data too.
      dumpArguments.add("--blobs");
    }
    return new DumpRestorePipeline(
        tools,
        source,
        target,
        dumpArguments,
        listener,
        Duration.between(clock.instant(), deadline),
        progressInterval);
  }

  /** Connection failures (class 08) and server shutdowns (57P0x). */
  private static boolean lostConnection(Exception failure) {
    String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
    return state == null || state.startsWith("08") || state.startsWith("57P0");
  }

  private static Optional<Exception> failureOf(Future<?> work) {
    if (!work.isDone() || work.isCancelled()) {
      return Optional.empty();
    }
    try {
      work.get();
      return Optional.empty();
    } catch (ExecutionException e) {
      return e.getCause() instanceof Exception cause ? Optional.of(cause) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Stops the fingerprint queries at once: the copy has failed, so they are of no use. */
  private static void abort(Connection connection) {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
