package dev.supaneon.core.report;

import java.util.Locale;

/** The Markdown summary of a backup run: readable in a terminal and in a GitHub job summary. */
public final class BackupSummary {

  private static final int MAX_TABLE_ROWS = 50;

  /** Supabase's Free plan: 5 GB of egress a month. */
  static final long SUPABASE_FREE_EGRESS_BYTES = 5_000_000_000L;

  private BackupSummary() {}

  public static String markdown(BackupReport report) {
    StringBuilder md = new StringBuilder();
    String icon =
        switch (report.outcome()) {
          case VERIFIED, CONFIRMED_CURRENT -> "✅";
          case DRY_RUN -> "📝";
          case FAILED -> "❌";
        };
    Markdown.head(md, icon, "backup: " + report.outcome(), report.finalState(), report.failure());
    Markdown.row(md, "Run", report.runId());
    Markdown.row(md, "Started", String.valueOf(report.startedAt()));
    Markdown.row(md, "Duration", Formats.millis(report.durationMs()));
    Markdown.row(
        md,
        "Source",
        report.sourceUser()
            + "@"
            + report.sourceHost()
            + ":"
            + report.sourcePort()
            + "/"
            + report.sourceDatabase()
            + (report.sourceServerVersion() == null
                ? ""
                : " (PostgreSQL " + report.sourceServerVersion() + ")"));
    Markdown.row(md, "Neon project", report.neonProjectId());
    if (report.branchName() != null) {
      Markdown.row(md, "Backup branch", report.branchName() + " (" + report.branchId() + ")");
    }
    if (report.targetServerVersion() != null) {
      Markdown.row(
          md,
          "Target",
          report.targetDatabase() + " (PostgreSQL " + report.targetServerVersion() + ")");
    }
    if (report.pgToolsVersion() != null) {
      Markdown.row(md, "pg_dump / pg_restore", report.pgToolsVersion());
    }
    if (report.archiveSha256() != null) {
      Markdown.row(
          md,
          "Copied",
          Formats.bytes(report.archiveBytes()) + ", content sha256 " + report.archiveSha256());
      Markdown.row(
          md,
          "Copy",
          Formats.millis(report.dumpRestoreMs())
              + (report.copy() == null
                  ? ""
                  : " with "
                      + report.copy().jobs()
                      + " stream(s): schema "
                      + Formats.millis(report.copy().schemaMs())
                      + ", rows and read-back "
                      + Formats.millis(report.copy().rowsMs())
                      + ", indexes and constraints "
                      + Formats.millis(report.copy().indexesMs())));
      // Every byte pg_dump reads leaves Supabase through its pooler and counts as egress.
      long monthly = report.archiveBytes() * 30;
      Markdown.row(
          md,
          "Supabase egress",
          Formats.bytes(report.archiveBytes())
              + " this run; daily, about "
              + Formats.bytes(monthly)
              + " a month, "
              + Math.round(100.0 * monthly / SUPABASE_FREE_EGRESS_BYTES)
              + "% of the Free plan's 5 GB");
    }
    if (report.largeObjects() > 0) {
      Markdown.row(md, "Large objects", report.largeObjects() + " (compared by count)");
    }
    RecoverySummary.planUsage(md, report.usage());
    if (report.standby() != null && report.standby().branchName() != null) {
      Markdown.row(
          md,
          "Standby",
          report.standby().action()
              + ": "
              + report.standby().branchName()
              + (report.standby().holdsBackup() == null
                  ? ""
                  : ", holds " + report.standby().holdsBackup())
              + ", "
              + report.standby().connectionString());
    }
    if (report.storage() != null) {
      BackupReport.Storage storage = report.storage();
      Markdown.row(
          md,
          "Storage",
          Formats.bytes(storage.usedBeforeBytes())
              + " before"
              + (storage.usedAfterBytes() == null
                  ? ""
                  : ", " + Formats.bytes(storage.usedAfterBytes()) + " after")
              + " of a "
              + Formats.bytes(storage.budgetBytes())
              + " budget ("
              + storage.budgetSource()
              + ")");
      Markdown.row(
          md,
          "Backup size",
          "about "
              + Formats.bytes(storage.estimatedBytes())
              + " (source tables in scope: "
              + Formats.bytes(storage.sourceBytes())
              + "); at this size "
              + storage.backupsThatFit()
              + " backup(s) fit the budget");
    }
    Markdown.row(
        md,
        "Verification",
        report.verification()
            + (report.tableCount() > 0
                ? String.format(
                    Locale.ROOT,
                    " (%d tables, %d rows%s)",
                    report.tableCount(),
                    report.rowCount(),
                    report.checksumsCompared() ? ", counts and checksums" : ", counts")
                : ""));
    md.append('\n');
    if (!report.mismatches().isEmpty()) {
      md.append("### Mismatches\n\n");
      report.mismatches().forEach(m -> md.append("- ").append(m).append('\n'));
      md.append('\n');
    }
    if (!report.tables().isEmpty()) {
      md.append("### Tables\n\n| table | rows | rows backed up | verified |\n|---|---:|---|---|\n");
      report.tables().stream()
          .limit(MAX_TABLE_ROWS)
          .forEach(
              t ->
                  md.append("| ")
                      .append(Markdown.cell(t.schema() + "." + t.table()))
                      .append(" | ")
                      .append(t.rows())
                      .append(" | ")
                      .append(t.dataIncluded() ? "yes" : "no (structure only)")
                      .append(" | ")
                      .append(t.verified() ? "yes" : "no")
                      .append(" |\n"));
      if (report.tables().size() > MAX_TABLE_ROWS) {
        md.append("| … ")
            .append(report.tables().size() - MAX_TABLE_ROWS)
            .append(" more in the JSON report | | | |\n");
      }
      md.append('\n');
    }
    if (!report.leftOut().isEmpty()) {
      md.append("### Left out\n\n| kind | name | why |\n|---|---|---|\n");
      report
          .leftOut()
          .forEach(
              l ->
                  md.append("| ")
                      .append(l.kind())
                      .append(" | ")
                      .append(Markdown.cell(l.name()))
                      .append(" | ")
                      .append(Markdown.cell(l.reason()))
                      .append(" |\n"));
      md.append('\n');
    }
    if (!report.targetActions().isEmpty()) {
      md.append("### Prepared on the target\n\n");
      report.targetActions().forEach(a -> md.append("- ").append(a).append('\n'));
      md.append('\n');
    }
    if (!report.retention().isEmpty()) {
      md.append("### Retention\n\n| branch | action | why |\n|---|---|---|\n");
      report
          .retention()
          .forEach(
              r ->
                  md.append("| ")
                      .append(Markdown.cell(r.branchName()))
                      .append(" | ")
                      .append(r.action())
                      .append(" | ")
                      .append(Markdown.cell(r.reason()))
                      .append(" |\n"));
      md.append('\n');
    }
    Markdown.phases(md, report.phases());
    return md.toString();
  }
}
