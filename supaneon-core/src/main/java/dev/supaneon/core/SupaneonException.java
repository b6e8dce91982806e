package dev.supaneon.core;

/**
 * Base of supaneon's typed failures. Messages say what went wrong and what to do about it, and
 * never contain a secret; front ends show them as they are.
 */
public class SupaneonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SupaneonException(String message) {
    super(message);
  }

  public SupaneonException(String message, Throwable cause) {
    super(message, cause);
  }
}
