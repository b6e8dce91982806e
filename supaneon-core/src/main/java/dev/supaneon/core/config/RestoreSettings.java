package dev.supaneon.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code supaneon:restore} needs: the Neon project, the branch to copy ({@code
 * restoreFrom}; default the promoted standby, else the newest verified backup), and the target
 * database, which must be empty in the restored schemas unless {@code targetClean}.
 */
public record RestoreSettings(
    NeonSettings neon,
    StandbySettings standby,
    PostgresUrl target,
    Optional<String> restoreFrom,
    boolean targetClean,
    SourceScope scope,
    Optional<Path> pgBinDirectory,
    boolean verifyChecksums,
    int jobs,
    Duration runTimeout,
    Path reportDirectory) {}
