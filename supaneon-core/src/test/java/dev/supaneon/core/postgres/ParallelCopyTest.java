package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.postgres.ParallelCopy.CopiedTable;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The copy engine on real servers: every row arrives exactly once however the tables are split,
 * sequences, large objects, indexes and constraints come along, each table is read back, and a
 * table that fails to load fails the copy by name.
 */
class ParallelCopyTest {

  /** Small enough that every table of a few pages is split across the two streams. */
  private static final long TINY_PARTS = 8 * 1024;

  static PostgresServer server;
  static PgClientTools tools;

  @BeforeAll
  static void server() {
    server = TestDatabases.sourceServer();
    tools = PgClientTools.choose(Optional.empty(), server.majorVersion(), server.majorVersion());
  }

  static PostgresUrl url(String database) {
    return PostgresUrl.parse(TestDatabases.url(server, database), Setting.SOURCE_URL);
  }

  static ParallelCopy.Result copy(
      String source, String target, ParallelCopy.Options options, boolean leaveOutFirstTable)
      throws Exception {
    try (SourceSnapshot snapshot = SourceSnapshot.export(url(source), "the source")) {
      List<TableRef> tables = snapshot.tablesIn(userSchemas(snapshot.connection()));
      List<TableRef> withoutData = leaveOutFirstTable ? List.of(tables.get(0)) : List.of();
      return new ParallelCopy(tools, url(source), url(target), options, RunListener.SILENT)
          .run(
              snapshot,
              List.of(),
              tables.stream().filter(t -> !withoutData.contains(t)).toList(),
              withoutData);
    }
  }

  static ParallelCopy.Options split(boolean checksums) {
    return new ParallelCopy.Options(
        2, checksums, Duration.ofMinutes(5), Duration.ofSeconds(5), TINY_PARTS);
  }

  @Test
  void everyRowOfEveryTableArrivesOnceAndIsReadBackEqualWhenTablesAreSplit() throws Exception {
    for (String source :
        List.of(TestDatabases.sampleDatabase(server), TestDatabases.trickyDatabase(server))) {
      String target = TestDatabases.createDatabase(server, "copy");
      ParallelCopy.Result result = copy(source, target, split(true), false);

      List<TableFingerprint> independent = readByPgjdbc(source);
      assertEquals(
          independent,
          result.tables().stream().map(CopiedTable::source).sorted(byTable()).toList(),
          "the split streams together saw exactly the source's rows");
      for (CopiedTable table : result.tables()) {
        assertEquals(table.source(), table.copy(), "read back: " + table.source().table());
        assertTrue(table.dataCopied());
      }
      assertTrue(independent.stream().anyMatch(f -> f.rowCount() > 0), "rows to copy");
      for (String catalog :
          List.of(
              "SELECT string_agg(s, ',' ORDER BY s) FROM (SELECT schemaname || '.' || sequencename"
                  + " || '=' || last_value AS s FROM pg_sequences) AS sequences",
              "SELECT string_agg(s, ',' ORDER BY s) FROM (SELECT schemaname || '.' || indexname"
                  + " || ':' || indexdef AS s FROM pg_indexes WHERE schemaname NOT IN"
                  + " ('pg_catalog', 'information_schema')) AS indexes",
              "SELECT string_agg(s, ',' ORDER BY s) FROM (SELECT conname || ':' || contype::text || ':'"
                  + " || pg_get_constraintdef(oid) AS s FROM pg_constraint WHERE connamespace NOT IN"
                  + " ('pg_catalog'::regnamespace, 'information_schema'::regnamespace))"
                  + " AS constraints",
              "SELECT count(*) || ':' || coalesce(string_agg(md5(lo_get(oid)), ',' ORDER BY oid),"
                  + " '') FROM pg_largeobject_metadata")) {
        assertEquals(single(source, catalog), single(target, catalog), catalog);
      }
      assertEquals(64, result.sha256().length());
      assertTrue(result.bytes() > 0);
    }
  }

  @Test
  void theSampleHasTablesOfManyPagesSoTheSplitIsExercised() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    try (SourceSnapshot snapshot = SourceSnapshot.export(url(source), "the source")) {
      List<TablePlan> plans =
          TablePlan.read(snapshot, snapshot.tablesIn(List.of("public")), 2, TINY_PARTS, true);
      assertTrue(
          plans.stream().anyMatch(p -> p.parts.size() == 8),
          plans.stream().map(p -> p.table + ":" + p.parts.size()).toList().toString());
    }
  }

  @Test
  void binaryCopyIsUsedOnlyWhereItsBytesMeanTheSameInTheTarget() throws Exception {
    String source = TestDatabases.createDatabase(server, "formats");
    // The target's objects get other OIDs than the source's: a regclass or an array of enums
    // copied in binary would carry the source's OIDs, naming another relation or none.
    TestDatabases.execute(
        server,
        source,
        "CREATE TYPE public.mood AS ENUM ('calm', 'busy');"
            + " CREATE TYPE public.pair AS (a int, b text);"
            + " CREATE DOMAIN public.positive AS int CHECK (VALUE > 0);"
            + " CREATE TABLE public.referenced (id int);"
            + " CREATE TABLE public.built_in (id bigint PRIMARY KEY, at timestamptz, amount numeric,"
            + "   tags text[], doc jsonb, n public.positive);"
            + " INSERT INTO public.built_in SELECT g, timestamptz '2024-01-01' + g * interval '1 s',"
            + "   g / 7.0, ARRAY['t' || g, NULL], jsonb_build_object('g', g), g FROM generate_series(1, 500) g;"
            + " CREATE TABLE public.user_types (id int, rel regclass, rels regclass[], mood public.mood,"
            + "   moods public.mood[], pair public.pair, pairs public.pair[]);"
            + " INSERT INTO public.user_types VALUES (1, 'public.referenced',"
            + "   ARRAY['public.referenced'::regclass, 'pg_catalog.pg_class'], 'busy', '{calm,busy}',"
            + "   ROW(1, 'x'), ARRAY[ROW(2, 'y')::public.pair]);"
            + " CREATE TABLE public.one_regclass (rel regclass);"
            + " INSERT INTO public.one_regclass VALUES ('public.referenced')");
    String target = TestDatabases.createDatabase(server, "formats-copy");
    ParallelCopy.Result result = copy(source, target, split(true), false);

    assertEquals(2, result.tables().size() - result.binaryTables(), "user_types and one_regclass");
    for (CopiedTable table : result.tables()) {
      assertEquals(table.source(), table.copy(), "read back: " + table.source().table());
      String kind =
          List.of("built_in", "referenced").contains(table.source().table().name())
              ? "binary"
              : "sum";
      assertTrue(
          table.source().checksum().orElseThrow().startsWith("xxh64-" + kind),
          table.source().toString());
    }
    for (String rows :
        List.of(
            "SELECT string_agg(t::text, ';') FROM public.user_types t",
            "SELECT string_agg(t::text, ';') FROM public.one_regclass t",
            "SELECT string_agg(t::text, ';' ORDER BY id) FROM public.built_in t")) {
      assertEquals(single(source, rows), single(target, rows), rows);
    }
    assertEquals(
        "true",
        single(
            target, "SELECT (rel = 'public.referenced'::regclass)::text FROM public.one_regclass"),
        "the regclass names the target's own table");
  }

  @Test
  void twoCopiesOfOneSnapshotHaveTheSameDigest() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    String first = TestDatabases.createDatabase(server, "copy");
    String second = TestDatabases.createDatabase(server, "copy");
    ParallelCopy.Options oneStream =
        new ParallelCopy.Options(1, true, Duration.ofMinutes(5), Duration.ofSeconds(5));
    assertEquals(
        copy(source, first, split(true), false).sha256(),
        copy(source, second, oneStream, false).sha256(),
        "the digest does not depend on how the rows were streamed");
  }

  @Test
  void aTableWhoseRowsAreLeftOutIsCountedAtTheSourceAndArrivesEmpty() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    String target = TestDatabases.createDatabase(server, "copy");
    ParallelCopy.Result result = copy(source, target, split(true), true);
    CopiedTable leftOut =
        result.tables().stream().filter(t -> !t.dataCopied()).findFirst().orElseThrow();
    assertTrue(leftOut.source().rowCount() > 0, leftOut.toString());
    assertEquals(0, leftOut.copy().rowCount());
    assertEquals(Optional.empty(), leftOut.source().checksum());
    assertEquals(
        "0", single(target, "SELECT count(*) FROM ONLY " + leftOut.source().table().quoted()));
  }

  @Test
  void withoutChecksumsTheCopyIsCountedNotReadBack() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    String target = TestDatabases.createDatabase(server, "copy");
    for (CopiedTable table : copy(source, target, split(false), false).tables()) {
      assertEquals(Optional.empty(), table.source().checksum());
      assertEquals(Optional.empty(), table.copy().checksum());
      assertEquals(table.source().rowCount(), table.copy().rowCount());
    }
  }

  @Test
  void everyLoadedTableHasThePlannersStatisticsWithOrWithoutChecksums() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    for (boolean checksums : List.of(true, false)) {
      String target = TestDatabases.createDatabase(server, "copy");
      List<CopiedTable> tables = copy(source, target, split(checksums), true).tables();
      for (CopiedTable table : tables) {
        TableRef name = table.source().table();
        // analyze_count counts ANALYZE commands only; autovacuum's go to autoanalyze_count.
        String analyzed =
            single(
                target,
                "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '"
                    + name.quoted().replace("'", "''")
                    + "'::regclass");
        assertEquals(
            table.dataCopied() ? "1" : "0",
            analyzed,
            name + (table.dataCopied() ? " is analyzed once loaded" : " was left empty"));
      }
      CopiedTable largest =
          tables.stream()
              .max(java.util.Comparator.comparingLong(t -> t.source().rowCount()))
              .orElseThrow();
      assertTrue(largest.source().rowCount() > 0, largest.toString());
      assertNotEquals(
          "0",
          single(
              target,
              "SELECT count(*) FROM pg_stats WHERE schemaname = '"
                  + largest.source().table().schema()
                  + "' AND tablename = '"
                  + largest.source().table().name()
                  + "'"),
          "the planner has column statistics for " + largest.source().table());
    }
  }

  @Test
  void statisticsThatNeedPostDataAreGatheredAfterItAndEveryTableIsAnalyzedOnce() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    // Both are post-data in pg_dump's archive, and ANALYZE fills their statistics.
    TestDatabases.execute(
        server,
        source,
        "CREATE INDEX customers_name_lower ON public.customers (lower(full_name));"
            + " CREATE STATISTICS public.products_price_weight (dependencies)"
            + " ON price, weight_kg FROM public.products");
    String target = TestDatabases.createDatabase(server, "copy");
    List<CopiedTable> tables = copy(source, target, split(true), false).tables();
    for (CopiedTable table : tables) {
      TableRef name = table.source().table();
      assertEquals(
          "1",
          single(
              target,
              "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '"
                  + name.quoted().replace("'", "''")
                  + "'::regclass"),
          name + " is analyzed once, beside the copy or after post-data");
    }
    assertNotEquals(
        "0",
        single(target, "SELECT count(*) FROM pg_stats WHERE tablename = 'customers_name_lower'"),
        "the expression index's statistics are gathered after the index is built");
    assertEquals(
        "t",
        single(
            target,
            "SELECT dependencies IS NOT NULL FROM pg_stats_ext"
                + " WHERE statistics_name = 'products_price_weight'"),
        "the extended statistics object is filled after it is created");
    assertNotEquals(
        "0",
        single(
            target,
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'orders'"
                + " AND inherited"),
        "the partitioned table has the statistics autovacuum never gathers for it");
  }

  @Test
  void aPartitionTreeWithAForeignPartitionIsAnalyzedPartitionByPartitionNotThroughItsServer()
      throws Exception {
    String source = TestDatabases.createDatabase(server, "foreign");
    // Nothing listens on port 1: ANALYZE of the tree's top would fail to reach the foreign table.
    TestDatabases.execute(
        server,
        source,
        "CREATE EXTENSION postgres_fdw;"
            + " CREATE SERVER away FOREIGN DATA WRAPPER postgres_fdw"
            + " OPTIONS (host '127.0.0.1', port '1', dbname 'away');"
            + " CREATE USER MAPPING FOR CURRENT_USER SERVER away OPTIONS (user 'away');"
            + " CREATE TABLE public.readings (id int, taken date) PARTITION BY RANGE (id);"
            + " CREATE TABLE public.readings_here PARTITION OF public.readings"
            + " FOR VALUES FROM (0) TO (1000);"
            + " CREATE FOREIGN TABLE public.readings_away PARTITION OF public.readings"
            + " FOR VALUES FROM (1000) TO (2000) SERVER away;"
            + " INSERT INTO public.readings_here SELECT g, DATE '2026-01-01' + g"
            + " FROM generate_series(0, 999) g");
    String target = TestDatabases.createDatabase(server, "copy");

    List<CopiedTable> tables = copy(source, target, split(true), false).tables();

    assertEquals(1, tables.size(), "only the local partition holds rows to copy");
    assertEquals(
        "1",
        single(
            target,
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = 'public.readings_here'::regclass"),
        "the local partition is analyzed on its own, not through the tree's top");
  }

  @Test
  void aTableThatFailsToLoadFailsTheCopyByNameAndLeavesNoArchiveBehind() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    String target = TestDatabases.createDatabase(server, "copy");
    // On the target, every new public.audit_events refuses rows: one stream fails mid-copy.
    TestDatabases.execute(
        server,
        target,
        "CREATE FUNCTION public.refuse_audit_rows() RETURNS event_trigger LANGUAGE plpgsql AS $$"
            + " BEGIN IF pg_catalog.to_regclass('public.audit_events') IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM pg_catalog.pg_constraint WHERE conname = 'refuse_rows') THEN"
            + " ALTER TABLE public.audit_events ADD CONSTRAINT refuse_rows CHECK (false) NOT VALID;"
            + " END IF; END $$;"
            + " CREATE EVENT TRIGGER refuse_audit_rows ON ddl_command_end WHEN TAG IN"
            + " ('CREATE TABLE') EXECUTE FUNCTION public.refuse_audit_rows()");
    List<Path> before = archives();
    PgToolsException failure =
        assertThrows(PgToolsException.class, () -> copy(source, target, split(true), false));
    assertTrue(
        failure.getMessage().startsWith("Copying the rows of public.audit_events failed: "),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("refuse_rows"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("nothing is marked as a backup"));
    assertEquals(before, archives(), "the schema-only archive is deleted on failure too");
  }

  @Test
  void aTargetThatSilentlyDropsRowsFailsTheCopyNamingTheCounts() throws Exception {
    String source = TestDatabases.sampleDatabase(server);
    String target = TestDatabases.createDatabase(server, "copy");
    // On the target, public.products gets a trigger that quietly skips every other row: COPY
    // succeeds, and only the counts can tell.
    TestDatabases.execute(
        server,
        target,
        "CREATE FUNCTION public.skip_odd() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN IF NEW.id % 2 = 1 THEN RETURN NULL; END IF; RETURN NEW; END $$;"
            + " CREATE FUNCTION public.add_skipper() RETURNS event_trigger LANGUAGE plpgsql AS $$"
            + " BEGIN IF pg_catalog.to_regclass('public.products') IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgname = 'skip_odd') THEN"
            + " CREATE TRIGGER skip_odd BEFORE INSERT ON public.products FOR EACH ROW"
            + " EXECUTE FUNCTION public.skip_odd(); END IF; END $$;"
            + " CREATE EVENT TRIGGER add_skipper ON ddl_command_end WHEN TAG IN ('CREATE TABLE')"
            + " EXECUTE FUNCTION public.add_skipper()");
    PgToolsException failure =
        assertThrows(PgToolsException.class, () -> copy(source, target, split(true), false));
    assertTrue(
        failure.getMessage().contains("public.products: the source sent "), failure.getMessage());
    assertTrue(failure.getMessage().contains("and the target took "), failure.getMessage());
  }

  /** Incompressible values of 96 KiB: stored out of line, so the table travels through psql. */
  private static String databaseWithOutOfLineValues() {
    String database = TestDatabases.createDatabase(server, "toasted");
    TestDatabases.execute(
        server,
        database,
        "CREATE TYPE public.shade AS ENUM ('light', 'dark');"
            + " CREATE TABLE public.documents (id int PRIMARY KEY, body bytea, note text);"
            + " INSERT INTO public.documents SELECT g, (SELECT pg_catalog.decode(string_agg("
            + "   pg_catalog.md5(g::text || '.' || p), ''), 'hex') FROM generate_series(1, 6144) p),"
            + "   CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 40) g;"
            // A user-defined type: the same table shape in text COPY.
            + " CREATE TABLE public.shaded (id int, shade public.shade, body text);"
            + " INSERT INTO public.shaded SELECT g, 'dark', (SELECT string_agg("
            + "   pg_catalog.md5(g::text || ':' || p), E'\\t\\n') FROM generate_series(1, 3000) p)"
            + "   FROM generate_series(1, 30) g;"
            // A name psql's lexer must read as one identifier: a semicolon, a backslash, a colon
            // that would start a variable outside quotes, a quote and a newline.
            + " CREATE SCHEMA \"Sch;ema\\:x\";"
            + " CREATE TABLE \"Sch;ema\\:x\".\"Ta\\ble \"\"q\"\" ;\n:nl\" (id int, \":var\" text);"
            + " INSERT INTO \"Sch;ema\\:x\".\"Ta\\ble \"\"q\"\" ;\n:nl\" SELECT g, (SELECT string_agg("
            + "   pg_catalog.md5(g::text || '/' || p), '') FROM generate_series(1, 200) p)"
            + "   FROM generate_series(1, 20) g;"
            + " CREATE TABLE public.small (id int, label text);"
            + " INSERT INTO public.small SELECT g, 'label ' || g FROM generate_series(1, 500) g");
    return database;
  }

  @Test
  void tablesWithValuesStoredOutOfLineTravelThroughPsqlAndDigestAsIfReadByPgjdbc()
      throws Exception {
    String source = databaseWithOutOfLineValues();
    String target = TestDatabases.createDatabase(server, "copy");
    ParallelCopy.Result result = copy(source, target, split(true), false);

    assertEquals(3, result.tablesThroughPsql(), "documents, shaded and the odd name, not small");
    assertEquals(
        readByPgjdbc(source),
        result.tables().stream().map(CopiedTable::source).sorted(byTable()).toList(),
        "psql's pieces give the digests of whole messages");
    for (CopiedTable table : result.tables()) {
      assertEquals(table.source(), table.copy(), "read back: " + table.source().table());
    }
    String content =
        "SELECT count(*) || ':' || pg_catalog.md5(string_agg(pg_catalog.md5(body)"
            + " || coalesce(note, '-'), ',' ORDER BY id)) FROM public.documents";
    assertEquals(single(source, content), single(target, content));
  }

  /** pg_dump and pg_restore as found, alone. */
  private static PgClientTools withoutPsql(Path bin) throws IOException {
    Files.createSymbolicLink(bin.resolve("pg_dump"), tools.pgDump());
    Files.createSymbolicLink(bin.resolve("pg_restore"), tools.pgRestore());
    return new PgClientTools(
        bin.resolve("pg_dump"), bin.resolve("pg_restore"), tools.majorVersion(), tools.version());
  }

  /** pg_dump and pg_restore as found, beside a psql that runs {@code body}. */
  private static PgClientTools withPsql(Path bin, String body) throws IOException {
    withoutPsql(bin);
    Path psql = bin.resolve("psql");
    Files.writeString(psql, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(
        psql, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    return new PgClientTools(
        bin.resolve("pg_dump"), bin.resolve("pg_restore"), tools.majorVersion(), tools.version());
  }

  private static PgToolsException copyFailure(PgClientTools with) throws Exception {
    String source = databaseWithOutOfLineValues();
    String target = TestDatabases.createDatabase(server, "copy");
    return assertThrows(
        PgToolsException.class,
        () -> {
          try (SourceSnapshot snapshot = SourceSnapshot.export(url(source), "the source")) {
            new ParallelCopy(with, url(source), url(target), split(true), RunListener.SILENT)
                .run(snapshot, List.of(), snapshot.tablesIn(List.of("public")), List.of());
          }
        });
  }

  @Test
  void withoutAPsqlBesidePgDumpTheCopyFailsSayingWhatToInstall(
      @org.junit.jupiter.api.io.TempDir Path bin) throws Exception {
    PgToolsException failure = copyFailure(withoutPsql(bin));
    assertTrue(failure.getMessage().contains(bin.resolve("psql") + " is missing"));
    assertTrue(failure.getMessage().contains("install the PostgreSQL client package"));
    assertTrue(failure.getMessage().endsWith("nothing is marked as a backup"));
  }

  @Test
  void aPsqlThatFailsFailsTheCopyByNameWithItsMessage(@org.junit.jupiter.api.io.TempDir Path bin)
      throws Exception {
    PgToolsException failure =
        copyFailure(
            withPsql(
                bin, "cat > /dev/null\necho 'psql:<stdin>:12: ERROR:  out of memory' >&2\nexit 3"));
    assertTrue(
        failure
            .getMessage()
            .matches(
                "(?s)Copying the rows of public\\.(documents|shaded) failed: "
                    + "psql failed with exit code 3.*"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("out of memory"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("nothing is marked as a backup"));
  }

  @Test
  void aPsqlWhoseOutputIsNoCopyStreamFailsTheCopyByName(@org.junit.jupiter.api.io.TempDir Path bin)
      throws Exception {
    PgToolsException failure =
        copyFailure(withPsql(bin, "cat > /dev/null\nprintf 'NOT A COPY STREAM AT ALL'\nexit 0"));
    assertTrue(
        failure
            .getMessage()
            .matches(
                "(?s)Copying the rows of public\\.(documents|shaded) failed: a (binary )?COPY"
                    + " stream .*; nothing is marked as a backup"),
        failure.getMessage());
  }

  @Test
  void aStreamThatFailsEndsThePsqlOfTheOtherAtOnce(@org.junit.jupiter.api.io.TempDir Path bin)
      throws Exception {
    // The first psql would hold its stream for a minute; the second, started later in the other
    // stream, fails.
    PgClientTools tools =
        withPsql(
            bin,
            "cat > /dev/null\nif mkdir '"
                + bin.resolve("first")
                + "' 2>/dev/null; then exec sleep 60; fi\n"
                + "echo 'psql:<stdin>:12: ERROR:  canceling statement' >&2\nexit 3");
    long started = System.nanoTime();
    PgToolsException failure = copyFailure(tools);
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertTrue(
        failure.getMessage().contains("failed: psql failed with exit code 3"),
        failure.getMessage());
    // Left running, the first psql would keep the copy from ending for the 10 s it waits for its
    // threads.
    assertTrue(seconds < 8, "the copy ended " + seconds + " s after it started");
  }

  @Test
  void aPsqlWhoseStreamEndsShortFailsTheCopyThoughItExitsZero(
      @org.junit.jupiter.api.io.TempDir Path bin) throws Exception {
    // The real psql's first 100 kB, then a clean exit: only the stream itself can tell.
    PgToolsException failure =
        copyFailure(withPsql(bin, "'" + tools.psql() + "' \"$@\" | head -c 100000\nexit 0"));
    assertTrue(failure.getMessage().contains("ended inside a row"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("nothing is marked as a backup"));
  }

  private static List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("supaneon-post-data-"))
          .sorted()
          .toList();
    }
  }

  /** Every user table's fingerprint as pgjdbc reads it whole, one session, in table order. */
  private static List<TableFingerprint> readByPgjdbc(String database) throws Exception {
    List<TableFingerprint> fingerprints = new ArrayList<>();
    try (Connection connection = PgConnections.open(url(database), "the source")) {
      Fingerprints.pinSessionSettings(connection);
      for (TableRef table : Fingerprints.tablesIn(connection, userSchemas(connection))) {
        fingerprints.add(Fingerprints.ofRows(connection, table));
      }
    }
    return fingerprints.stream().sorted(byTable()).toList();
  }

  private static java.util.Comparator<TableFingerprint> byTable() {
    return java.util.Comparator.comparing(TableFingerprint::table);
  }

  private static String single(String database, String sql) throws Exception {
    try (Connection connection = server.connectAsSuperuser(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  static List<String> userSchemas(Connection connection) throws Exception {
    List<String> schemas = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN"
                    + " ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'")) {
      while (rows.next()) {
        schemas.add(rows.getString(1));
      }
    }
    return schemas;
  }
}
