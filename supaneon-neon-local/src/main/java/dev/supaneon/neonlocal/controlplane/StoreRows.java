package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** Records read from the store's rows, and the JSON columns written and read back. */
final class StoreRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreRows() {}

  static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static ProjectRecord project(ResultSet rows) throws SQLException {
    return new ProjectRecord(
        rows.getString("id"),
        rows.getString("name"),
        rows.getString("region_id"),
        rows.getInt("pg_version"),
        rows.getInt("branch_limit"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"));
  }

  static BranchRecord branch(ResultSet rows) throws SQLException {
    return new BranchRecord(
        rows.getString("id"),
        rows.getString("project_id"),
        rows.getString("parent_id"),
        rows.getString("name"),
        rows.getString("current_state"),
        rows.getString("pending_state"),
        instant(rows, "state_changed_at"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"),
        instant(rows, "expires_at"),
        rows.getBoolean("protected"),
        rows.getBoolean("is_default"),
        rows.getString("parent_lsn"),
        instant(rows, "parent_timestamp"),
        rows.getString("init_source"),
        rows.getString("creation_source"),
        fromJson(rows.getString("annotation")),
        instant(rows, "annotation_created_at"),
        instant(rows, "annotation_updated_at"),
        rows.getString("restored_from"));
  }

  static EndpointRecord endpoint(ResultSet rows) throws SQLException {
    return new EndpointRecord(
        rows.getString("id"),
        rows.getString("project_id"),
        rows.getString("branch_id"),
        rows.getString("type"),
        rows.getString("current_state"),
        rows.getString("pending_state"),
        rows.getDouble("min_cu"),
        rows.getDouble("max_cu"),
        rows.getLong("suspend_timeout_seconds"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"),
        instant(rows, "started_at"),
        instant(rows, "suspended_at"),
        instant(rows, "last_active"),
        rows.getInt("port"));
  }

  static RoleRecord role(ResultSet rows) throws SQLException {
    return new RoleRecord(
        rows.getString("branch_id"),
        rows.getString("name"),
        rows.getString("password"),
        rows.getBoolean("no_login"),
        rows.getBoolean("protected"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"));
  }

  static DatabaseRecord database(ResultSet rows) throws SQLException {
    return new DatabaseRecord(
        rows.getLong("id"),
        rows.getString("branch_id"),
        rows.getString("name"),
        rows.getString("owner_name"),
        rows.getString("physical_name"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"));
  }

  static OperationRecord operation(ResultSet rows) throws SQLException {
    try {
      return new OperationRecord(
          rows.getObject("id", UUID.class),
          rows.getLong("seq"),
          rows.getString("project_id"),
          rows.getString("branch_id"),
          rows.getString("endpoint_id"),
          rows.getString("action"),
          rows.getString("status"),
          rows.getString("error"),
          rows.getInt("failures_count"),
          instant(rows, "created_at"),
          instant(rows, "updated_at"),
          rows.getInt("total_duration_ms"),
          JSON.readTree(rows.getString("payload")));
    } catch (JsonProcessingException e) {
      throw new SQLException("Corrupt operation payload", e);
    }
  }

  static String toJson(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Map<String, String> fromJson(String json) throws SQLException {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("Corrupt annotation", e);
    }
  }

  static JsonNode payload(Object value) {
    return JSON.valueToTree(value);
  }
}
