package dev.supaneon.core.backup;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.supabase.ResolvedScope;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves the restored copy equal to the source: every table the source had at the snapshot is
 * there, with the same row count and (when asked) the same content checksum; tables whose rows were
 * left out arrived empty; large objects are as many as in the source.
 */
final class CopyVerification {

  private final boolean checksums;
  private final RunListener listener;
  private final Duration progressInterval;

  CopyVerification(boolean checksums, RunListener listener, Duration progressInterval) {
    this.checksums = checksums;
    this.listener = listener;
    this.progressInterval = progressInterval;
  }

  /**
   * Records every table's result; throws when any differs. {@code copied} holds each table as the
   * source streamed it and as it was read back from the target.
   */
  void verify(
      PostgresUrl target, ResolvedScope scope, List<CopiedTable> copied, BackupRecorder report)
      throws SQLException {
    try (Connection connection = PgConnections.open(target, "the restored copy")) {
      Set<TableRef> restored = new HashSet<>(Fingerprints.tablesIn(connection, scope.schemas()));
      TableProgress progress =
          new TableProgress(listener, Phase.VERIFY, copied.size(), progressInterval);
      for (CopiedTable table : copied) {
        TableFingerprint expected = table.source();
        boolean ok =
            restored.contains(expected.table())
                ? compare(table, report)
                : mismatch(
                    report,
                    expected.table().displayName() + ": missing from the restored database");
        report.tables.add(
            new BackupReport.TableResult(
                expected.table().schema(),
                expected.table().name(),
                expected.rowCount(),
                expected.checksum().orElse(null),
                table.dataCopied(),
                ok));
        progress.tableDone();
      }
      // Compared even when the source had none: a copy must not gain any either.
      long restoredLargeObjects = largeObjects(connection);
      if (restoredLargeObjects != report.largeObjects) {
        mismatch(
            report,
            "large objects: source " + report.largeObjects + ", restored " + restoredLargeObjects);
      }
      report.tableCount = copied.size();
      report.rowCount =
          copied.stream()
              .filter(CopiedTable::dataCopied)
              .mapToLong(t -> t.source().rowCount())
              .sum();
    }
    if (!report.mismatches.isEmpty()) {
      report.verification = Verification.FAILED;
      throw new SupaneonException(
          "Verification failed: "
              + report.mismatches.size()
              + " table(s) differ between the source and the restored copy: "
              + String.join("; ", report.mismatches.stream().limit(5).toList())
              + (report.mismatches.size() > 5 ? "; ..." : ""),
          "Run the backup again: a source that changes outside its snapshot cannot cause this, so"
              + " a repeat that fails the same way points at the restore; the report lists the"
              + " tables.",
          null);
    }
    report.verification = Verification.PASSED;
  }

  /** The summary line of the verify phase. */
  String summary(BackupRecorder report) {
    return report.tableCount
        + " table(s), "
        + report.rowCount
        + " row(s) match"
        + (checksums ? " in counts and checksums" : " in counts");
  }

  private boolean compare(CopiedTable table, BackupRecorder report) {
    TableFingerprint expected = table.source();
    TableFingerprint actual = table.copy();
    if (!table.dataCopied()) {
      return actual.rowCount() == 0
          || mismatch(
              report,
              expected.table().displayName()
                  + ": rows were to be left out but "
                  + actual.rowCount()
                  + " arrived");
    }
    boolean sameKind = expected.checksum().isPresent() == actual.checksum().isPresent();
    return (sameKind && expected.matches(actual))
        || mismatch(
            report,
            expected.table().displayName()
                + ": source "
                + expected.rowCount()
                + " rows"
                + expected.checksum().map(c -> " checksum " + c).orElse("")
                + ", restored "
                + actual.rowCount()
                + " rows"
                + actual.checksum().map(c -> " checksum " + c).orElse(""));
  }

  /** Records a difference; always false, so a comparison can end in it. */
  private static boolean mismatch(BackupRecorder report, String difference) {
    report.mismatches.add(difference);
    return false;
  }

  private static long largeObjects(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
