package dev.supaneon.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Collects settings from explicit values (Maven parameters, annotation attributes) and, for those
 * left unset, from the environment; then validates them all before anything touches the network.
 *
 * <pre>{@code
 * BackupSettings settings =
 *     new SettingsBuilder().set(Setting.NEON_PROJECT_ID, "p-1").fromEnvironment(System.getenv()).backup();
 * }</pre>
 */
public final class SettingsBuilder {

  /** The most parallel copy streams ({@code supaneon.jobs}). */
  public static final int MAX_JOBS = 4;

  private static final Pattern NEON_ID = Pattern.compile("^[a-z0-9-]{1,60}$");

  private final Map<Setting, String> values = new EnumMap<>(Setting.class);

  /** Sets a value; null or blank leaves the setting unset. A later call replaces an earlier one. */
  public SettingsBuilder set(Setting setting, String value) {
    if (value != null && !value.isBlank()) {
      values.put(setting, value.strip());
    }
    return this;
  }

  /** Fills every setting still unset from the environment variable named by {@link Setting}. */
  public SettingsBuilder fromEnvironment(Map<String, String> environment) {
    for (Setting setting : Setting.values()) {
      if (!values.containsKey(setting)) {
        set(setting, environment.get(setting.environmentVariable()));
      }
    }
    return this;
  }

  public boolean isSet(Setting setting) {
    return values.containsKey(setting);
  }

  /** The Neon settings alone, as the JUnit extension and restore test need them. */
  public NeonSettings neon() {
    String key =
        required(
            Setting.NEON_API_KEY,
            "create an API key in the Neon Console (Account settings > API keys) and pass it in the"
                + " NEON_API_KEY environment variable or a settings.xml <server>");
    String projectId =
        required(
            Setting.NEON_PROJECT_ID,
            "copy the project id from the Neon Console (Project settings), for example"
                + " autumn-frost-123456");
    if (!NEON_ID.matcher(projectId).matches()) {
      throw new ConfigException(
          Setting.NEON_PROJECT_ID,
          "is not a Neon project id: use 1 to 60 characters of a-z, 0-9 and '-'");
    }
    Optional<String> parent = optional(Setting.NEON_PARENT_BRANCH);
    if (parent.isPresent() && parent.get().length() > 256) {
      throw new ConfigException(Setting.NEON_PARENT_BRANCH, "is longer than a branch name can be");
    }
    return new NeonSettings(
        apiUrl(optional(Setting.NEON_API_URL).orElse(NeonSettings.DEFAULT_API_URL)),
        Secret.of(key),
        projectId,
        parent,
        identifier(Setting.NEON_DATABASE, NeonSettings.DEFAULT_DATABASE),
        identifier(Setting.NEON_ROLE, NeonSettings.DEFAULT_ROLE));
  }

  /** Everything a backup needs; fails on the first missing or invalid setting. */
  public BackupSettings backup() {
    PostgresUrl source =
        PostgresUrl.parse(
            required(
                Setting.SOURCE_URL,
                "copy the session pooler connection string from Supabase (Connect > Session"
                    + " pooler) and append ?sslmode=require"),
            Setting.SOURCE_URL);
    if (source.port() == 6543) {
      throw new ConfigException(
          Setting.SOURCE_URL,
          "points at port 6543, Supabase's transaction pooler, which hands each statement to any"
              + " server connection; pg_dump needs one session for its whole run. Use the session"
              + " pooler (port 5432 on *.pooler.supabase.com) or the direct connection.");
    }
    NeonSettings neon = neon();
    RetentionPolicy retention;
    try {
      retention =
          new RetentionPolicy(
              integer(Setting.KEEP_DAILY, RetentionPolicy.DEFAULT.daily()),
              integer(Setting.KEEP_WEEKLY, RetentionPolicy.DEFAULT.weekly()),
              integer(Setting.KEEP_MONTHLY, RetentionPolicy.DEFAULT.monthly()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Setting.KEEP_DAILY, e.getMessage());
    }
    OptionalInt branchLimit = OptionalInt.empty();
    if (isSet(Setting.BRANCH_LIMIT)) {
      int limit = integer(Setting.BRANCH_LIMIT, 10);
      if (limit < 3) {
        throw new ConfigException(
            Setting.BRANCH_LIMIT,
            "must be at least 3: the default branch, a backup and a restore test");
      }
      branchLimit = OptionalInt.of(limit);
    }
    Optional<DataSize> storageBudget =
        optional(Setting.STORAGE_BUDGET)
            .map(
                text ->
                    DataSize.parse(text)
                        .filter(size -> size.bytes() > 0)
                        .orElseThrow(
                            () ->
                                new ConfigException(
                                    Setting.STORAGE_BUDGET,
                                    "must be a size such as 450MiB, 0.5GiB or 500MB")));
    Duration runTimeout = duration(Setting.RUN_TIMEOUT, Duration.ofHours(3));
    if (runTimeout.compareTo(Duration.ofMinutes(1)) < 0
        || runTimeout.compareTo(Duration.ofDays(29)) > 0) {
      throw new ConfigException(
          Setting.RUN_TIMEOUT,
          "must be between 1 minute and 29 days (an unfinished backup branch expires after it)");
    }
    return new BackupSettings(
        source,
        neon,
        retention,
        branchLimit,
        storageBudget,
        runTimeout,
        directory(Setting.PG_BIN),
        bool(Setting.VERIFY_CHECKSUMS, true),
        jobs(),
        bool(Setting.SKIP_UNCHANGED, true),
        bool(Setting.DRY_RUN, false),
        reportDirectory(),
        scope(),
        standby());
  }

  /** Everything {@code supaneon:status} needs. */
  public StatusSettings status() {
    return new StatusSettings(neon(), standby(), maxBackupAge(), reportDirectory());
  }

  /** Everything {@code supaneon:restore} needs. */
  public RestoreSettings restore() {
    PostgresUrl target =
        PostgresUrl.parse(
            required(
                Setting.TARGET_URL,
                "give the database to restore into, for example a new Supabase project's session"
                    + " pooler connection string with ?sslmode=require"),
            Setting.TARGET_URL);
    Duration runTimeout = duration(Setting.RUN_TIMEOUT, Duration.ofHours(3));
    return new RestoreSettings(
        neon(),
        standby(),
        target,
        optional(Setting.RESTORE_FROM),
        bool(Setting.TARGET_CLEAN, false),
        scope(),
        directory(Setting.PG_BIN),
        bool(Setting.VERIFY_CHECKSUMS, true),
        jobs(),
        runTimeout,
        reportDirectory());
  }

  /** Everything {@code supaneon:promote} needs. */
  public PromoteSettings promote() {
    return new PromoteSettings(neon(), standby(), reportDirectory());
  }

  private StandbySettings standby() {
    String name = optional(Setting.STANDBY_BRANCH).orElse(StandbySettings.DEFAULT_BRANCH);
    if (name.length() > 200 || name.startsWith("backup-") || name.startsWith("restore-test-")) {
      throw new ConfigException(
          Setting.STANDBY_BRANCH,
          "must be a branch name of at most 200 characters that does not start with backup- or"
              + " restore-test- (those names are supaneon's backups and tests)");
    }
    return new StandbySettings(bool(Setting.STANDBY, true), name);
  }

  private Duration maxBackupAge() {
    Duration maxAge = duration(Setting.MAX_BACKUP_AGE, Duration.ofHours(26));
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new ConfigException(Setting.MAX_BACKUP_AGE, "must be a positive duration such as 26h");
    }
    return maxAge;
  }

  /** Everything a restore test needs. */
  public RestoreTestSettings restoreTest() {
    NeonSettings neon = neon();
    Duration maxAge = maxBackupAge();
    RestoreTestSettings.Mode mode;
    String modeText = optional(Setting.RESTORE_TEST_MODE).orElse("smoke").toUpperCase(Locale.ROOT);
    try {
      mode = RestoreTestSettings.Mode.valueOf(modeText);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Setting.RESTORE_TEST_MODE, "must be smoke or logical");
    }
    Optional<Path> assertions = optional(Setting.ASSERTIONS_FILE).map(Path::of);
    if (assertions.isPresent() && !Files.isRegularFile(assertions.get())) {
      throw new ConfigException(
          Setting.ASSERTIONS_FILE,
          "names a file that does not exist: " + assertions.get().toAbsolutePath());
    }
    return new RestoreTestSettings(
        neon,
        maxAge,
        mode,
        assertions,
        optional(Setting.BACKUP_BRANCH),
        directory(Setting.PG_BIN),
        jobs(),
        duration(Setting.RUN_TIMEOUT, Duration.ofHours(1)),
        reportDirectory());
  }

  /**
   * Parallel copy streams: one per core by default, at most {@value #MAX_JOBS}. Each stream holds a
   * session on the source and one on Neon; Supabase's Free pooler and a small Neon compute gain
   * nothing from more.
   */
  private int jobs() {
    int jobs =
        integer(Setting.JOBS, Math.min(MAX_JOBS, Runtime.getRuntime().availableProcessors()));
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw new ConfigException(
          Setting.JOBS, "must be between 1 and " + MAX_JOBS + " (parallel copy streams)");
    }
    return jobs;
  }

  private SourceScope scope() {
    return new SourceScope(
        list(Setting.INCLUDE_SCHEMAS),
        list(Setting.EXCLUDE_SCHEMAS),
        list(Setting.EXCLUDE_TABLE_DATA),
        list(Setting.INCLUDE_TABLE_DATA),
        bool(Setting.SKIP_UNAVAILABLE_EXTENSIONS, false));
  }

  private Path reportDirectory() {
    return optional(Setting.REPORT_DIRECTORY).map(Path::of).orElse(Path.of("target", "supaneon"));
  }

  private Optional<String> optional(Setting setting) {
    return Optional.ofNullable(values.get(setting));
  }

  private String required(Setting setting, String fix) {
    return optional(setting).orElseThrow(() -> new ConfigException(setting, "is not set; " + fix));
  }

  private String identifier(Setting setting, String defaultValue) {
    String value = optional(setting).orElse(defaultValue);
    if (value.getBytes(StandardCharsets.UTF_8).length > 63) {
      throw new ConfigException(setting, "is longer than PostgreSQL's 63-byte name limit");
    }
    return value;
  }

  private int integer(Setting setting, int defaultValue) {
    Optional<String> value = optional(setting);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(setting, "must be a whole number of 0 or more");
    }
  }

  private boolean bool(Setting setting, boolean defaultValue) {
    Optional<String> value = optional(setting).map(v -> v.toLowerCase(Locale.ROOT));
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(setting, "must be true or false");
    };
  }

  private Duration duration(Setting setting, Duration defaultValue) {
    Optional<String> value = optional(setting);
    return value.isEmpty() ? defaultValue : parseDuration(value.get(), setting);
  }

  static Duration parseDuration(String text, Setting setting) {
    return DurationText.parse(text)
        .orElseThrow(
            () -> new ConfigException(setting, "must be a duration such as 26h, 90m or PT3H"));
  }

  private Optional<Path> directory(Setting setting) {
    Optional<Path> directory = optional(setting).map(Path::of);
    if (directory.isPresent() && !Files.isDirectory(directory.get())) {
      throw new ConfigException(
          setting, "names a directory that does not exist: " + directory.get().toAbsolutePath());
    }
    return directory;
  }

  private List<String> list(Setting setting) {
    List<String> items = new ArrayList<>();
    for (String item : optional(setting).orElse("").split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private static URI apiUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          Setting.NEON_API_URL, "is not a URL; the default is " + NeonSettings.DEFAULT_API_URL);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new ConfigException(
          Setting.NEON_API_URL, "must be an https:// URL such as " + NeonSettings.DEFAULT_API_URL);
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new ConfigException(
          Setting.NEON_API_URL,
          "uses plain http for a remote host, which would send the API key unencrypted; use"
              + " https (plain http is accepted only for localhost, as neon-local serves it)");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null) {
      throw new ConfigException(
          Setting.NEON_API_URL,
          "must not carry credentials or a query; give the key in NEON_API_KEY");
    }
    return uri;
  }

  /** Recognises loopback by its text alone: validation makes no network call, DNS included. */
  private static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }
}
