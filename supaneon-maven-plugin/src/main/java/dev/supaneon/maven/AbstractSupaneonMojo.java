package dev.supaneon.maven;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import java.io.File;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What every supaneon goal shares: the skip flag, the Neon and tool settings, the API key from a
 * settings.xml {@code <server>}, and turning core failures into build failures.
 *
 * <p>Every parameter falls back to the environment variable of the same setting ({@code
 * NEON_API_KEY}, {@code SUPABASE_DATABASE_URL}, ...). Secrets belong in the environment or in
 * settings.xml: a {@code -D} property is visible in the process list.
 */
abstract class AbstractSupaneonMojo extends AbstractMojo {

  /** Skips the goal. */
  @Parameter(property = "supaneon.skip", defaultValue = "false")
  boolean skip;

  /**
   * Id of a settings.xml {@code <server>} whose password is the Neon API key (it may be encrypted
   * with {@code mvn --encrypt-password}). Preferred over {@code neonApiKey}.
   */
  @Parameter(property = "supaneon.serverId")
  String serverId;

  /** The Neon API key. Prefer the NEON_API_KEY environment variable or {@code serverId}. */
  @Parameter(property = "supaneon.neonApiKey")
  String neonApiKey;

  /** The Neon project id (env NEON_PROJECT_ID). */
  @Parameter(property = "supaneon.neonProjectId")
  String neonProjectId;

  /** The Neon API base URL (env NEON_API_URL); default https://console.neon.tech/api/v2. */
  @Parameter(property = "supaneon.neonApiUrl")
  String neonApiUrl;

  /** The branch backups are made from (env NEON_PARENT_BRANCH); default the default branch. */
  @Parameter(property = "supaneon.parentBranch")
  String parentBranch;

  /** The Neon database that holds the backup (env NEON_DATABASE); default neondb. */
  @Parameter(property = "supaneon.database")
  String database;

  /** The Neon role that restores and owns the backup (env NEON_ROLE); default neondb_owner. */
  @Parameter(property = "supaneon.role")
  String role;

  /** Directory of pg_dump and pg_restore (env SUPANEON_PG_BIN); default: searched. */
  @Parameter(property = "supaneon.pgBin")
  File pgBin;

  /** The longest a run may take, such as 3h or PT90M (env SUPANEON_RUN_TIMEOUT). */
  @Parameter(property = "supaneon.runTimeout")
  String runTimeout;

  /**
   * Where the JSON report and Markdown summary go (env SUPANEON_REPORT_DIR); default {@code
   * target/supaneon} under the directory Maven runs in, with or without a project.
   */
  @Parameter(property = "supaneon.reportDirectory")
  File reportDirectory;

  @Parameter(defaultValue = "${settings}", readonly = true)
  Settings settings;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  private final SettingsDecrypter decrypter;

  AbstractSupaneonMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("supaneon: skipped (supaneon.skip=true)");
      return;
    }
    try {
      SettingsBuilder builder =
          new SettingsBuilder()
              // An explicitly named settings.xml server wins over a -D key.
              .set(Setting.NEON_API_KEY, neonApiKey)
              .set(Setting.NEON_API_KEY, apiKeyFromServer())
              .set(Setting.NEON_PROJECT_ID, neonProjectId)
              .set(Setting.NEON_API_URL, neonApiUrl)
              .set(Setting.NEON_PARENT_BRANCH, parentBranch)
              .set(Setting.NEON_DATABASE, database)
              .set(Setting.NEON_ROLE, role)
              .set(Setting.PG_BIN, pgBin == null ? null : pgBin.getPath())
              .set(Setting.RUN_TIMEOUT, runTimeout)
              .set(
                  Setting.REPORT_DIRECTORY,
                  reportDirectory == null ? null : reportDirectory.getPath());
      addSettings(builder);
      warnIfGivenOnCommandLine(
          "supaneon.neonApiKey",
          "the Neon API key",
          "the NEON_API_KEY environment variable or a settings.xml server (supaneon.serverId)");
      run(
          builder.fromEnvironment(System.getenv()),
          new MavenRunListener(getLog(), java.time.Clock.systemUTC()));
    } catch (SupaneonException e) {
      throw new MojoFailureException(failureMessage(goal(), e), e);
    } catch (RuntimeException e) {
      throw new MojoExecutionException("supaneon " + goal() + " failed unexpectedly: " + e, e);
    }
  }

  /**
   * The build failure's message: what went wrong, then what to do about it, as the typed core
   * failure suggests (the Jib plugins' "helpful suggestion").
   */
  static String failureMessage(String goal, SupaneonException failure) {
    return "supaneon " + goal + " failed: " + failure.withSuggestion();
  }

  /** Adds the goal's own parameters. */
  abstract void addSettings(SettingsBuilder builder);

  /** Runs the goal; a {@link SupaneonException} fails the build with its message. */
  abstract void run(SettingsBuilder builder, MavenRunListener listener);

  abstract String goal();

  private String apiKeyFromServer() throws MojoExecutionException {
    if (serverId == null || serverId.isBlank()) {
      return null;
    }
    Server server = settings == null ? null : settings.getServer(serverId);
    if (server == null) {
      throw new MojoExecutionException(
          "supaneon.serverId is '"
              + serverId
              + "' but settings.xml has no"
              + " <server> with that id; add one whose <password> is the Neon API key");
    }
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    List<SettingsProblem> problems = result.getProblems();
    if (!problems.isEmpty()) {
      throw new MojoExecutionException(
          "The password of settings.xml server '"
              + serverId
              + "' could not be decrypted: "
              + problems.get(0).getMessage()
              + ". Check ~/.m2/settings-security.xml.");
    }
    String password = result.getServer().getPassword();
    if (password == null || password.isBlank()) {
      throw new MojoExecutionException(
          "settings.xml server '"
              + serverId
              + "' has no <password>; put"
              + " the Neon API key there");
    }
    return password;
  }

  /** The Markdown summary, line by line, so that a terminal shows it as it shows the log. */
  void printSummary(String markdown) {
    getLog().info("");
    for (String line : markdown.split("\n")) {
      getLog().info(line);
    }
  }

  /** Warns when a -D property set a secret parameter: it is visible in the process list. */
  void warnIfGivenOnCommandLine(String property, String what, String preferred) {
    if (session != null && session.getUserProperties().containsKey(property)) {
      getLog()
          .warn(
              "supaneon: "
                  + what
                  + " came from a Maven parameter; a -D property is visible in the process list."
                  + " Prefer "
                  + preferred
                  + ".");
    }
  }

  static String joined(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
