package dev.supaneon.core.postgres;

import dev.supaneon.core.config.Secret;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Filters pg_dump and pg_restore error output before it reaches a log: SQL statements ("Command
 * was: ..."), row data (COPY context, key values, failing rows) and connection strings are removed;
 * the tool's own messages stay. One instance per output stream: it remembers when it is inside a
 * multi-line statement.
 */
public final class ToolOutputFilter {

  private static final Pattern URI = Pattern.compile("postgres(ql)?://\\S+");
  private static final Pattern PASSWORD = Pattern.compile("(?i)password\\s*=\\s*\\S+");
  private static final Pattern KEY_VALUES = Pattern.compile("\\)=\\(.*?\\)( |$|\\.)");
  private static final Pattern FAILING_ROW = Pattern.compile("(?i)(failing row contains ).*");
  private static final Pattern STATEMENT_LINE = Pattern.compile("LINE (\\d+):.*");
  private static final Pattern COPY_CONTEXT =
      Pattern.compile("(COPY [^,]+, line \\d+)(, column [^:]+)?:.*");

  private final List<Secret> secrets;
  private boolean insideStatement;

  public ToolOutputFilter(List<Secret> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  /** The line as it may be logged, or empty when it must not be logged at all. */
  public Optional<String> filter(String line) {
    String trimmed = line.strip();
    boolean toolLine = trimmed.startsWith("pg_dump:") || trimmed.startsWith("pg_restore:");
    // "Command was:" starts the echo of a statement, with or without a "pg_dump: detail:" prefix.
    if (trimmed.contains("Command was:")) {
      insideStatement = true;
      return Optional.empty();
    }
    if (insideStatement && !toolLine) {
      return Optional.empty();
    }
    insideStatement = false;
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    String safe = trimmed;
    for (Secret secret : secrets) {
      safe = secret.scrub(safe);
    }
    safe = URI.matcher(safe).replaceAll("postgresql://****");
    safe = PASSWORD.matcher(safe).replaceAll("password=****");
    safe = KEY_VALUES.matcher(safe).replaceAll(")=(…)$1");
    safe = FAILING_ROW.matcher(safe).replaceAll("$1(…)");
    safe = COPY_CONTEXT.matcher(safe).replaceAll("$1$2: (row data not shown)");
    return Optional.of(STATEMENT_LINE.matcher(safe).replaceAll("LINE $1: (statement not shown)"));
  }
}
