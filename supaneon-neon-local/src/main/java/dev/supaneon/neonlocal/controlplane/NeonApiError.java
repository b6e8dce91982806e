package dev.supaneon.neonlocal.controlplane;

/** A refusal answered with Neon's error body: an HTTP status, a {@code code} and a message. */
public final class NeonApiError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public NeonApiError(int status, String code, String message) {
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

  static NeonApiError badRequest(String message) {
    return new NeonApiError(400, "BAD_REQUEST", message);
  }

  static NeonApiError notFound(String message) {
    return new NeonApiError(404, "NOT_FOUND", message);
  }

  static NeonApiError conflict(String message) {
    return new NeonApiError(409, "CONFLICT", message);
  }

  static NeonApiError unprocessable(String code, String message) {
    return new NeonApiError(422, code, message);
  }

  static NeonApiError locked() {
    return new NeonApiError(
        423,
        "LOCKED",
        "project already has running conflicting operations, scheduling of new ones is prohibited");
  }
}
