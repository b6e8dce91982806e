package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRunTest {

  static PostgresServer sourceServer;
  static String sourceDatabase;
  static NeonLocal neon;

  @BeforeAll
  static void start() {
    sourceServer = TestDatabases.sourceServer();
    sourceDatabase = TestDatabases.sampleDatabase(sourceServer);
    neon = CoreTestEnvironment.neonLocal(10);
  }

  @AfterAll
  static void stop() {
    neon.close();
  }

  @Test
  void aBackupIsARestoredVerifiedBranchThatMatchesTheSource(@TempDir Path reports)
      throws Exception {
    BackupSettings settings =
        CoreTestEnvironment.settings(neon, TestDatabases.url(sourceServer, sourceDatabase), reports)
            .backup();
    RecordingListener listener = new RecordingListener();

    BackupReport report =
        new BackupRun(
                settings,
                new RunContext(listener, Clock.systemUTC(), NeonClientOptions.defaults(), Map.of()))
            .execute();

    assertEquals(BackupOutcome.VERIFIED, report.outcome(), listener.text());
    assertEquals(Verification.PASSED, report.verification());
    assertTrue(report.archiveBytes() > 0);
    assertEquals(64, report.archiveSha256().length());
    try (NeonClient client = new NeonClient(settings.neon())) {
      Branch branch = client.findBranch(report.branchId()).orElseThrow();
      assertTrue(BackupInventory.isVerifiedBackup(branch), "named backup-<UTC> and without expiry");
      assertTrue(
          client.listBranchEndpoints(branch.id()).stream()
              .allMatch(e -> e.currentState().equals("idle")),
          "the endpoint the run started is suspended");
      PostgresUrl backup = NeonConnections.url(client, branch.id(), "neondb", "neondb_owner");
      PostgresUrl source =
          PostgresUrl.parse(
              TestDatabases.url(sourceServer, sourceDatabase),
              dev.supaneon.core.config.Setting.SOURCE_URL);
      try (Connection sourceConnection = PgConnections.open(source, "source");
          Connection backupConnection = PgConnections.open(backup, "backup")) {
        Fingerprints.pinSessionSettings(sourceConnection);
        Fingerprints.pinSessionSettings(backupConnection);
        List<TableRef> tables = Fingerprints.tablesIn(sourceConnection, List.of("public"));
        assertEquals(
            6,
            tables.size(),
            "customers, products, orders_2024, orders_2025, order_items, audit_events: " + tables);
        for (TableRef table : tables) {
          TableFingerprint expected = Fingerprints.of(sourceConnection, table, true);
          TableFingerprint actual = Fingerprints.of(backupConnection, table, true);
          assertEquals(expected, actual, table.displayName());
        }
        ManifestStore.StoredManifest manifest = ManifestStore.read(backupConnection).orElseThrow();
        assertTrue(manifest.intact(), manifest.problem());
        assertEquals(report.runId(), manifest.manifest().runId());
        assertEquals(report.archiveSha256(), manifest.manifest().archiveSha256());
        assertEquals(report.rowCount(), manifest.manifest().totalRows());
      }
    }
    String json = Files.readString(reports.resolve("backup-report.json"));
    assertTrue(json.contains("\"outcome\" : \"verified\""), json);
    assertTrue(
        Files.readString(reports.resolve("backup-report.md"))
            .contains("supaneon backup: verified"));
    assertFalse(listener.text().contains(sourceServer.superuserPassword()));
  }
}
