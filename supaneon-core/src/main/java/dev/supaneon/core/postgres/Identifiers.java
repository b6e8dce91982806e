package dev.supaneon.core.postgres;

/** SQL identifier and literal quoting, for names read from the catalog. */
public final class Identifiers {

  private Identifiers() {}

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  public static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
