package dev.supaneon.core.neon;

import dev.supaneon.core.SupaneonException;

/** The Neon API could not be reached, or kept failing after every retry. */
public final class NeonUnavailableException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  public NeonUnavailableException(String message, Throwable cause) {
    super(
        message,
        "Check NEON_API_URL and the network, and Neon's status page; the run is safe to repeat.",
        cause);
  }
}
