package dev.supaneon.core.backup;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.manifest.Manifest;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.postgres.Fingerprints;
import dev.supaneon.core.postgres.PgClientTools;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.postgres.SchemaFingerprint;
import dev.supaneon.core.postgres.SourceSnapshot;
import dev.supaneon.core.postgres.TableFingerprint;
import dev.supaneon.core.postgres.TableRef;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.supabase.ResolvedScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whether the source still equals the newest verified backup, decided from digests alone: the
 * scope, the tables, every sequence, the large objects, the schema, and every table's rows (count
 * and the sum of each row's md5, computed by each server). Only digests cross the network, so an
 * unchanged source costs no egress and no branch. The cheap comparisons come first and the first
 * difference ends the check, so a changed source costs little more than a sequence read.
 */
final class UnchangedSource {

  /** The first difference found, or none: then the source equals the backup. */
  record Verdict(Optional<String> difference, Instant snapshotAt, int tablesCompared) {
    boolean unchanged() {
      return difference.isEmpty();
    }
  }

  private final PgClientTools tools;
  private final PostgresUrl source;
  private final PostgresUrl backup;
  private final RunListener listener;
  private final Duration timeout;

  UnchangedSource(
      PgClientTools tools,
      PostgresUrl source,
      PostgresUrl backup,
      RunListener listener,
      Duration timeout) {
    this.tools = tools;
    this.source = source;
    this.backup = backup;
    this.listener = listener;
    this.timeout = timeout;
  }

  Verdict compare(ResolvedScope scope) throws Exception {
    try (SourceSnapshot snapshot =
            SourceSnapshot.export(source, "the source database (SUPABASE_DATABASE_URL)");
        Connection copy = PgConnections.open(backup, "the newest verified backup")) {
      Connection original = snapshot.connection();
      Fingerprints.pinSessionSettings(original);
      Fingerprints.pinSessionSettings(copy);
      Optional<ManifestStore.StoredManifest> stored = ManifestStore.read(copy);
      if (stored.isEmpty() || !stored.get().intact()) {
        return changed("the backup's manifest is missing or damaged", snapshot, 0);
      }
      Manifest manifest = stored.get().manifest();
      Set<TableRef> leftOut = new HashSet<>(scope.tablesLeftOut());
      List<TableRef> tables =
          snapshot.tablesIn(scope.schemas()).stream().filter(t -> !leftOut.contains(t)).toList();
      Set<TableRef> withoutData = new HashSet<>(scope.tablesWithoutData());
      if (!manifest.schemas().equals(scope.schemas())) {
        return changed("the schemas in scope changed", snapshot, 0);
      }
      Set<TableRef> backedUp = new HashSet<>();
      Set<TableRef> backedUpWithoutData = new HashSet<>();
      for (Manifest.Table table : manifest.tables()) {
        TableRef ref = new TableRef(table.schema(), table.name());
        backedUp.add(ref);
        if (!table.dataIncluded()) {
          backedUpWithoutData.add(ref);
        }
      }
      if (!backedUp.equals(new HashSet<>(tables))) {
        return changed("tables were created, dropped or renamed", snapshot, 0);
      }
      withoutData.retainAll(backedUp);
      if (!backedUpWithoutData.equals(withoutData)) {
        return changed("the tables whose rows are left out changed", snapshot, 0);
      }
      if (!sequences(original, scope.schemas()).equals(sequences(copy, scope.schemas()))) {
        return changed("a sequence moved", snapshot, 0);
      }
      if (!largeObjects(original).equals(largeObjects(copy))) {
        return changed("large objects changed", snapshot, 0);
      }
      List<String> scopeArguments = scope.dumpArguments();
      List<String> atSnapshot = new ArrayList<>(scopeArguments);
      atSnapshot.add("--snapshot=" + snapshot.id());
      if (!SchemaFingerprint.of(tools, source, atSnapshot, listener, timeout)
          .equals(SchemaFingerprint.of(tools, backup, scopeArguments, listener, timeout))) {
        return changed("the schema changed", snapshot, 0);
      }
      // Row counts first, on the source alone against the manifest: inserts and deletes, the
      // usual change, show here for a count's scan instead of an md5 pass on both servers.
      Map<TableRef, Long> backedUpCounts = new HashMap<>();
      manifest
          .tables()
          .forEach(t -> backedUpCounts.put(new TableRef(t.schema(), t.name()), t.rows()));
      for (TableRef table : tables) {
        if (!withoutData.contains(table)
            && Fingerprints.of(original, table, false).rowCount() != backedUpCounts.get(table)) {
          return changed(table.displayName() + " has more or fewer rows", snapshot, 0);
        }
      }
      int compared = 0;
      ExecutorService backupSide =
          Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-unchanged-check"));
      try {
        for (TableRef table : tables) {
          if (withoutData.contains(table)) {
            continue;
          }
          // Both servers digest the same table at once.
          Future<TableFingerprint> theirs =
              backupSide.submit(() -> Fingerprints.of(copy, table, true));
          TableFingerprint ours = Fingerprints.of(original, table, true);
          TableFingerprint backedUpRows = get(theirs);
          compared++;
          if (!ours.equals(backedUpRows)) {
            return changed(table.displayName() + " changed", snapshot, compared);
          }
        }
      } finally {
        backupSide.shutdownNow();
      }
      return new Verdict(Optional.empty(), snapshot.at(), compared);
    }
  }

  private static Verdict changed(String difference, SourceSnapshot snapshot, int compared) {
    return new Verdict(Optional.of(difference), snapshot.at(), compared);
  }

  private static <T> T get(Future<T> work) throws Exception {
    try {
      return work.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Every sequence's position; a sequence the role may not read counts as a difference. */
  private static Map<String, String> sequences(Connection connection, List<String> schemas)
      throws SQLException {
    Map<String, String> positions = new TreeMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT schemaname || '.' || sequencename, last_value::text"
                + " FROM pg_catalog.pg_sequences WHERE schemaname = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          positions.put(rows.getString(1), String.valueOf(rows.getString(2)));
        }
      }
    }
    return positions;
  }

  /** The large objects' count and the sum of their contents' md5, as the server computes it. */
  private static String largeObjects(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) || ':' || coalesce(pg_catalog.sum(('x' || pg_catalog.left("
                    + "pg_catalog.md5(pg_catalog.lo_get(oid)), 16))::pg_catalog.bit(64)"
                    + "::pg_catalog.int8), 0) FROM pg_catalog.pg_largeobject_metadata");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getString(1);
    }
  }
}
