package dev.supaneon.core.report;

/** The Markdown summary of a restore test. */
public final class RestoreTestSummary {

  private static final int MAX_CHECK_ROWS = 60;

  private RestoreTestSummary() {}

  public static String markdown(RestoreTestReport report) {
    StringBuilder md = new StringBuilder();
    Markdown.head(
        md,
        Markdown.icon(report.outcome() == RestoreTestOutcome.PASSED),
        "restore test: " + report.outcome(),
        report.finalState(),
        report.failure());
    Markdown.row(md, "Run", report.runId());
    Markdown.row(md, "Mode", report.mode());
    Markdown.row(md, "Duration", Formats.millis(report.durationMs()));
    Markdown.row(md, "Neon project", report.neonProjectId());
    if (report.backupBranchName() != null) {
      Markdown.row(
          md,
          "Backup",
          report.backupBranchName()
              + " ("
              + report.backupBranchId()
              + "), taken "
              + report.backupTakenAt()
              + (report.backupConfirmedCurrentAt() == null
                  ? ""
                  : ", confirmed current at " + report.backupConfirmedCurrentAt())
              + ", "
              + report.backupAgeMinutes()
              + " min old (limit "
              + report.maxBackupAge()
              + ")");
    }
    if (report.testBranchName() != null) {
      Markdown.row(
          md,
          "Test branch",
          report.testBranchName()
              + " ("
              + report.testBranchId()
              + ")"
              + (report.testBranchKept() ? ", kept for inspection" : ", deleted"));
    }
    if (report.connectHint() != null) {
      Markdown.row(md, "Inspect with", report.connectHint());
    }
    if (report.tableCount() > 0) {
      Markdown.row(md, "Tables", report.tableCount() + " tables, " + report.rowCount() + " rows");
    }
    if (report.logicalArchiveSha256() != null) {
      Markdown.row(
          md,
          "Logical restore",
          Formats.bytes(report.logicalArchiveBytes())
              + ", sha256 "
              + report.logicalArchiveSha256());
      // pg_dump read the whole backup out of Neon: that is Neon's public network transfer.
      Markdown.row(
          md,
          "Neon transfer",
          Formats.bytes(report.logicalArchiveBytes())
              + " read out of Neon by this test (the Free plan allows 5 GB a month)");
    }
    md.append('\n');
    if (!report.checks().isEmpty()) {
      md.append("### Checks (")
          .append(report.checks().size() - report.failedChecks())
          .append(" of ")
          .append(report.checks().size())
          .append(" passed)\n\n| check | result | detail |\n|---|---|---|\n");
      report.checks().stream()
          .sorted((a, b) -> Boolean.compare(a.passed(), b.passed()))
          .limit(MAX_CHECK_ROWS)
          .forEach(
              c ->
                  md.append("| ")
                      .append(Markdown.cell(c.name()))
                      .append(" | ")
                      .append(c.passed() ? "pass" : "**FAIL**")
                      .append(" | ")
                      .append(Markdown.cell(c.detail()))
                      .append(" |\n"));
      if (report.checks().size() > MAX_CHECK_ROWS) {
        md.append("| … ")
            .append(report.checks().size() - MAX_CHECK_ROWS)
            .append(" more in the JSON report | | |\n");
      }
      md.append('\n');
    }
    Markdown.phases(md, report.phases());
    return md.toString();
  }
}
