package dev.supaneon.core.config;

import dev.supaneon.core.SupaneonException;

/**
 * A setting is missing or wrong. The message names the setting and the fix; it never repeats the
 * value, which may be a secret.
 */
public final class ConfigException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final Setting setting;

  public ConfigException(Setting setting, String problemAndFix) {
    super(
        setting.label() + ": " + problemAndFix,
        "Correct "
            + setting.label()
            + " ("
            + setting.description()
            + "): set the environment variable or the Maven property, then run again.",
        null);
    this.setting = setting;
  }

  public Setting setting() {
    return setting;
  }
}
