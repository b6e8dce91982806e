package dev.supaneon.junit;

import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where the extension's settings come from: JUnit configuration parameters named like the Maven
 * properties ({@code supaneon.neonApiKey}, ...), which JUnit reads from the launcher and from
 * {@code junit-platform.properties}; then system properties of those names (also where a launcher
 * leaves them out of its parameters); then the environment ({@code NEON_API_KEY}, ...).
 */
final class JunitConfiguration {

  static final String REQUIRED_PROPERTY = "supaneon.junit.required";
  static final String REQUIRED_VARIABLE = "SUPANEON_JUNIT_REQUIRED";
  static final String MAX_BRANCHES_PROPERTY = "supaneon.junit.maxBranches";
  static final int DEFAULT_MAX_BRANCHES = 3;

  private final Function<String, Optional<String>> parameters;
  private final Map<String, String> environment;

  JunitConfiguration(
      Function<String, Optional<String>> parameters, Map<String, String> environment) {
    this.parameters = parameters;
    this.environment = Map.copyOf(environment);
  }

  /** The configuration of the test run {@code context} belongs to. */
  static JunitConfiguration of(ExtensionContext context, Map<String, String> environment) {
    return new JunitConfiguration(
        name -> context.getConfigurationParameter(name).or(() -> systemProperty(name)),
        environment);
  }

  /** System properties and the environment: for code JUnit does not call, such as Spring's. */
  static JunitConfiguration fromSystem() {
    return new JunitConfiguration(JunitConfiguration::systemProperty, System.getenv());
  }

  private static Optional<String> systemProperty(String name) {
    return Optional.ofNullable(System.getProperty(name));
  }

  SettingsBuilder settings() {
    SettingsBuilder builder = new SettingsBuilder();
    for (Setting setting : Setting.values()) {
      builder.set(setting, parameters.apply(setting.property()).orElse(null));
    }
    return builder.fromEnvironment(environment);
  }

  /** Why there are no Neon settings, or empty when there are. */
  Optional<String> missingConfiguration() {
    SettingsBuilder builder = settings();
    if (!builder.isSet(Setting.NEON_API_KEY) || !builder.isSet(Setting.NEON_PROJECT_ID)) {
      return Optional.of(
          "no Neon configuration: set NEON_API_KEY and NEON_PROJECT_ID (or the configuration"
              + " parameters supaneon.neonApiKey and supaneon.neonProjectId) to run against a"
              + " restored branch, or "
              + REQUIRED_PROPERTY
              + "=true to make this a failure");
    }
    return Optional.empty();
  }

  NeonSettings neon() {
    return settings().neon();
  }

  boolean required() {
    return parameters
        .apply(REQUIRED_PROPERTY)
        .or(() -> Optional.ofNullable(environment.get(REQUIRED_VARIABLE)))
        .map(value -> value.strip().toLowerCase(Locale.ROOT).equals("true"))
        .orElse(false);
  }

  int maxBranches() {
    String value = parameters.apply(MAX_BRANCHES_PROPERTY).orElse("" + DEFAULT_MAX_BRANCHES);
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed < 1) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          MAX_BRANCHES_PROPERTY + " must be a whole number of 1 or more");
    }
  }
}
