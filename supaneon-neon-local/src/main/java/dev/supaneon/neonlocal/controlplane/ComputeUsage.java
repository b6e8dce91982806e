package dev.supaneon.neonlocal.controlplane;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * neon-local's model of Neon's compute accounting, which the API reports as {@code
 * compute_time_seconds} (CU-seconds, what the Free plan's 100 CU-hours a month count) and {@code
 * active_time_seconds} (wall time active):
 *
 * <ul>
 *   <li>an endpoint counts from the moment it starts to the moment it is suspended or deleted, at
 *       its minimum CU (neon-local does not autoscale);
 *   <li>a branch counts its endpoints; the project counts all of its branches', deleted ones
 *       included.
 * </ul>
 *
 * <p>Data transfer ({@code data_transfer_bytes}) is what Neon calls egress: the bytes neon-local's
 * proxy relayed from the server to clients, counted per branch when each session ends. Not
 * modelled: the period's reset (the project's first period never ends).
 */
public final class ComputeUsage extends ControlPlanePart {

  /** What a branch's stopped computes used. */
  record Accrued(String branchId, double cuSeconds, double activeSeconds, long transferBytes) {}

  /** CU-seconds and active seconds, rounded to whole seconds, and bytes sent out. */
  public record Usage(long computeTimeSeconds, long activeTimeSeconds, long dataTransferBytes) {
    public static final Usage NONE = new Usage(0, 0, 0);
  }

  ComputeUsage(ControlPlane plane) {
    super(plane);
  }

  /** Each branch's use so far, running computes included; branches without any are absent. */
  public Map<String, Usage> byBranch() throws SQLException {
    Instant now = plane.now();
    Map<String, double[]> totals = new HashMap<>();
    Map<String, Long> transfer = new HashMap<>();
    for (Accrued accrued : endpointStore.accruedComputeTime(projectId)) {
      add(totals, accrued.branchId(), accrued.cuSeconds(), accrued.activeSeconds());
      transfer.put(accrued.branchId(), accrued.transferBytes());
    }
    for (EndpointRecord endpoint : endpointStore.listEndpoints(projectId)) {
      if (endpoint.currentState().equals("active") && endpoint.startedAt() != null) {
        double seconds =
            Math.max(0, Duration.between(endpoint.startedAt(), now).toMillis() / 1000.0);
        add(totals, endpoint.branchId(), seconds * endpoint.minCu(), seconds);
      }
    }
    Map<String, Usage> usage = new HashMap<>();
    totals.forEach(
        (branch, t) ->
            usage.put(
                branch,
                new Usage(Math.round(t[0]), Math.round(t[1]), transfer.getOrDefault(branch, 0L))));
    return usage;
  }

  /** The project's use: every branch's, deleted ones included. */
  public Usage ofProject() throws SQLException {
    long compute = 0;
    long active = 0;
    long transfer = 0;
    for (Usage usage : byBranch().values()) {
      compute += usage.computeTimeSeconds();
      active += usage.activeTimeSeconds();
      transfer += usage.dataTransferBytes();
    }
    return new Usage(compute, active, transfer);
  }

  private static void add(Map<String, double[]> totals, String branch, double cu, double active) {
    double[] total = totals.computeIfAbsent(branch, b -> new double[2]);
    total[0] += cu;
    total[1] += active;
  }
}
