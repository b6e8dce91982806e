package dev.supaneon.core.report;

import java.time.Instant;

/**
 * What became of the standby in a run: created, refreshed, left alone (promoted, or turned off).
 *
 * @param holdsBackup the backup whose data the standby holds, when known
 * @param connectionString the standby's connection string without the password
 */
public record StandbyReport(
    StandbyAction action,
    String branchId,
    String branchName,
    String holdsBackup,
    Instant promotedAt,
    String connectionString,
    String detail) {}
