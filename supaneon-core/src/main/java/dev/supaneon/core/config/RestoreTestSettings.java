package dev.supaneon.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything a restore test needs, validated. */
public record RestoreTestSettings(
    NeonSettings neon,
    Duration maxBackupAge,
    Mode mode,
    Optional<Path> assertionsFile,
    Optional<String> backupBranch,
    Optional<Path> pgBinDirectory,
    int jobs,
    Duration runTimeout,
    Path reportDirectory) {

  /** How deep the test goes. */
  public enum Mode {
    /** Connectivity, manifest, schemas, tables, exact row counts, backup age. */
    SMOKE,
    /** SMOKE plus pg_dump of the backup restored into a fresh database, compared in full. */
    LOGICAL
  }
}
