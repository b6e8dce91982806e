package dev.supaneon.core.report;

import java.util.Locale;

/** The Markdown summary of a backup run: readable in a terminal and in a GitHub job summary. */
public final class BackupSummary {

  private static final int MAX_TABLE_ROWS = 50;

  private BackupSummary() {}

  public static String markdown(BackupReport report) {
    StringBuilder md = new StringBuilder();
    String icon =
        switch (report.outcome == null ? "" : report.outcome) {
          case "verified" -> "✅";
          case "dry-run" -> "📝";
          default -> "❌";
        };
    md.append("## ")
        .append(icon)
        .append(" supaneon backup: ")
        .append(report.outcome)
        .append("\n\n");
    if (report.finalState != null) {
      md.append(report.finalState).append("\n\n");
    }
    if (report.failure != null) {
      md.append("**Failure:** ").append(report.failure.replace("\n", "  \n")).append("\n\n");
    }
    md.append("| | |\n|---|---|\n");
    row(md, "Run", report.runId);
    row(md, "Started", String.valueOf(report.startedAt));
    row(md, "Duration", Formats.millis(report.durationMs));
    row(
        md,
        "Source",
        report.sourceUser
            + "@"
            + report.sourceHost
            + ":"
            + report.sourcePort
            + "/"
            + report.sourceDatabase
            + (report.sourceServerVersion == null
                ? ""
                : " (PostgreSQL " + report.sourceServerVersion + ")"));
    row(md, "Neon project", report.neonProjectId);
    if (report.branchName != null) {
      row(md, "Backup branch", report.branchName + " (" + report.branchId + ")");
    }
    if (report.targetServerVersion != null) {
      row(md, "Target", report.targetDatabase + " (PostgreSQL " + report.targetServerVersion + ")");
    }
    if (report.pgToolsVersion != null) {
      row(md, "pg_dump / pg_restore", report.pgToolsVersion);
    }
    if (report.archiveSha256 != null) {
      row(md, "Archive", Formats.bytes(report.archiveBytes) + ", sha256 " + report.archiveSha256);
      row(md, "Dump and restore", Formats.millis(report.dumpRestoreMs));
    }
    row(
        md,
        "Verification",
        report.verification
            + (report.tableCount > 0
                ? String.format(
                    Locale.ROOT,
                    " (%d tables, %d rows%s)",
                    report.tableCount,
                    report.rowCount,
                    report.checksumsCompared ? ", counts and checksums" : ", counts")
                : ""));
    md.append('\n');
    if (!report.mismatches.isEmpty()) {
      md.append("### Mismatches\n\n");
      report.mismatches.forEach(m -> md.append("- ").append(m).append('\n'));
      md.append('\n');
    }
    if (!report.tables.isEmpty()) {
      md.append("### Tables\n\n| table | rows | rows backed up | verified |\n|---|---:|---|---|\n");
      report.tables.stream()
          .limit(MAX_TABLE_ROWS)
          .forEach(
              t ->
                  md.append("| ")
                      .append(Formats.cell(t.schema() + "." + t.table()))
                      .append(" | ")
                      .append(t.rows())
                      .append(" | ")
                      .append(t.dataIncluded() ? "yes" : "no (structure only)")
                      .append(" | ")
                      .append(t.verified() ? "yes" : "no")
                      .append(" |\n"));
      if (report.tables.size() > MAX_TABLE_ROWS) {
        md.append("| … ")
            .append(report.tables.size() - MAX_TABLE_ROWS)
            .append(" more in the JSON report | | | |\n");
      }
      md.append('\n');
    }
    if (!report.leftOut.isEmpty()) {
      md.append("### Left out\n\n| kind | name | why |\n|---|---|---|\n");
      report.leftOut.forEach(
          l ->
              md.append("| ")
                  .append(l.kind())
                  .append(" | ")
                  .append(Formats.cell(l.name()))
                  .append(" | ")
                  .append(Formats.cell(l.reason()))
                  .append(" |\n"));
      md.append('\n');
    }
    if (!report.targetActions.isEmpty()) {
      md.append("### Prepared on the target\n\n");
      report.targetActions.forEach(a -> md.append("- ").append(a).append('\n'));
      md.append('\n');
    }
    if (!report.retention.isEmpty()) {
      md.append("### Retention\n\n| branch | action | why |\n|---|---|---|\n");
      report.retention.forEach(
          r ->
              md.append("| ")
                  .append(Formats.cell(r.branchName()))
                  .append(" | ")
                  .append(r.action())
                  .append(" | ")
                  .append(Formats.cell(r.reason()))
                  .append(" |\n"));
      md.append('\n');
    }
    if (!report.phases.isEmpty()) {
      md.append("### Phases\n\n| phase | took | |\n|---|---:|---|\n");
      report.phases.forEach(
          p ->
              md.append("| ")
                  .append(p.phase())
                  .append(" | ")
                  .append(Formats.millis(p.durationMs()))
                  .append(" | ")
                  .append(p.outcome())
                  .append(" |\n"));
      md.append('\n');
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(Formats.cell(value)).append(" |\n");
  }
}
