package dev.supaneon.core.backup;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.postgres.ParallelCopy;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.SourceSnapshot;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.supabase.ResolvedScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The copy itself: one REPEATABLE READ snapshot of the source is exported, and the {@linkplain
 * ParallelCopy engine} copies exactly that instant, fingerprinting every row as it passes and
 * reading every table back from the copy.
 */
final class SnapshotCopy {

  private final PostgresUrl source;
  private final boolean checksums;
  private final int jobs;
  private final RunListener listener;
  private final Clock clock;
  private final Duration progressInterval;
  private final String sourceName;

  /** {@code sourceName} names the source in errors. */
  SnapshotCopy(
      PostgresUrl source,
      boolean checksums,
      int jobs,
      RunListener listener,
      Clock clock,
      Duration progressInterval,
      String sourceName) {
    this.source = source;
    this.checksums = checksums;
    this.jobs = jobs;
    this.listener = listener;
    this.clock = clock;
    this.progressInterval = progressInterval;
    this.sourceName = sourceName;
  }

  /** Copies the scope into {@code target}; returns every table at the source and in the copy. */
  List<CopiedTable> run(
      PgClientTools tools,
      ResolvedScope scope,
      PostgresUrl target,
      PhaseTimer phases,
      BackupRecorder report,
      Instant deadline)
      throws Exception {
    try (SourceSnapshot snapshot =
        phases.run(
            Phase.SNAPSHOT,
            () -> SourceSnapshot.export(source, sourceName),
            s -> "snapshot " + s.id() + " at " + s.at())) {
      report.snapshotAt = snapshot.at();
      report.largeObjects = snapshot.largeObjects();
      Set<TableRef> leftOut = new HashSet<>(scope.tablesLeftOut());
      Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
      List<TableRef> tables =
          snapshot.tablesIn(scope.schemas()).stream().filter(t -> !leftOut.contains(t)).toList();
      ParallelCopy.Options options =
          new ParallelCopy.Options(
              jobs, checksums, Duration.between(clock.instant(), deadline), progressInterval);
      ParallelCopy.Result copied;
      report.copyStarted = true;
      try {
        copied =
            phases.run(
                Phase.COPY,
                () ->
                    new ParallelCopy(tools, source, target, options, listener)
                        .run(
                            snapshot,
                            scope.dumpArguments(),
                            tables.stream().filter(t -> !withoutData.contains(t)).toList(),
                            tables.stream().filter(withoutData::contains).toList()),
                r ->
                    Formats.bytes(r.bytes())
                        + " in "
                        + Formats.duration(r.elapsed())
                        + " with "
                        + jobs
                        + " stream(s), "
                        + r.binaryTables()
                        + " of "
                        + r.tables().stream().filter(ParallelCopy.CopiedTable::dataCopied).count()
                        + " tables in binary COPY: schema "
                        + Formats.duration(r.schema())
                        + ", rows and read-back "
                        + Formats.duration(r.rows())
                        + ", indexes and constraints "
                        + Formats.duration(r.indexes()));
      } catch (Exception e) {
        // Stops whatever still reads the snapshot; the copy has failed.
        snapshot.abort();
        throw e;
      }
      report.archiveBytes = copied.bytes();
      report.archiveSha256 = copied.sha256();
      report.dumpRestoreMs = copied.elapsed().toMillis();
      report.copy =
          new BackupReport.CopyTimings(
              jobs,
              copied.schema().toMillis(),
              copied.rows().toMillis(),
              copied.indexes().toMillis());
      return copied.tables();
    }
  }
}
