package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupOutcome;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dedicated Neon role, made on the parent branch through Neon's API, restores the backups
 * (SECURITY.md, "The Neon side"): each backup's database belongs to it.
 */
class NeonRestoreRoleTest {

  @Test
  void backupsRestoreAsADedicatedRoleThatOwnsOnlyTheirDatabases(@TempDir Path reports)
      throws Exception {
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10)) {
      String main;
      try (NeonClient client =
          new NeonClient(
              CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                  .neon())) {
        main =
            client.listBranches().stream().filter(Branch::isDefault).findFirst().orElseThrow().id();
      }
      // As the Neon Console or API makes a role; the backup's first call waits out the
      // operation (423 answers are retried).
      HttpResponse<String> created =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              neon.apiUrl()
                                  + "/projects/"
                                  + neon.projectId()
                                  + "/branches/"
                                  + main
                                  + "/roles"))
                      .header("Authorization", "Bearer " + neon.apiKey())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"role\":{\"name\":\"supaneon_restore\"}}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());

      BackupReport report =
          new BackupRun(
                  CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                      .set(Setting.NEON_ROLE, "supaneon_restore")
                      .backup(),
                  RunListener.SILENT)
              .execute();

      assertEquals(BackupOutcome.VERIFIED, report.outcome());
      try (NeonClient client =
              new NeonClient(
                  CoreTestEnvironment.settings(neon, TestDatabases.url(source, database), reports)
                      .neon());
          Connection connection =
              PgConnections.open(
                  NeonConnections.url(client, report.branchId(), "neondb", "supaneon_restore"),
                  "the backup as the restore role");
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database"
                      + " WHERE datname = current_database()")) {
        rows.next();
        assertEquals("supaneon_restore", rows.getString(1), "the backup's database is the role's");
      }
    }
  }
}
