package dev.supaneon.neonlocal.controlplane;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The tables of schema {@code neon_local}, created when missing. */
final class StoreSchema {

  private StoreSchema() {}

  static void create(ConnectionPool pool) throws SQLException {
    try (Connection connection = pool.borrow();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS neon_local");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.project (id text PRIMARY KEY, name text NOT NULL,"
              + " region_id text NOT NULL, pg_version int NOT NULL, branch_limit int NOT NULL,"
              + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.branch (id text PRIMARY KEY,"
              + " project_id text NOT NULL, parent_id text, name text NOT NULL,"
              + " current_state text NOT NULL, pending_state text,"
              + " state_changed_at timestamptz NOT NULL, created_at timestamptz NOT NULL,"
              + " updated_at timestamptz NOT NULL, expires_at timestamptz,"
              + " protected boolean NOT NULL, is_default boolean NOT NULL, parent_lsn text,"
              + " parent_timestamp timestamptz, init_source text NOT NULL,"
              + " creation_source text NOT NULL, annotation jsonb NOT NULL DEFAULT '{}',"
              + " annotation_created_at timestamptz, annotation_updated_at timestamptz,"
              + " restored_from text, UNIQUE (project_id, name))");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.endpoint (id text PRIMARY KEY,"
              + " project_id text NOT NULL, branch_id text NOT NULL, type text NOT NULL,"
              + " current_state text NOT NULL, pending_state text, min_cu float8 NOT NULL,"
              + " max_cu float8 NOT NULL, suspend_timeout_seconds bigint NOT NULL,"
              + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
              + " started_at timestamptz, suspended_at timestamptz, last_active timestamptz)");
      // The endpoint's port on neon-local's proxy (stores made before the proxy lack it).
      statement.execute("ALTER TABLE neon_local.endpoint ADD COLUMN IF NOT EXISTS port integer");
      // Compute time of computes that have stopped, per branch; kept after the branch is deleted,
      // as Neon keeps counting a deleted branch's compute time in the project's.
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.compute_usage (branch_id text PRIMARY KEY,"
              + " project_id text NOT NULL, cu_seconds float8 NOT NULL,"
              + " active_seconds float8 NOT NULL)");
      // Bytes the proxy sent to clients, Neon's egress (stores made before the proxy lack it).
      statement.execute(
          "ALTER TABLE neon_local.compute_usage ADD COLUMN IF NOT EXISTS transfer_bytes bigint"
              + " NOT NULL DEFAULT 0");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.role (branch_id text NOT NULL,"
              + " name text NOT NULL, password text, no_login boolean NOT NULL,"
              + " protected boolean NOT NULL, created_at timestamptz NOT NULL,"
              + " updated_at timestamptz NOT NULL, PRIMARY KEY (branch_id, name))");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.database (id bigserial PRIMARY KEY,"
              + " branch_id text NOT NULL, name text NOT NULL, owner_name text NOT NULL,"
              + " physical_name text NOT NULL UNIQUE, created_at timestamptz NOT NULL,"
              + " updated_at timestamptz NOT NULL, UNIQUE (branch_id, name))");
      // What a database held when its branch was made from another (0: created on the branch):
      // the storage model counts only what a branch wrote beyond that.
      statement.execute(
          "ALTER TABLE neon_local.database ADD COLUMN IF NOT EXISTS inherited_bytes bigint NOT NULL"
              + " DEFAULT 0");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.setting (name text PRIMARY KEY, value text NOT NULL)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS neon_local.operation (id uuid PRIMARY KEY,"
              + " seq bigserial NOT NULL UNIQUE, project_id text NOT NULL, branch_id text,"
              + " endpoint_id text, action text NOT NULL, status text NOT NULL, error text,"
              + " failures_count int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL,"
              + " updated_at timestamptz NOT NULL, total_duration_ms int NOT NULL DEFAULT 0,"
              + " payload jsonb NOT NULL DEFAULT '{}')");
    }
  }
}
