package dev.supaneon.maven;

import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** The goals that copy a database (backup, restore) and so take the same scope parameters. */
abstract class AbstractScopedMojo extends AbstractSupaneonMojo {

  /** Schemas to copy (patterns with * and ?); default: all but Supabase's managed ones. */
  @Parameter(property = "supaneon.includeSchemas")
  List<String> includeSchemas;

  /** Schemas to leave out (patterns). */
  @Parameter(property = "supaneon.excludeSchemas")
  List<String> excludeSchemas;

  /**
   * Tables whose rows are left out ({@code schema.table} patterns), in addition to the defaults.
   */
  @Parameter(property = "supaneon.excludeTableData")
  List<String> excludeTableData;

  /** Tables whose rows are kept although the defaults leave them out (auth.sessions, ...). */
  @Parameter(property = "supaneon.includeTableData")
  List<String> includeTableData;

  /** Leaves out tables that need an extension the Neon server lacks, instead of failing. */
  @Parameter(property = "supaneon.skipUnavailableExtensions")
  Boolean skipUnavailableExtensions;

  AbstractScopedMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  /** Adds the scope parameters. */
  void addScope(SettingsBuilder builder) {
    builder
        .set(Setting.INCLUDE_SCHEMAS, joined(includeSchemas))
        .set(Setting.EXCLUDE_SCHEMAS, joined(excludeSchemas))
        .set(Setting.EXCLUDE_TABLE_DATA, joined(excludeTableData))
        .set(Setting.INCLUDE_TABLE_DATA, joined(includeTableData))
        .set(Setting.SKIP_UNAVAILABLE_EXTENSIONS, text(skipUnavailableExtensions));
  }
}
