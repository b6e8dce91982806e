package dev.supaneon.core.standby;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.PromoteSettings;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.Endpoint;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.PhaseTimer;
import dev.supaneon.core.report.PromoteReport;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.run.RunContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The failover: marks the standby promoted (renamed {@code <name>-promoted-<UTC>}, so no later
 * backup refreshes it), makes sure its compute runs, and gives the {@code DATABASE_URL} to switch
 * to. It never touches the source, so it works while Supabase is down; promoting twice is harmless.
 */
public final class PromoteRun {

  static final String PASSWORD_HINT =
      "the password is the Neon role's: Neon Console > the branch > Roles (or the API's"
          + " reveal_password, or neonctl connection-string); the application keeps it as a secret"
          + " beside this URL";

  private final PromoteSettings settings;
  private final RunContext context;

  public PromoteRun(PromoteSettings settings, RunListener listener) {
    this(settings, RunContext.of(listener));
  }

  public PromoteRun(PromoteSettings settings, RunContext context) {
    this.settings = settings;
    this.context = context;
  }

  public PromoteReport execute() {
    Instant started = context.clock().instant();
    PhaseTimer phases = new PhaseTimer(context.listener(), context.clock());
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      BranchLifecycle branches = BranchLifecycle.of(neon, context.clock(), context.neonOptions());
      String name = settings.standby().branchName();
      Standby found =
          phases.run(
              Phase.READ_PROJECT,
              () ->
                  Standby.find(neon.listBranches(), name)
                      .filter(s -> Standby.madeAsStandby(s.branch()))
                      .orElseThrow(() -> noStandby(name)),
              s -> s.branch().name() + (s.promoted() ? " (promoted already)" : ""));
      boolean already = found.promoted();
      Standby promoted =
          already
              ? found
              : phases.run(
                  Phase.PROMOTE,
                  () -> promote(neon, found.branch()),
                  s -> "renamed " + found.branch().name() + " to " + s.branch().name());
      phases.run(
          Phase.START_COMPUTE,
          () -> startCompute(neon, promoted.branch()),
          n -> n + " endpoint(s) started");
      String database = settings.neon().database();
      String role = settings.neon().role();
      PromoteReport report =
          new PromoteReport(
              started,
              Duration.between(started, context.clock().instant()).toMillis(),
              settings.neon().projectId(),
              promoted.branch().id(),
              promoted.branch().name(),
              promoted.promotedAt().orElseThrow(),
              already,
              NeonConnections.url(neon, promoted.branch().id(), database, role).withoutPassword(),
              NeonConnections.url(neon, promoted.branch().id(), database, role, true)
                  .withoutPassword(),
              PASSWORD_HINT,
              phases.timings());
      context.writeReport(
          settings.reportDirectory(), "promote-report", report, RecoverySummary.promote(report));
      return report;
    } catch (SupaneonException e) {
      throw e;
    } catch (Exception e) {
      throw new SupaneonException(
          "Promoting the standby failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  private Standby promote(NeonClient neon, Branch standby) {
    Instant at = context.clock().instant();
    neon.awaitOperations(neon.renameBranch(standby.id(), Standby.promotedName(standby.name(), at)));
    Branch renamed =
        neon.findBranch(standby.id())
            .orElseThrow(() -> new SupaneonException("the standby disappeared while promoting"));
    return Standby.find(List.of(renamed), settings.standby().branchName())
        .filter(Standby::promoted)
        .orElseThrow(
            () -> new SupaneonException("the standby's new name did not mark it promoted"));
  }

  private static int startCompute(NeonClient neon, Branch branch) {
    int started = 0;
    for (Endpoint endpoint : neon.listBranchEndpoints(branch.id())) {
      if (!"active".equals(endpoint.currentState())) {
        neon.awaitOperations(neon.startEndpoint(endpoint.id()));
        started++;
      }
    }
    return started;
  }

  private SupaneonException noStandby(String name) {
    return new SupaneonException(
        "Neon project "
            + settings.neon().projectId()
            + " has no standby named "
            + name
            + ": there is nothing to promote",
        "A standby is made by the first verified backup (supaneon.standby is on by default);"
            + " check supaneon.standbyBranch, or restore the newest backup with supaneon:restore.",
        null);
  }
}
