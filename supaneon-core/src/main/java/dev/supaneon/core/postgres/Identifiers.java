package dev.supaneon.core.postgres;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** SQL identifier quoting, for names read from the catalog, and pg_dump's name patterns. */
public final class Identifiers {

  private Identifiers() {}

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * A pg_dump pattern that matches exactly one name: double quotes make every character literal and
   * keep its case; a double quote inside is doubled.
   */
  public static String exactPattern(String name) {
    return quote(name);
  }

  /**
   * pg_dump patterns that match exactly these tables, one per schema: {@code "s".("a"|"b")}.
   * Outside the quotes, the parentheses and bars are a regular expression's, inside every character
   * is literal. pg_dump resolves each pattern with a query of its own, so one per table would cost
   * a round trip per table.
   */
  public static List<String> exactTablePatterns(List<TableRef> tables) {
    Map<String, List<String>> bySchema = new TreeMap<>();
    for (TableRef table : tables) {
      bySchema.computeIfAbsent(table.schema(), s -> new java.util.ArrayList<>()).add(table.name());
    }
    return bySchema.entrySet().stream()
        .map(
            e ->
                exactPattern(e.getKey())
                    + ".("
                    + e.getValue().stream()
                        .sorted()
                        .map(Identifiers::exactPattern)
                        .collect(Collectors.joining("|"))
                    + ")")
        .toList();
  }
}
