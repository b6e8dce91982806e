package dev.supaneon.core.status;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.branch.BranchLifecycle;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.StatusSettings;
import dev.supaneon.core.manifest.ManifestStore;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.neon.NeonClient;
import dev.supaneon.core.neon.NeonConnections;
import dev.supaneon.core.neon.Project;
import dev.supaneon.core.postgres.PgConnections;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.report.RecoverySummary;
import dev.supaneon.core.report.StatusReport;
import dev.supaneon.core.report.StatusReport.BackupEntry;
import dev.supaneon.core.report.StatusReport.StandbyStatus;
import dev.supaneon.core.report.StatusReport.UnfinishedBranch;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.standby.Standby;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code supaneon:status}: reads the project and changes nothing. Lists the verified backups,
 * unfinished branches and the standby (which backup it holds, so the recovery point), writes {@code
 * status.json} and {@code status.md}, and fails when the newest verified backup is older than
 * allowed, so that it serves as a monitor.
 */
public final class StatusRun {

  private final StatusSettings settings;
  private final RunContext context;

  public StatusRun(StatusSettings settings, RunListener listener) {
    this(settings, RunContext.of(listener));
  }

  public StatusRun(StatusSettings settings, RunContext context) {
    this.settings = settings;
    this.context = context;
  }

  /** Reads the status; throws {@link StaleBackupException} (with the report) when it is stale. */
  public StatusReport execute() {
    Instant now = context.clock().instant();
    StatusReport report;
    try (NeonClient neon = new NeonClient(settings.neon(), context.neonOptions())) {
      List<Branch> branches = neon.listBranches();
      Project project = neon.getProject();
      BackupInventory inventory = new BackupInventory(branches);
      List<BackupEntry> backups =
          inventory.verifiedBackups().stream()
              .map(
                  b ->
                      new BackupEntry(
                          b.branch().name(),
                          b.branch().id(),
                          b.takenAt(),
                          b.age(now).toMinutes(),
                          b.branch().logicalSize(),
                          b.branch().storageBytes().isPresent()
                              ? b.branch().storageBytes().getAsLong()
                              : null,
                          b.branch().computeTimeSeconds(),
                          b.branch().dataTransferBytes(),
                          null))
              .toList();
      List<UnfinishedBranch> unfinished =
          branches.stream()
              .filter(b -> BackupInventory.madeBySupaneon(b) && b.expiry().isPresent())
              .map(
                  b ->
                      new UnfinishedBranch(
                          b.name(),
                          b.id(),
                          b.annotation().getOrDefault(BranchLifecycle.KIND_ANNOTATION, ""),
                          b.expiresAt()))
              .toList();
      Optional<Instant> confirmed =
          inventory.newestVerifiedBackup().flatMap(b -> confirmedCurrentAt(neon, b.branch()));
      Optional<Duration> newestAge =
          inventory
              .newestVerifiedBackup()
              .map(
                  b ->
                      Duration.between(
                          confirmed.filter(at -> at.isAfter(b.takenAt())).orElse(b.takenAt()),
                          now));
      boolean stale = newestAge.isEmpty() || newestAge.get().compareTo(settings.maxBackupAge()) > 0;
      String problem =
          newestAge.isEmpty()
              ? "no verified backup: run supaneon:backup, and check that the scheduled job runs"
              : stale
                  ? "the newest verified backup is "
                      + Formats.duration(newestAge.get())
                      + " old, older than "
                      + Formats.duration(settings.maxBackupAge())
                      + ": the backup job may have stopped"
                  : null;
      report =
          new StatusReport(
              now,
              settings.neon().projectId(),
              backups,
              unfinished,
              standby(neon, branches, now),
              newestAge.map(Duration::toMinutes).orElse(null),
              confirmed.orElse(null),
              Formats.duration(settings.maxBackupAge()),
              stale,
              problem,
              storage(project),
              usage(project));
    }
    context.writeReport(
        settings.reportDirectory(), "status", report, RecoverySummary.status(report));
    if (report.stale()) {
      throw new StaleBackupException(report);
    }
    return report;
  }

  /**
   * When a run last found the source equal to this backup; read from the backup itself, so its
   * compute wakes. A backup that cannot be read counts as never confirmed.
   */
  private Optional<Instant> confirmedCurrentAt(NeonClient neon, Branch backup) {
    PostgresUrl url =
        NeonConnections.url(neon, backup.id(), settings.neon().database(), settings.neon().role());
    try (Connection connection = PgConnections.open(url, "the newest verified backup")) {
      return ManifestStore.confirmedCurrentAt(connection);
    } catch (SQLException | SupaneonException e) {
      context.listener().warn("could not read the newest backup's confirmation: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static StatusReport.PlanUsage usage(Project project) {
    return StatusReport.PlanUsage.againstFreePlan(
        project.consumptionPeriodStart(),
        project.computeTimeSeconds(),
        project.dataTransferBytes());
  }

  private static StatusReport.ProjectStorage storage(Project project) {
    return new StatusReport.ProjectStorage(
        project.storageUsed().isPresent() ? project.storageUsed().getAsLong() : null,
        project.storageLimit().isPresent() ? project.storageLimit().getAsLong() : null);
  }

  private StandbyStatus standby(NeonClient neon, List<Branch> branches, Instant now) {
    String name = settings.standby().branchName();
    Optional<Standby> found = Standby.find(branches, name);
    if (found.isEmpty()) {
      return new StandbyStatus(
          name,
          null,
          false,
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          "the next verified backup creates it (supaneon.standby is "
              + (settings.standby().enabled() ? "on" : "off")
              + ")");
    }
    Branch branch = found.get().branch();
    String database = settings.neon().database();
    String role = settings.neon().role();
    PostgresUrl url = NeonConnections.url(neon, branch.id(), database, role);
    String pooled = NeonConnections.url(neon, branch.id(), database, role, true).withoutPassword();
    String holds = null;
    Instant dataAsOf = null;
    String detail = null;
    // The standby holds a backup's data, manifest included: it says which backup and when.
    try (Connection connection = PgConnections.open(url, "the standby")) {
      Optional<ManifestStore.StoredManifest> stored = ManifestStore.read(connection);
      if (stored.isPresent() && stored.get().intact()) {
        holds = stored.get().manifest().backupBranch();
        dataAsOf = stored.get().manifest().snapshotAt();
      } else {
        detail = "the standby holds no intact manifest";
      }
    } catch (SQLException | SupaneonException e) {
      detail = "could not read the standby: " + e.getMessage();
    }
    return new StandbyStatus(
        branch.name(),
        branch.id(),
        true,
        found.get().promoted(),
        found.get().promotedAt().orElse(null),
        holds,
        dataAsOf,
        dataAsOf == null ? null : Duration.between(dataAsOf, now).toMinutes(),
        url.withoutPassword(),
        pooled,
        detail);
  }
}
