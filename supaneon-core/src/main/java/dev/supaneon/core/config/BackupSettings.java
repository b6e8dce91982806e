package dev.supaneon.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Everything a backup run needs, validated. */
public record BackupSettings(
    PostgresUrl source,
    NeonSettings neon,
    RetentionPolicy retention,
    OptionalInt branchLimit,
    Duration runTimeout,
    Optional<Path> pgBinDirectory,
    boolean verifyChecksums,
    boolean dryRun,
    Path reportDirectory,
    SourceScope scope,
    StandbySettings standby) {}
