package dev.supaneon.core.standby;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.NeonSettings;
import dev.supaneon.core.config.StandbySettings;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonApiException;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.StandbyAction;
import dev.supaneon.core.report.StandbyReport;
import java.util.Optional;

/**
 * After a verified backup, makes the standby hold exactly that backup's data, through Neon's branch
 * restore (never pg_restore): the standby keeps its endpoint, so its connection string never
 * changes. The first run creates the standby; a promoted standby is left alone, for good.
 */
public final class StandbyRefresh {

  private final NeonClient neon;
  private final BranchLifecycle branches;
  private final NeonSettings neonSettings;
  private final RunListener listener;

  public StandbyRefresh(
      NeonClient neon, BranchLifecycle branches, NeonSettings neonSettings, RunListener listener) {
    this.neon = neon;
    this.branches = branches;
    this.neonSettings = neonSettings;
    this.listener = listener;
  }

  /**
   * Refreshes (or creates) the standby from {@code backup}; {@code parent} is where a new standby
   * branches off (the backups' parent, never a backup, so that retention can still delete every
   * backup).
   */
  public StandbyReport refresh(
      StandbySettings settings, Branch backup, Branch parent, String runId) {
    if (!settings.enabled()) {
      return new StandbyReport(
          StandbyAction.DISABLED, null, null, null, null, null, "supaneon.standby=false");
    }
    Optional<Standby> found = Standby.find(neon.listBranches(), settings.branchName());
    if (found.isPresent() && found.get().promoted()) {
      Standby live = found.get();
      listener.info(
          "standby "
              + live.branch().name()
              + " was promoted: it is the live database and is left alone");
      return report(
          StandbyAction.LEFT_ALONE_PROMOTED,
          live,
          null,
          "promoted; this backup was not copied into it");
    }
    StandbyAction action;
    Branch standby;
    if (found.isEmpty()) {
      standby = branches.createLasting(settings.branchName(), Standby.KIND, parent, runId).branch();
      action = StandbyAction.CREATED;
    } else if (!Standby.madeAsStandby(found.get().branch())) {
      throw new SupaneonException(
          "A branch named "
              + settings.branchName()
              + " exists, but supaneon did not make it as its standby; it is left untouched and the"
              + " standby was not refreshed",
          "Set supaneon.standbyBranch (SUPANEON_STANDBY_BRANCH) to another name, or rename that"
              + " branch.",
          null);
    } else {
      standby = found.get().branch();
      action = StandbyAction.REFRESHED;
    }
    try {
      neon.awaitOperations(neon.restoreBranch(standby.id(), backup.id()));
    } catch (NeonApiException e) {
      throw new SupaneonException(
          "Neon refused to restore the standby "
              + standby.name()
              + " from "
              + backup.name()
              + ": "
              + e.neonMessage()
              + ". The backup itself is verified and kept; the standby holds its previous data",
          "Check the standby branch in the Neon Console (a branch with children needs them"
              + " moved or deleted), then run the backup again.",
          e);
    }
    branches.suspendEndpoints(standby);
    return report(action, new Standby(standby, Optional.empty()), backup.name(), null);
  }

  private StandbyReport report(
      StandbyAction action, Standby standby, String holdsBackup, String detail) {
    String connection =
        branches
            .connectionUrl(standby.branch(), neonSettings.database(), neonSettings.role())
            .withoutPassword();
    return new StandbyReport(
        action,
        standby.branch().id(),
        standby.branch().name(),
        holdsBackup,
        standby.promotedAt().orElse(null),
        connection,
        detail);
  }
}
