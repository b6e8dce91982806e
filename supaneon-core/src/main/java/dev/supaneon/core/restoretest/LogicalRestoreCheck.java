package dev.supaneon.core.restoretest;

import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreTestSettings;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.ParallelCopy;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.SourceSnapshot;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.RestoreTestReport.Check;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The logical mode of a restore test: the backup is taken out of Neon as a plain PostgreSQL client
 * would, and restored into a fresh database, where every table must match.
 */
final class LogicalRestoreCheck {

  static final String LOGICAL_DATABASE = "supaneon_logical_restore";

  private final NeonClient neon;
  private final BranchLifecycle branches;
  private final RestoreTestSettings settings;
  private final RunListener listener;

  LogicalRestoreCheck(
      NeonClient neon,
      BranchLifecycle branches,
      RestoreTestSettings settings,
      RunListener listener) {
    this.neon = neon;
    this.branches = branches;
    this.settings = settings;
    this.listener = listener;
  }

  /**
   * Takes the backup out of Neon as a plain PostgreSQL client would (one snapshot of the test
   * branch, which is the backup, copy-on-write) and copies it into a fresh database with the
   * backup's own engine; every table must come back with the same rows and checksums.
   */
  void run(Branch branch, PostgresUrl backupUrl, PgClientTools tools, RestoreTestRecorder report)
      throws Exception {
    neon.awaitOperations(
        neon.createDatabase(branch.id(), LOGICAL_DATABASE, settings.neon().role()));
    PostgresUrl fresh = branches.connectionUrl(branch, LOGICAL_DATABASE, settings.neon().role());
    try (SourceSnapshot snapshot = SourceSnapshot.export(backupUrl, "the restore test branch")) {
      List<TableRef> tables = snapshot.tablesIn(userSchemas(snapshot.connection()));
      ParallelCopy.Result result =
          new ParallelCopy(
                  tools,
                  backupUrl,
                  fresh,
                  new ParallelCopy.Options(
                      settings.jobs(), true, settings.runTimeout(), Duration.ofSeconds(5)),
                  listener)
              .run(snapshot, List.of(), tables, List.of());
      report.logicalArchiveBytes = result.bytes();
      report.logicalArchiveSha256 = result.sha256();
      Set<TableRef> copied;
      try (Connection copy = PgConnections.open(fresh, "the logical restore database")) {
        copied = new HashSet<>(Fingerprints.tablesIn(copy, userSchemas(copy)));
      }
      List<String> mismatches = new ArrayList<>();
      for (ParallelCopy.CopiedTable table : result.tables()) {
        TableFingerprint expected = table.source();
        TableFingerprint actual = table.copy();
        if (!copied.contains(expected.table())) {
          mismatches.add(expected.table().displayName() + " missing");
        } else if (!expected.equals(actual)) {
          mismatches.add(
              expected.table().displayName()
                  + ": "
                  + expected.rowCount()
                  + " rows became "
                  + actual.rowCount()
                  + (expected.checksum().equals(actual.checksum()) ? "" : ", checksums differ"));
        }
      }
      report.checks.add(
          new Check(
              "logical restore (out of Neon and into a fresh database)",
              mismatches.isEmpty(),
              mismatches.isEmpty()
                  ? result.tables().size()
                      + " tables equal in rows and checksums, "
                      + Formats.bytes(result.bytes())
                  : String.join("; ", mismatches.stream().limit(5).toList())));
    }
  }

  private static List<String> userSchemas(Connection connection) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT nspname FROM pg_catalog.pg_namespace"
                    + " WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%'"
                    + " AND nspname NOT LIKE 'pg_temp%'")) {
      while (rows.next()) {
        schemas.add(rows.getString(1));
      }
    }
    return schemas;
  }
}
