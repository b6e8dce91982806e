package dev.supaneon.core.postgres;

/** SQL identifier quoting, for names read from the catalog. */
public final class Identifiers {

  private Identifiers() {}

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
