package dev.supaneon.core.neon;

/** An asynchronous Neon operation; poll it until it is finished. */
public record Operation(
    String id, String action, String status, String error, String branchId, String endpointId) {

  public boolean isFinished() {
    return "finished".equals(status) || "skipped".equals(status);
  }

  public boolean hasFailed() {
    return "failed".equals(status) || "error".equals(status) || "cancelled".equals(status);
  }
}
