package dev.supaneon.junit;

import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the extension's settings come from: system properties named like the Maven properties
 * ({@code supaneon.neonApiKey}, ...), then the environment ({@code NEON_API_KEY}, ...).
 */
final class JunitConfiguration {

  static final String REQUIRED_PROPERTY = "supaneon.junit.required";
  static final String REQUIRED_VARIABLE = "SUPANEON_JUNIT_REQUIRED";
  static final String MAX_BRANCHES_PROPERTY = "supaneon.junit.maxBranches";

  private final Map<String, String> environment;

  JunitConfiguration(Map<String, String> environment) {
    this.environment = environment;
  }

  static JunitConfiguration fromSystem() {
    return new JunitConfiguration(System.getenv());
  }

  SettingsBuilder settings() {
    SettingsBuilder builder = new SettingsBuilder();
    for (Setting setting : Setting.values()) {
      builder.set(setting, System.getProperty(setting.property()));
    }
    return builder.fromEnvironment(environment);
  }

  /** The Neon settings, or why there are none. */
  Optional<String> missingConfiguration() {
    SettingsBuilder builder = settings();
    if (!builder.isSet(Setting.NEON_API_KEY) || !builder.isSet(Setting.NEON_PROJECT_ID)) {
      return Optional.of(
          "no Neon configuration: set NEON_API_KEY and NEON_PROJECT_ID (or the system properties"
              + " supaneon.neonApiKey and supaneon.neonProjectId) to run against a restored branch,"
              + " or "
              + REQUIRED_PROPERTY
              + "=true to make this a failure");
    }
    return Optional.empty();
  }

  NeonSettings neon() {
    return settings().neon();
  }

  boolean required() {
    String value = System.getProperty(REQUIRED_PROPERTY, environment.get(REQUIRED_VARIABLE));
    return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
  }

  int maxBranches() {
    String value = System.getProperty(MAX_BRANCHES_PROPERTY, "3");
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
