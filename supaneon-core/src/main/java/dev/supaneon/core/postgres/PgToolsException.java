package dev.supaneon.core.postgres;

import dev.supaneon.core.SupaneonException;

/** pg_dump or pg_restore is missing, of the wrong version, or failed. */
public final class PgToolsException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  public PgToolsException(String message) {
    super(message);
  }

  public PgToolsException(String message, Throwable cause) {
    super(message, cause);
  }
}
