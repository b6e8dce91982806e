package dev.supaneon.neonlocal.controlplane;

/** Operation statuses, as in Neon's {@code OperationStatus}. */
public final class OperationStatus {
  public static final String SCHEDULING = "scheduling";
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";

  private OperationStatus() {}
}
