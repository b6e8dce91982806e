package dev.supaneon.neonlocal.postgres;

/** A local PostgreSQL server could not be found, started or stopped. */
public final class PostgresLaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PostgresLaunchException(String message) {
    super(message);
  }

  public PostgresLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
