package dev.supaneon.core.restoretest;

import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.RestoreTestSettings;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.postgres.DumpRestorePipeline;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
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
   * Takes the backup out of Neon as a plain PostgreSQL client would (pg_dump of the test branch,
   * which is the backup, copy-on-write) and restores it into a fresh database; every table must
   * come back with the same rows and checksums.
   */
  void run(Branch branch, PostgresUrl backupUrl, PgClientTools tools, RestoreTestRecorder report)
      throws SQLException {
    neon.awaitOperations(
        neon.createDatabase(branch.id(), LOGICAL_DATABASE, settings.neon().role()));
    PostgresUrl fresh = branches.connectionUrl(branch, LOGICAL_DATABASE, settings.neon().role());
    DumpRestorePipeline pipeline =
        new DumpRestorePipeline(
            tools,
            backupUrl,
            fresh,
            List.of(),
            listener,
            settings.runTimeout(),
            Duration.ofSeconds(5));
    DumpRestorePipeline.Result result = pipeline.run();
    report.logicalArchiveBytes = result.bytes();
    report.logicalArchiveSha256 = result.sha256();
    try (Connection original = PgConnections.open(backupUrl, "the restore test branch");
        Connection copy = PgConnections.open(fresh, "the logical restore database")) {
      Fingerprints.pinSessionSettings(original);
      Fingerprints.pinSessionSettings(copy);
      List<String> schemas = new ArrayList<>();
      try (Statement statement = original.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT nspname FROM pg_catalog.pg_namespace"
                      + " WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%'"
                      + " AND nspname NOT LIKE 'pg_temp%'")) {
        while (rows.next()) {
          schemas.add(rows.getString(1));
        }
      }
      Set<TableRef> copied = new HashSet<>(Fingerprints.tablesIn(copy, schemas));
      int compared = 0;
      List<String> mismatches = new ArrayList<>();
      for (TableRef table : Fingerprints.tablesIn(original, schemas)) {
        if (!copied.contains(table)) {
          mismatches.add(table.displayName() + " missing");
          continue;
        }
        TableFingerprint expected = Fingerprints.of(original, table, true);
        TableFingerprint actual = Fingerprints.of(copy, table, true);
        if (!expected.equals(actual)) {
          mismatches.add(
              table.displayName()
                  + ": "
                  + expected.rowCount()
                  + " rows became "
                  + actual.rowCount()
                  + (expected.checksum().equals(actual.checksum()) ? "" : ", checksums differ"));
        }
        compared++;
      }
      report.checks.add(
          new Check(
              "logical restore (pg_dump | pg_restore out of Neon)",
              mismatches.isEmpty(),
              mismatches.isEmpty()
                  ? compared
                      + " tables equal in rows and checksums, "
                      + Formats.bytes(result.bytes())
                  : String.join("; ", mismatches.stream().limit(5).toList())));
    }
  }
}
