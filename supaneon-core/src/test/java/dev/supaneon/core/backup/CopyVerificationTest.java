package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SourceScope;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Verification;
import dev.supaneon.core.supabase.ResolvedScope;
import dev.supaneon.core.supabase.ScopeResolver;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        fingerprints.add(Fingerprints.ofRows(connection, table));
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
    verifyInto(copy, scope, recorder);
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
        assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, recorder));
    assertEquals(Verification.FAILED, recorder.verification);
    assertEquals(1, recorder.mismatches.size(), recorder.mismatches.toString());
    assertTrue(
        recorder.mismatches.get(0).startsWith("public.customers: "), recorder.mismatches.get(0));
    assertTrue(
        recorder
            .mismatches
            .get(0)
            .matches(
                "public\\.customers: source 2000 rows checksum xxh64-binary-sum:\\p{XDigit}{16},"
                    + " restored 2000 rows checksum xxh64-binary-sum:\\p{XDigit}{16}"),
        recorder.mismatches.get(0));
    assertTrue(failure.getMessage().contains("public.customers"), failure.getMessage());
    assertEquals(
        List.of("customers"),
        recorder.tables.stream().filter(t -> !t.verified()).map(t -> t.table()).toList(),
        "the changed table is recorded as not verified, the others as verified");
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
    assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, recorder));
    assertTrue(
        recorder.mismatches.get(0).startsWith("public.order_items: "),
        recorder.mismatches.toString());
  }

  @Test
  void anExactCopyRecordsEveryTableAsMatchingAndCountsTheRows() throws Exception {
    BackupRecorder recorder = verify(copyOfTheSource());
    long sourceRows = fingerprints.stream().mapToLong(TableFingerprint::rowCount).sum();
    assertEquals(fingerprints.size(), recorder.tableCount);
    assertEquals(sourceRows, recorder.rowCount);
    assertTrue(recorder.tables.stream().allMatch(t -> t.verified() && t.dataIncluded()));
    assertEquals(
        fingerprints.size() + " table(s), " + sourceRows + " row(s) match in counts and checksums",
        new CopyVerification(true, RunListener.SILENT, Duration.ofSeconds(5)).summary(recorder));
  }

  @Test
  void aTableMissingFromTheCopyFailsVerificationAndIsRecordedAsNotMatching() {
    String copy = copyOfTheSource();
    TestDatabases.execute(server, copy, "DROP TABLE public.audit_events");
    BackupRecorder recorder = new BackupRecorder();
    assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, recorder));
    assertEquals(
        List.of("public.audit_events: missing from the restored database"), recorder.mismatches);
    assertEquals(
        List.of("audit_events"),
        recorder.tables.stream().filter(t -> !t.verified()).map(t -> t.table()).toList());
  }

  @Test
  void aTableWhoseRowsWereLeftOutMustArriveEmpty() throws Exception {
    ResolvedScope withoutAudit = scopeExcludingDataOf("public.audit_events");
    String emptied = copyOfTheSource();
    TestDatabases.execute(server, emptied, "TRUNCATE public.audit_events");
    BackupRecorder passed = new BackupRecorder();
    verifyInto(emptied, withoutAudit, passed);
    long auditRows = rowsOf("audit_events");
    long sourceRows = fingerprints.stream().mapToLong(TableFingerprint::rowCount).sum();
    assertTrue(auditRows > 0, "the sample's audit_events has rows");
    assertEquals(sourceRows - auditRows, passed.rowCount, "left-out rows are not counted");
    assertEquals(
        List.of(false),
        passed.tables.stream()
            .filter(t -> t.table().equals("audit_events"))
            .map(t -> t.dataIncluded())
            .toList());

    String withRows = copyOfTheSource();
    BackupRecorder failed = new BackupRecorder();
    assertThrows(SupaneonException.class, () -> verifyInto(withRows, withoutAudit, failed));
    assertEquals(
        List.of("public.audit_events: rows were to be left out but " + auditRows + " arrived"),
        failed.mismatches);
    assertEquals(
        List.of("audit_events"),
        failed.tables.stream().filter(t -> !t.verified()).map(t -> t.table()).toList(),
        "the table that received rows is recorded as not verified");
  }

  @Test
  void largeObjectsMustBeAsManyAsInTheSource() throws Exception {
    String copy = copyOfTheSource();
    TestDatabases.execute(server, copy, "SELECT lo_from_bytea(0, '\\x01'::bytea)");
    BackupRecorder same = new BackupRecorder();
    same.largeObjects = 1;
    verifyInto(copy, scope, same);
    assertEquals(Verification.PASSED, same.verification);

    BackupRecorder fewer = new BackupRecorder();
    fewer.largeObjects = 2;
    SupaneonException failure =
        assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, fewer));
    assertEquals(List.of("large objects: source 2, restored 1"), fewer.mismatches);
    assertTrue(failure.getMessage().contains("large objects"), failure.getMessage());

    BackupRecorder none = new BackupRecorder();
    assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, none));
    assertEquals(List.of("large objects: source 0, restored 1"), none.mismatches);
  }

  @Test
  void aFailureListsAtMostFiveDifferencesAndSaysThereAreMore() {
    String copy = copyOfTheSource();
    TestDatabases.execute(
        server,
        copy,
        "TRUNCATE public.customers, public.products, public.orders, public.order_items,"
            + " public.audit_events; DROP TABLE public.orders_2025 CASCADE");
    BackupRecorder recorder = new BackupRecorder();
    SupaneonException failure =
        assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, recorder));
    assertTrue(recorder.mismatches.size() > 5, recorder.mismatches.toString());
    assertTrue(
        failure.getMessage().startsWith("Verification failed: " + recorder.mismatches.size()),
        failure.getMessage());
    assertTrue(failure.getMessage().endsWith("; ..."), failure.getMessage());
    assertTrue(failure.getMessage().contains(recorder.mismatches.get(4)), failure.getMessage());
    assertTrue(!failure.getMessage().contains(recorder.mismatches.get(5)), failure.getMessage());
  }

  @Test
  void withoutChecksumsOnlyRowCountsAreCompared() throws Exception {
    String copy = copyOfTheSource();
    TestDatabases.execute(
        server,
        copy,
        "UPDATE public.customers SET full_name = full_name || '.'"
            + " WHERE id = (SELECT min(id) FROM public.customers)");
    BackupRecorder recorder = new BackupRecorder();
    CopyVerification countsOnly =
        new CopyVerification(false, RunListener.SILENT, Duration.ofSeconds(5));
    countsOnly.verify(url(copy), scope, copied(copy, scope, false), recorder);
    assertEquals(Verification.PASSED, recorder.verification);
    assertTrue(countsOnly.summary(recorder).endsWith(" row(s) match in counts"));
  }

  static void verifyInto(String copy, ResolvedScope scope, BackupRecorder recorder)
      throws Exception {
    new CopyVerification(true, RunListener.SILENT, Duration.ofSeconds(5))
        .verify(url(copy), scope, copied(copy, scope, true), recorder);
  }

  /**
   * What the copy engine would hand verification had it copied the source into {@code copy}: each
   * table as the source streamed it and as read back from the copy (counted, without checksums).
   */
  static List<CopiedTable> copied(String copy, ResolvedScope scope, boolean checksums)
      throws Exception {
    Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
    List<CopiedTable> copied = new ArrayList<>();
    try (Connection connection = PgConnections.open(url(copy), "the copy")) {
      Fingerprints.pinSessionSettings(connection);
      Set<TableRef> present = new HashSet<>(Fingerprints.tablesIn(connection, scope.schemas()));
      for (TableFingerprint source : fingerprints) {
        TableRef table = source.table();
        boolean dataCopied = !withoutData.contains(table);
        TableFingerprint read =
            !present.contains(table)
                ? new TableFingerprint(table, 0, Optional.empty())
                : checksums && dataCopied
                    ? Fingerprints.ofRows(connection, table)
                    : Fingerprints.of(connection, table, false);
        copied.add(
            new CopiedTable(
                checksums && dataCopied
                    ? source
                    : new TableFingerprint(table, source.rowCount(), Optional.empty()),
                read,
                dataCopied));
      }
    }
    return copied;
  }

  static ResolvedScope scopeExcludingDataOf(String table) throws Exception {
    try (Connection connection = PgConnections.open(url(source), "the source")) {
      return ScopeResolver.resolve(
          connection, new SourceScope(List.of(), List.of(), List.of(table), List.of(), false));
    }
  }

  static long rowsOf(String table) {
    return fingerprints.stream()
        .filter(f -> f.table().name().equals(table))
        .mapToLong(TableFingerprint::rowCount)
        .sum();
  }

  @Test
  void exactlyFiveDifferencesAreAllListedWithoutEllipsis() {
    String copy = copyOfTheSource();
    TestDatabases.execute(
        server,
        copy,
        "TRUNCATE public.customers, public.products, public.orders, public.order_items,"
            + " public.audit_events");
    BackupRecorder recorder = new BackupRecorder();
    SupaneonException failure =
        assertThrows(SupaneonException.class, () -> verifyInto(copy, scope, recorder));
    assertEquals(5, recorder.mismatches.size(), recorder.mismatches.toString());
    assertTrue(failure.getMessage().endsWith(recorder.mismatches.get(4)), failure.getMessage());
  }

  @Test
  void aTargetWithOtherSessionDefaultsStillMatchesBecauseVerificationPinsThem() throws Exception {
    // Neon's and Supabase's defaults differ from each other and from a user's own server: the
    // text a checksum is taken of must not depend on them.
    String copy = copyOfTheSource();
    for (String setting :
        List.of(
            "TimeZone = 'America/New_York'",
            "DateStyle = 'German, DMY'",
            "extra_float_digits = 0",
            "bytea_output = 'escape'")) {
      TestDatabases.execute(server, "postgres", "ALTER DATABASE \"" + copy + "\" SET " + setting);
    }
    BackupRecorder recorder = verify(copy);
    assertEquals(Verification.PASSED, recorder.verification, recorder.mismatches.toString());
  }

  @Test
  void verificationReportsTablesDoneAsItGoes() throws Exception {
    RecordingListener listener = new RecordingListener();
    String copy = copyOfTheSource();
    new CopyVerification(true, listener, Duration.ZERO)
        .verify(url(copy), scope, copied(copy, scope, true), new BackupRecorder());
    int tables = fingerprints.size();
    assertTrue(listener.text().contains("[verify] 1 of " + tables + " tables"), listener.text());
    assertTrue(
        listener.text().contains("[verify] " + (tables - 1) + " of " + tables + " tables"),
        listener.text());
  }
}
