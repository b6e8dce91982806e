package dev.supaneon.core.restoretest;

import dev.supaneon.core.branch.BackupInventory.Backup;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.Manifest;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.RestoreTestReport.Check;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The read-only checks of a restore test: the backup is young enough, the branch connects, its
 * manifest is intact and names this backup, and every schema and table it lists is there with
 * exactly the rows it lists.
 */
final class SmokeChecks {

  private final Duration maxBackupAge;
  private final Clock clock;

  SmokeChecks(Duration maxBackupAge, Clock clock) {
    this.maxBackupAge = maxBackupAge;
    this.clock = clock;
  }

  /** How old the backup is: since it was taken, or since a run last confirmed it current. */
  private void checkAge(
      Instant takenAt, Optional<Instant> confirmedAt, RestoreTestRecorder report) {
    Instant current = confirmedAt.filter(at -> at.isAfter(takenAt)).orElse(takenAt);
    Duration age = Duration.between(current, clock.instant());
    report.backupConfirmedCurrentAt = confirmedAt.orElse(null);
    report.backupAgeMinutes = age.toMinutes();
    report.checks.add(
        0,
        new Check(
            "backup age",
            age.compareTo(maxBackupAge) <= 0,
            Formats.duration(age)
                + " old"
                + (current.equals(takenAt) ? "" : " (confirmed current at " + current + ")")
                + ", limit "
                + Formats.duration(maxBackupAge)
                + (age.compareTo(maxBackupAge) <= 0 ? "" : ": the backup job may have stopped")));
  }

  Optional<Manifest> run(PostgresUrl url, Backup backup, RestoreTestRecorder report)
      throws SQLException {
    Connection connection;
    try {
      connection = PgConnections.open(url, "the restore test branch");
    } catch (RuntimeException e) {
      checkAge(backup.takenAt(), Optional.empty(), report);
      report.checks.add(new Check("connectivity", false, e.getMessage()));
      return Optional.empty();
    }
    try (connection) {
      // A later run may have found the source unchanged and confirmed the backup current then.
      checkAge(backup.takenAt(), ManifestStore.confirmedCurrentAt(connection), report);
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT current_setting('server_version')")) {
        rows.next();
        report.checks.add(new Check("connectivity", true, "PostgreSQL " + rows.getString(1)));
      }
      Optional<ManifestStore.StoredManifest> stored = ManifestStore.read(connection);
      if (stored.isEmpty()) {
        report.checks.add(new Check("manifest", false, "schema supaneon holds no manifest"));
        return Optional.empty();
      }
      if (!stored.get().intact()) {
        report.checks.add(new Check("manifest", false, stored.get().problem()));
        return Optional.empty();
      }
      Manifest manifest = stored.get().manifest();
      report.checks.add(
          new Check(
              "manifest",
              true,
              "run "
                  + manifest.runId()
                  + ", "
                  + manifest.tables().size()
                  + " tables, archive sha256 "
                  + manifest.archiveSha256()));
      if (!backup.branch().name().equals(manifest.backupBranch())) {
        report.checks.add(
            new Check(
                "manifest belongs to this backup",
                false,
                "the manifest names " + manifest.backupBranch()));
      }
      Set<String> schemas = new HashSet<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
        while (rows.next()) {
          schemas.add(rows.getString(1));
        }
      }
      for (String schema : manifest.schemas()) {
        report.checks.add(
            new Check(
                "schema " + schema,
                schemas.contains(schema),
                schemas.contains(schema) ? "present" : "missing"));
      }
      Set<TableRef> present = new HashSet<>(Fingerprints.tablesIn(connection, manifest.schemas()));
      Fingerprints.pinSessionSettings(connection);
      for (Manifest.Table table : manifest.tables()) {
        TableRef ref = new TableRef(table.schema(), table.name());
        String name = "table " + ref.displayName();
        if (!present.contains(ref)) {
          report.checks.add(new Check(name, false, "missing"));
          continue;
        }
        long rows = Fingerprints.of(connection, ref, false).rowCount();
        boolean ok = rows == table.rows();
        report.checks.add(
            new Check(
                name, ok, rows + " rows" + (ok ? "" : ", the manifest says " + table.rows())));
        report.tableCount++;
        report.rowCount += rows;
      }
      return Optional.of(manifest);
    }
  }
}
