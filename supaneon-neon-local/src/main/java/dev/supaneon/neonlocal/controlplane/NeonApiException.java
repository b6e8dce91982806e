package dev.supaneon.neonlocal.controlplane;

/** A refusal answered with Neon's error body: an HTTP status, a {@code code} and a message. */
public final class NeonApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public NeonApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static NeonApiException badRequest(String message) {
    return new NeonApiException(400, "BAD_REQUEST", message);
  }

  static NeonApiException notFound(String message) {
    return new NeonApiException(404, "NOT_FOUND", message);
  }

  static NeonApiException conflict(String message) {
    return new NeonApiException(409, "CONFLICT", message);
  }

  static NeonApiException unprocessable(String code, String message) {
    return new NeonApiException(422, code, message);
  }

  static NeonApiException locked() {
    return new NeonApiException(
        423,
        "LOCKED",
        "project already has running conflicting operations, scheduling of new ones is prohibited");
  }
}
