package dev.supaneon.core.report;

import java.util.List;

/** The pieces both summaries are made of: key-value rows, escaped cells, the phase table. */
final class Markdown {

  private Markdown() {}

  /**
   * The summary's head: the heading with its icon, the final state and the failure, then the start
   * of the key-value table.
   */
  static void head(StringBuilder md, String icon, String title, String finalState, String failure) {
    md.append("## ").append(icon).append(" supaneon ").append(title).append("\n\n");
    if (finalState != null) {
      md.append(finalState).append("\n\n");
    }
    if (failure != null) {
      md.append("**Failure:** ").append(failure.replace("\n", "  \n")).append("\n\n");
    }
    md.append("| | |\n|---|---|\n");
  }

  /** The icon of a summary's heading. */
  static String icon(boolean ok) {
    return ok ? "✅" : "❌";
  }

  static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
  }

  /** Escapes text for a table cell. */
  static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }

  static void phases(StringBuilder md, List<PhaseTiming> phases) {
    if (phases.isEmpty()) {
      return;
    }
    md.append("### Phases\n\n| phase | took | |\n|---|---:|---|\n");
    phases.forEach(
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
}
