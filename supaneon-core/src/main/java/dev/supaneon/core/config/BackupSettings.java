package dev.supaneon.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a backup run needs, validated. An empty storage budget means the limit Neon reports
 * for the project (512 MiB on the Free plan).
 */
public record BackupSettings(
    PostgresUrl source,
    NeonSettings neon,
    RetentionPolicy retention,
    OptionalInt branchLimit,
    Optional<DataSize> storageBudget,
    Duration runTimeout,
    Optional<Path> pgBinDirectory,
    boolean verifyChecksums,
    int jobs,
    boolean skipUnchanged,
    boolean dryRun,
    Path reportDirectory,
    SourceScope scope,
    StandbySettings standby) {}
