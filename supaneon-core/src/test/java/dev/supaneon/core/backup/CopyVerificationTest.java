package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SourceScope;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.ScopeResolver;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verification proves a copy equal to its source: one changed value, with every row count the same,
 * fails it and names the table; an exact copy passes.
 */
class CopyVerificationTest {

  static PostgresServer server;
  static String source;
  static ResolvedScope scope;
  static List<TableFingerprint> fingerprints;

  @BeforeAll
  static void fingerprintTheSource() throws Exception {
    server = TestDatabases.sourceServer();
    source = TestDatabases.sampleDatabase(server);
    try (Connection connection = PgConnections.open(url(source), "the source")) {
      scope =
          ScopeResolver.resolve(
              connection, new SourceScope(List.of(), List.of(), List.of(), List.of(), false));
      Fingerprints.pinSessionSettings(connection);
      fingerprints = new ArrayList<>();
      for (TableRef table : Fingerprints.tablesIn(connection, scope.schemas())) {
        fingerprints.add(Fingerprints.of(connection, table, true));
      }
    }
  }

  static PostgresUrl url(String database) {
    return PostgresUrl.parse(TestDatabases.url(server, database), Setting.SOURCE_URL);
  }

  static String copyOfTheSource() {
    String copy = TestDatabases.createDatabase(server, "copy");
    TestDatabases.execute(server, "postgres", "DROP DATABASE \"" + copy + "\"");
    TestDatabases.execute(
        server, "postgres", "CREATE DATABASE \"" + copy + "\" TEMPLATE \"" + source + "\"");
    return copy;
  }

  static BackupRecorder verify(String copy) throws Exception {
    BackupRecorder recorder = new BackupRecorder();
    new CopyVerification(true, RunListener.SILENT, Duration.ofSeconds(5))
        .verify(url(copy), scope, fingerprints, recorder);
    return recorder;
  }

  @Test
  void anExactCopyPasses() throws Exception {
    BackupRecorder recorder = verify(copyOfTheSource());
    assertEquals(Verification.PASSED, recorder.verification);
    assertEquals(List.of(), recorder.mismatches);
    assertEquals(fingerprints.size(), recorder.tables.size());
  }

  @Test
  void oneChangedValueWithEveryRowCountEqualFailsVerificationAndNamesTheTable() {
    String copy = copyOfTheSource();
    TestDatabases.execute(
        server,
        copy,
        "UPDATE public.customers SET full_name = full_name || '.'"
            + " WHERE id = (SELECT min(id) FROM public.customers)");
    BackupRecorder recorder = new BackupRecorder();
    SupaneonException failure =
        assertThrows(
            SupaneonException.class,
            () ->
                new CopyVerification(true, RunListener.SILENT, Duration.ofSeconds(5))
                    .verify(url(copy), scope, fingerprints, recorder));
    assertEquals(Verification.FAILED, recorder.verification);
    assertEquals(1, recorder.mismatches.size(), recorder.mismatches.toString());
    assertTrue(
        recorder.mismatches.get(0).startsWith("public.customers: "), recorder.mismatches.get(0));
    assertTrue(recorder.mismatches.get(0).contains("checksum"), recorder.mismatches.get(0));
    assertTrue(failure.getMessage().contains("public.customers"), failure.getMessage());
  }

  @Test
  void aMissingRowFailsVerification() {
    String copy = copyOfTheSource();
    TestDatabases.execute(
        server,
        copy,
        "DELETE FROM public.order_items WHERE (order_id, product_id) IN"
            + " (SELECT order_id, product_id FROM public.order_items LIMIT 1)");
    BackupRecorder recorder = new BackupRecorder();
    assertThrows(
        SupaneonException.class,
        () ->
            new CopyVerification(true, RunListener.SILENT, Duration.ofSeconds(5))
                .verify(url(copy), scope, fingerprints, recorder));
    assertTrue(
        recorder.mismatches.get(0).startsWith("public.order_items: "),
        recorder.mismatches.toString());
  }
}
