package dev.supaneon.core.config;

import java.util.List;

/**
 * What of the source is backed up. Patterns use {@code *} and {@code ?} wildcards; table patterns
 * are {@code schema.table}. Empty include lists mean "the defaults" (see {@code
 * dev.supaneon.core.supabase.SupabaseScope}).
 */
public record SourceScope(
    List<String> includeSchemas,
    List<String> excludeSchemas,
    List<String> excludeTableData,
    List<String> includeTableData,
    boolean skipUnavailableExtensions) {

  public SourceScope {
    includeSchemas = List.copyOf(includeSchemas);
    excludeSchemas = List.copyOf(excludeSchemas);
    excludeTableData = List.copyOf(excludeTableData);
    includeTableData = List.copyOf(includeTableData);
  }

  public static SourceScope defaults() {
    return new SourceScope(List.of(), List.of(), List.of(), List.of(), false);
  }
}
