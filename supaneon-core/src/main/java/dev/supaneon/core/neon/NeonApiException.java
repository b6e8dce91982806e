package dev.supaneon.core.neon;

import dev.supaneon.core.SupaneonException;

/**
 * The Neon API refused a call. Carries Neon's {@code code}, {@code message} and {@code request_id}
 * (quote the request id to Neon support); never the API key.
 */
public class NeonApiException extends SupaneonException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String neonMessage;
  private final String requestId;

  public NeonApiException(
      String call, int status, String code, String neonMessage, String requestId, String hint) {
    super(
        "Neon API "
            + call
            + " failed with HTTP "
            + status
            + (code == null || code.isEmpty() ? "" : " " + code)
            + ": "
            + (neonMessage == null || neonMessage.isEmpty() ? "(no message)" : neonMessage)
            + (requestId == null || requestId.isEmpty() ? "" : " (request_id " + requestId + ")")
            + (hint == null ? "" : ". " + hint),
        hint,
        null);
    this.status = status;
    this.code = code == null ? "" : code;
    this.neonMessage = neonMessage == null ? "" : neonMessage;
    this.requestId = requestId == null ? "" : requestId;
  }

  /** Neon refused a new branch because the project has as many as its plan allows. */
  public boolean isBranchLimit() {
    return "BRANCHES_LIMIT_EXCEEDED".equals(code);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String neonMessage() {
    return neonMessage;
  }

  public String requestId() {
    return requestId;
  }
}
