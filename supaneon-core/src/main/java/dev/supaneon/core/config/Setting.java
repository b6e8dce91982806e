package dev.supaneon.core.config;

/**
 * Every setting with the environment variable and the Maven property that provide it, so that an
 * error message can name the setting the way the user wrote it.
 */
public enum Setting {
  SOURCE_URL("SUPABASE_DATABASE_URL", "supaneon.sourceUrl", "the source database URL"),
  NEON_API_KEY("NEON_API_KEY", "supaneon.neonApiKey", "the Neon API key"),
  NEON_PROJECT_ID("NEON_PROJECT_ID", "supaneon.neonProjectId", "the Neon project id"),
  NEON_API_URL("NEON_API_URL", "supaneon.neonApiUrl", "the Neon API URL"),
  NEON_PARENT_BRANCH("NEON_PARENT_BRANCH", "supaneon.parentBranch", "the parent branch"),
  NEON_DATABASE("NEON_DATABASE", "supaneon.database", "the Neon database"),
  NEON_ROLE("NEON_ROLE", "supaneon.role", "the Neon role"),
  PG_BIN("SUPANEON_PG_BIN", "supaneon.pgBin", "the PostgreSQL client directory"),
  KEEP_DAILY("SUPANEON_KEEP_DAILY", "supaneon.keepDaily", "daily backups to keep"),
  KEEP_WEEKLY("SUPANEON_KEEP_WEEKLY", "supaneon.keepWeekly", "weekly backups to keep"),
  KEEP_MONTHLY("SUPANEON_KEEP_MONTHLY", "supaneon.keepMonthly", "monthly backups to keep"),
  BRANCH_LIMIT("SUPANEON_BRANCH_LIMIT", "supaneon.branchLimit", "the project's branch limit"),
  STORAGE_BUDGET(
      "SUPANEON_STORAGE_BUDGET", "supaneon.storageBudget", "the project's storage budget"),
  RUN_TIMEOUT("SUPANEON_RUN_TIMEOUT", "supaneon.runTimeout", "the longest a run may take"),
  REPORT_DIRECTORY("SUPANEON_REPORT_DIR", "supaneon.reportDirectory", "where reports go"),
  DRY_RUN("SUPANEON_DRY_RUN", "supaneon.dryRun", "dry-run mode"),
  JOBS("SUPANEON_JOBS", "supaneon.jobs", "parallel copy streams"),
  SKIP_UNCHANGED(
      "SUPANEON_SKIP_UNCHANGED",
      "supaneon.skipUnchanged",
      "confirming the newest backup instead of copying an unchanged source"),
  VERIFY_CHECKSUMS("SUPANEON_VERIFY_CHECKSUMS", "supaneon.verifyChecksums", "content checksums"),
  INCLUDE_SCHEMAS("SUPANEON_INCLUDE_SCHEMAS", "supaneon.includeSchemas", "schemas to back up"),
  EXCLUDE_SCHEMAS("SUPANEON_EXCLUDE_SCHEMAS", "supaneon.excludeSchemas", "schemas to leave out"),
  EXCLUDE_TABLE_DATA(
      "SUPANEON_EXCLUDE_TABLE_DATA", "supaneon.excludeTableData", "tables whose rows are left out"),
  INCLUDE_TABLE_DATA(
      "SUPANEON_INCLUDE_TABLE_DATA",
      "supaneon.includeTableData",
      "tables whose rows are kept despite the defaults"),
  SKIP_UNAVAILABLE_EXTENSIONS(
      "SUPANEON_SKIP_UNAVAILABLE_EXTENSIONS",
      "supaneon.skipUnavailableExtensions",
      "leaving out objects that need extensions the target lacks"),
  MAX_BACKUP_AGE(
      "SUPANEON_MAX_BACKUP_AGE", "supaneon.maxBackupAge", "the oldest acceptable backup"),
  RESTORE_TEST_MODE(
      "SUPANEON_RESTORE_TEST_MODE", "supaneon.restoreTestMode", "the restore test mode"),
  ASSERTIONS_FILE("SUPANEON_ASSERTIONS", "supaneon.assertions", "the SQL assertions file"),
  BACKUP_BRANCH("SUPANEON_BACKUP_BRANCH", "supaneon.backupBranch", "the backup to test"),
  STANDBY("SUPANEON_STANDBY", "supaneon.standby", "refreshing the standby after each backup"),
  STANDBY_BRANCH("SUPANEON_STANDBY_BRANCH", "supaneon.standbyBranch", "the standby branch"),
  TARGET_URL("SUPANEON_TARGET_URL", "supaneon.targetUrl", "the database to restore into"),
  RESTORE_FROM("SUPANEON_RESTORE_FROM", "supaneon.restoreFrom", "the branch to restore from"),
  TARGET_CLEAN(
      "SUPANEON_TARGET_CLEAN",
      "supaneon.targetClean",
      "dropping what the target holds in the restored schemas first");

  private final String environmentVariable;
  private final String property;
  private final String description;

  Setting(String environmentVariable, String property, String description) {
    this.environmentVariable = environmentVariable;
    this.property = property;
    this.description = description;
  }

  public String environmentVariable() {
    return environmentVariable;
  }

  public String property() {
    return property;
  }

  public String description() {
    return description;
  }

  /** How messages name the setting: {@code SUPABASE_DATABASE_URL (supaneon.sourceUrl)}. */
  public String label() {
    return environmentVariable + " (" + property + ")";
  }
}
