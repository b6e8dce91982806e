package dev.supaneon.core.postgres;

import dev.supaneon.core.SupaneonException;

/** pg_dump or pg_restore is missing, of the wrong version, or failed. */
public final class PgToolsException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private static final String SUGGESTION =
      "Install the PostgreSQL client tools of the source server's major version or newer"
          + " (Debian/Ubuntu: postgresql-client-N), or point SUPANEON_PG_BIN at their directory.";

  public PgToolsException(String message) {
    super(message, SUGGESTION, null);
  }

  public PgToolsException(String message, Throwable cause) {
    super(message, SUGGESTION, cause);
  }
}
