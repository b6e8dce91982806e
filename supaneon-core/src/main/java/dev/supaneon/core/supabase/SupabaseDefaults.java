package dev.supaneon.core.supabase;

import java.util.List;
import java.util.Set;

/**
 * What a stock Supabase database holds that a backup leaves out by default, and why. A plain
 * PostgreSQL database has none of it, so the defaults fit both.
 */
public final class SupabaseDefaults {

  private SupabaseDefaults() {}

  /** Schemas Supabase manages that Neon cannot or need not hold. */
  public static final List<String> MANAGED_SCHEMAS =
      List.of(
          "extensions",
          "graphql",
          "graphql_public",
          "realtime",
          "_realtime",
          "vault",
          "pgsodium",
          "pgsodium_masks",
          "pgbouncer",
          "net",
          "cron",
          "supabase_functions",
          "_analytics",
          "_supavisor",
          "pgtle",
          "repack",
          "tiger",
          "tiger_data",
          "topology");

  /** Schemas of PostgreSQL itself: never backed up. */
  static boolean isSystemSchema(String schema) {
    return schema.equals("pg_catalog")
        || schema.equals("information_schema")
        || schema.startsWith("pg_toast")
        || schema.startsWith("pg_temp");
  }

  /**
   * Tables whose rows are short-lived or secret (sessions, refresh tokens, one-time tokens, audit
   * trails, uploads in flight): their structure is backed up, their rows are not.
   */
  public static final List<String> VOLATILE_TABLES =
      List.of(
          "auth.sessions",
          "auth.refresh_tokens",
          "auth.audit_log_entries",
          "auth.flow_state",
          "auth.one_time_tokens",
          "auth.mfa_challenges",
          "auth.mfa_amr_claims",
          "auth.saml_relay_states",
          "storage.s3_multipart_uploads",
          "storage.s3_multipart_uploads_parts");

  /**
   * Extensions that exist only to run Supabase's own services; their objects live in managed
   * schemas and the backup does not need them.
   */
  public static final Set<String> PLATFORM_EXTENSIONS =
      Set.of(
          "plpgsql",
          "pg_graphql",
          "supabase_vault",
          "pgsodium",
          "pg_net",
          "pg_cron",
          "pg_stat_statements",
          "pgjwt",
          "pg_tle",
          "pgaudit",
          "wrappers",
          "pg_repack");
}
