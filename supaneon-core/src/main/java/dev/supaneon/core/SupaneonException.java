package dev.supaneon.core;

import java.util.Optional;

/**
 * Base of supaneon's typed failures. Messages say what went wrong and never contain a secret; the
 * {@linkplain #suggestion() suggestion} says what to do about it. Front ends show both as they are.
 */
public class SupaneonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  public SupaneonException(String message) {
    this(message, null, null);
  }

  public SupaneonException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** With a suggestion: what the user can do, in one sentence. */
  public SupaneonException(String message, String suggestion, Throwable cause) {
    super(message, cause);
    this.suggestion = suggestion;
  }

  /**
   * What the user can do about it; a failure that wraps another (a run's failure) suggests what its
   * cause suggests.
   */
  public Optional<String> suggestion() {
    if (suggestion != null) {
      return Optional.of(suggestion);
    }
    return getCause() instanceof SupaneonException cause ? cause.suggestion() : Optional.empty();
  }

  /**
   * The message, then what to do about it on a line of its own, unless the message says it already:
   * how reports and build failures show a failure.
   */
  public String withSuggestion() {
    String message = getMessage();
    return suggestion()
        .filter(suggestion -> !message.contains(suggestion))
        .map(suggestion -> message + "\nWhat to do: " + suggestion)
        .orElse(message);
  }
}
