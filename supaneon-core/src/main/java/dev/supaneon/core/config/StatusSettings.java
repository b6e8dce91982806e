package dev.supaneon.core.config;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code supaneon:status} reads, and the age past which the newest backup is stale. */
public record StatusSettings(
    NeonSettings neon, StandbySettings standby, Duration maxBackupAge, Path reportDirectory) {}
