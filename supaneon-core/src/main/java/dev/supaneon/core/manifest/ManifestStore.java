package dev.supaneon.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.supaneon.core.SupaneonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes and reads the manifest in schema {@code supaneon} of a backup database: the manifest's
 * JSON with its SHA-256 in {@code supaneon.backup_manifest}, and one row per table in {@code
 * supaneon.backup_table} for plain SQL queries.
 */
public final class ManifestStore {

  public static final String SCHEMA = "supaneon";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .build();

  /** A manifest as read back, and whether its stored digest still matches its text. */
  public record StoredManifest(Manifest manifest, boolean intact, String problem) {}

  private ManifestStore() {}

  public static String toJson(Manifest manifest) {
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void write(Connection connection, Manifest manifest) throws SQLException {
    String json = toJson(manifest);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + SCHEMA);
      statement.execute(
          "CREATE TABLE supaneon.backup_manifest (run_id text PRIMARY KEY,"
              + " written_at timestamptz NOT NULL DEFAULT now(), manifest_json text NOT NULL,"
              + " manifest_sha256 text NOT NULL)");
      statement.execute(
          "CREATE TABLE supaneon.backup_table (schema_name text NOT NULL, table_name text NOT NULL,"
              + " row_count bigint NOT NULL, checksum text, data_included boolean NOT NULL,"
              + " PRIMARY KEY (schema_name, table_name))");
      statement.execute(
          "COMMENT ON SCHEMA supaneon IS 'Written by supaneon: what this backup holds. Do not edit.'");
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO supaneon.backup_manifest (run_id, manifest_json, manifest_sha256)"
                  + " VALUES (?, ?, ?)")) {
        insert.setString(1, manifest.runId());
        insert.setString(2, json);
        insert.setString(3, sha256(json));
        insert.executeUpdate();
      }
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO supaneon.backup_table VALUES (?, ?, ?, ?, ?)")) {
        for (Manifest.Table table : manifest.tables()) {
          insert.setString(1, table.schema());
          insert.setString(2, table.name());
          insert.setLong(3, table.rows());
          insert.setString(4, table.checksum());
          insert.setBoolean(5, table.dataIncluded());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Records on a backup that a later run found the source equal to it at {@code snapshotAt}. The
   * backup's data is not touched: only supaneon's own schema gains a row, so the backup can say how
   * current it is without a new branch.
   */
  public static void confirm(Connection connection, String runId, Instant snapshotAt)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS supaneon.backup_confirmation (run_id text PRIMARY KEY,"
              + " source_snapshot_at timestamptz NOT NULL,"
              + " confirmed_at timestamptz NOT NULL DEFAULT now())");
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO supaneon.backup_confirmation (run_id, source_snapshot_at) VALUES (?, ?)")) {
      insert.setString(1, runId);
      insert.setObject(2, OffsetDateTime.ofInstant(snapshotAt, ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  /** The latest source instant a run confirmed the backup equal to; empty when none did. */
  public static Optional<Instant> confirmedCurrentAt(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery(
              "SELECT to_regclass('supaneon.backup_confirmation') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return Optional.empty();
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT max(source_snapshot_at) FROM supaneon.backup_confirmation")) {
        rows.next();
        return Optional.ofNullable(rows.getObject(1, OffsetDateTime.class))
            .map(OffsetDateTime::toInstant);
      }
    }
  }

  /** Reads the manifest; empty when the database has none. */
  public static Optional<StoredManifest> read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery(
              "SELECT to_regclass('supaneon.backup_manifest') IS NOT NULL,"
                  + " to_regclass('supaneon.backup_table') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return Optional.empty();
        }
        if (!exists.getBoolean(2)) {
          return Optional.of(new StoredManifest(null, false, "supaneon.backup_table is missing"));
        }
      }
      String json;
      String digest;
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT manifest_json, manifest_sha256, count(*) OVER () FROM supaneon.backup_manifest")) {
        if (!rows.next()) {
          return Optional.of(new StoredManifest(null, false, "supaneon.backup_manifest is empty"));
        }
        if (rows.getLong(3) != 1) {
          return Optional.of(
              new StoredManifest(null, false, "supaneon.backup_manifest has several rows"));
        }
        json = rows.getString(1);
        digest = rows.getString(2);
      }
      Manifest manifest;
      try {
        manifest = JSON.readValue(json, Manifest.class);
      } catch (JsonProcessingException e) {
        return Optional.of(new StoredManifest(null, false, "the manifest is not valid JSON"));
      }
      if (!sha256(json).equals(digest)) {
        return Optional.of(
            new StoredManifest(manifest, false, "the manifest's SHA-256 does not match its text"));
      }
      long tableRows;
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM supaneon.backup_table")) {
        rows.next();
        tableRows = rows.getLong(1);
      }
      if (tableRows != manifest.tables().size()) {
        return Optional.of(
            new StoredManifest(
                manifest,
                false,
                "supaneon.backup_table lists "
                    + tableRows
                    + " tables but the manifest "
                    + manifest.tables().size()));
      }
      return Optional.of(new StoredManifest(manifest, true, ""));
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new SupaneonException("SHA-256 is not available", e);
    }
  }
}
