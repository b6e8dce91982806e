package dev.supaneon.core.postgres;

import dev.supaneon.core.SupaneonException;

/** A database could not be reached or refused the login; the message says why and what to do. */
public final class DatabaseConnectionException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  public DatabaseConnectionException(String message, Throwable cause) {
    super(
        message,
        "Check the connection string (host, port, database, user, password, sslmode=require)"
            + " and that the server is up and reachable from here.",
        cause);
  }
}
