package dev.supaneon.core.backup;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.Manifest;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.supabase.ResolvedScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The manifest a backup writes into its own database: what it holds, checked by restore tests. */
final class BackupManifest {

  private BackupManifest() {}

  static void write(
      PostgresUrl target,
      PostgresUrl sourceUrl,
      BackupRecorder report,
      BackupPreflight preflight,
      ResolvedScope scope,
      List<TableFingerprint> source)
      throws SQLException {
    Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
    List<Manifest.Table> tables =
        source.stream()
            .map(
                f ->
                    new Manifest.Table(
                        f.table().schema(),
                        f.table().name(),
                        withoutData.contains(f.table()) ? 0 : f.rowCount(),
                        f.checksum().orElse(null),
                        !withoutData.contains(f.table())))
            .toList();
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            report.runId,
            report.branchName,
            report.snapshotAt,
            report.startedAt,
            sourceUrl.host(),
            sourceUrl.database(),
            preflight.source().version(),
            report.targetServerVersion,
            preflight.tools().version(),
            report.archiveBytes,
            report.archiveSha256,
            scope.schemas(),
            tables,
            withoutData.stream().map(TableRef::displayName).sorted().toList());
    try (Connection connection = PgConnections.open(target, "the backup branch's database")) {
      ManifestStore.write(connection, manifest);
    }
  }
}
