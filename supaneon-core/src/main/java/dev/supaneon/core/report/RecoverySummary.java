package dev.supaneon.core.report;

import java.util.Locale;

/** Markdown summaries of {@code supaneon:status} and {@code supaneon:promote}. */
public final class RecoverySummary {

  private RecoverySummary() {}

  public static String status(StatusReport report) {
    StringBuilder md = new StringBuilder();
    md.append("## ")
        .append(report.stale() ? "❌" : "✅")
        .append(" supaneon status: ")
        .append(report.stale() ? "stale" : "current")
        .append("\n\n");
    if (report.problem() != null) {
      md.append("**Problem:** ").append(report.problem()).append("\n\n");
    }
    md.append("| | |\n|---|---|\n");
    Markdown.row(md, "Neon project", report.neonProjectId());
    Markdown.row(
        md,
        "Newest verified backup",
        report.newestBackupAgeMinutes() == null
            ? "none"
            : Formats.duration(java.time.Duration.ofMinutes(report.newestBackupAgeMinutes()))
                + " old"
                + (report.newestBackupConfirmedCurrentAt() == null
                    ? ""
                    : " (confirmed current at " + report.newestBackupConfirmedCurrentAt() + ")")
                + " (limit "
                + report.maxBackupAge()
                + ")");
    if (report.storage() != null && report.storage().usedBytes() != null) {
      Markdown.row(
          md,
          "Storage",
          Formats.bytes(report.storage().usedBytes())
              + (report.storage().limitBytes() == null
                  ? ""
                  : " of " + Formats.bytes(report.storage().limitBytes())));
    }
    planUsage(md, report.usage());
    StatusReport.StandbyStatus standby = report.standby();
    if (standby.exists()) {
      Markdown.row(
          md,
          "Standby",
          standby.name()
              + (standby.promoted() ? " (promoted: the live database)" : "")
              + (standby.holdsBackup() == null ? "" : ", holds " + standby.holdsBackup()));
      if (standby.rpoMinutes() != null) {
        Markdown.row(
            md,
            "Recovery point",
            "data as of "
                + standby.dataAsOf()
                + " ("
                + Formats.duration(java.time.Duration.ofMinutes(standby.rpoMinutes()))
                + " ago)");
      }
      Markdown.row(md, "Standby DATABASE_URL", standby.connectionString());
      Markdown.row(md, "Pooled", standby.pooledConnectionString());
    } else {
      Markdown.row(md, "Standby", "none yet: " + standby.detail());
    }
    md.append('\n');
    md.append(
        "### Verified backups\n\n| backup | taken | age | logical size | storage | compute |"
            + " transfer |\n|---|---|---|---:|---:|---:|---:|\n");
    for (StatusReport.BackupEntry backup : report.backups()) {
      md.append("| ")
          .append(backup.name())
          .append(" | ")
          .append(backup.takenAt())
          .append(" | ")
          .append(Formats.duration(java.time.Duration.ofMinutes(backup.ageMinutes())))
          .append(" | ")
          .append(backup.logicalSizeBytes() == null ? "" : Formats.bytes(backup.logicalSizeBytes()))
          .append(" | ")
          .append(backup.storageBytes() == null ? "" : Formats.bytes(backup.storageBytes()))
          .append(" | ")
          .append(backup.computeSeconds() == null ? "" : backup.computeSeconds() + " CU-s")
          .append(" | ")
          .append(
              backup.dataTransferBytes() == null ? "" : Formats.bytes(backup.dataTransferBytes()))
          .append(" |\n");
    }
    if (!report.unfinished().isEmpty()) {
      md.append("\n### Unfinished branches\n\n| branch | kind | expires |\n|---|---|---|\n");
      report
          .unfinished()
          .forEach(
              u ->
                  md.append(
                      String.format(
                          Locale.ROOT, "| %s | %s | %s |%n", u.name(), u.kind(), u.expiresAt())));
    }
    return md.toString();
  }

  public static String promote(PromoteReport report) {
    StringBuilder md = new StringBuilder();
    md.append("## ✅ supaneon promote: ")
        .append(report.alreadyPromoted() ? "already promoted" : "promoted")
        .append("\n\n")
        .append("Point the application's `DATABASE_URL` at the standby:\n\n```\n")
        .append(report.databaseUrl())
        .append("\n```\n\n")
        .append("Pooled: `")
        .append(report.pooledDatabaseUrl())
        .append("`. The URL carries no password: ")
        .append(report.passwordHint())
        .append(".\n\n| | |\n|---|---|\n");
    Markdown.row(md, "Branch", report.branchName() + " (" + report.branchId() + ")");
    Markdown.row(md, "Promoted at", String.valueOf(report.promotedAt()));
    Markdown.row(md, "Took", Formats.millis(report.durationMs()));
    md.append('\n');
    Markdown.phases(md, report.phases());
    return md.toString();
  }

  public static String restore(RestoreReport report) {
    StringBuilder md = new StringBuilder();
    Markdown.head(
        md,
        Markdown.icon(report.verification() == Verification.PASSED),
        "restore: " + (report.verification() == Verification.PASSED ? "verified" : "failed"),
        report.finalState(),
        report.failure());
    Markdown.row(
        md,
        "From",
        report.sourceBranchName() == null
            ? "(not chosen)"
            : report.sourceBranchName() + " (" + report.sourceKind() + ")");
    Markdown.row(
        md,
        "Into",
        report.targetUser()
            + "@"
            + report.targetHost()
            + ":"
            + report.targetPort()
            + "/"
            + report.targetDatabase());
    if (report.archiveSha256() != null) {
      Markdown.row(
          md,
          "Copied",
          Formats.bytes(report.archiveBytes()) + ", content sha256 " + report.archiveSha256());
    }
    Markdown.row(
        md,
        "Verification",
        report.verification()
            + (report.tableCount() > 0
                ? " (" + report.tableCount() + " tables, " + report.rowCount() + " rows)"
                : ""));
    md.append('\n');
    if (!report.mismatches().isEmpty()) {
      md.append("### Mismatches\n\n");
      report.mismatches().forEach(m -> md.append("- ").append(m).append('\n'));
      md.append('\n');
    }
    Markdown.phases(md, report.phases());
    return md.toString();
  }

  /**
   * This period's compute and transfer beside the Free plan's allowances, when Neon reported them.
   */
  static void planUsage(StringBuilder md, StatusReport.PlanUsage usage) {
    if (usage != null && usage.computeSeconds() != null) {
      Markdown.row(
          md,
          "Compute this period",
          String.format(
              java.util.Locale.ROOT,
              "%.1f CU-hours of the Free plan's %d (%d%%)",
              usage.computeSeconds() / 3600.0,
              usage.freeComputeSeconds() / 3600,
              Math.round(100.0 * usage.computeSeconds() / usage.freeComputeSeconds())));
    }
    if (usage != null && usage.dataTransferBytes() != null) {
      Markdown.row(
          md,
          "Data transfer this period",
          Formats.bytes(usage.dataTransferBytes())
              + " of the Free plan's "
              + Formats.bytes(usage.freeDataTransferBytes())
              + " ("
              + Math.round(100.0 * usage.dataTransferBytes() / usage.freeDataTransferBytes())
              + "%)");
    }
  }
}
