package dev.supaneon.core.backup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.branch.BackupInventory;
import dev.supaneon.core.config.RetentionPolicy;
import dev.supaneon.core.neon.Branch;
import dev.supaneon.core.retention.RetentionPlanner;
import dev.supaneon.core.retention.StoragePlanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's table of what fits Neon's and Supabase's Free plans comes from the model the code
 * plans with: a backup costs the source's in-scope size plus an empty database's catalogs; the
 * project holds 512 MiB and 10 branches; Supabase allows 5 GB of egress a month; Neon 100 CU-hours,
 * GitHub Actions 2,000 minutes (private repositories) and Lambda 400,000 GB-seconds a month, with
 * the time model below. This test computes the rows and fails when the README says otherwise.
 */
class FreePlanFitTest {

  static final long MIB = 1024 * 1024;
  static final long BUDGET = BackupRun.FREE_PLAN_STORAGE.bytes();
  static final long SUPABASE_EGRESS = 5_000_000_000L;

  /**
   * The time model, stated: a backup run moves the source through the runner at 20 MiB/s (the
   * network between Supabase's pooler, the runner and Neon, not the 66 MiB/s measured on one
   * machine) after 60 s of fixed work; a smoke restore test counts rows at 100 MiB/s after 45 s. A
   * GitHub Actions job adds a minute of set-up and is billed by the started minute; Neon's computes
   * run at 0.25 CU and are suspended when each run ends; the Lambda has 1769 MB.
   */
  static final double RUN_MIB_PER_SECOND = 20;

  static final double RUN_FIXED_SECONDS = 60;
  static final double RESTORE_TEST_MIB_PER_SECOND = 100;
  static final double RESTORE_TEST_FIXED_SECONDS = 45;
  static final double LAMBDA_GB = 1.769;

  /** Branches left for backups: 10, less the default branch, the standby and a test branch. */
  static final int BRANCHES_FOR_BACKUPS = 10 - 3;

  static String row(long sourceMib) {
    long backup = sourceMib * MIB + BackupPreflight.DATABASE_OVERHEAD_BYTES;
    Instant now = Instant.parse("2026-11-23T03:17:00Z");
    // The default branch holds an empty database: the same catalogs a backup carries.
    Branch main =
        new Branch(
            "br-main",
            "main",
            null,
            "ready",
            null,
            true,
            false,
            now,
            now,
            null,
            Map.of(),
            BackupPreflight.DATABASE_OVERHEAD_BYTES,
            BackupPreflight.DATABASE_OVERHEAD_BYTES);
    StoragePlanner planner =
        new StoragePlanner(
            new RetentionPlanner(RetentionPolicy.DEFAULT, 10, 1, Duration.ofHours(3)), BUDGET);
    long fit =
        Math.min(
            BRANCHES_FOR_BACKUPS,
            planner.backupsThatFit(
                new BackupInventory(List.of(main)), StoragePlanner.cost(main), backup));
    // pg_dump reads at most the tables' size (indexes are rebuilt, not read): an upper bound.
    long egress = 30 * sourceMib * MIB;
    double backupSeconds = RUN_FIXED_SECONDS + sourceMib / RUN_MIB_PER_SECOND;
    double testSeconds = RESTORE_TEST_FIXED_SECONDS + sourceMib / RESTORE_TEST_MIB_PER_SECOND;
    double cuHours = 30 * (backupSeconds + testSeconds) * 0.25 / 3600;
    long actionsMinutes =
        30
            * ((long) Math.ceil((backupSeconds + 60) / 60)
                + (long) Math.ceil((testSeconds + 60) / 60));
    long lambdaGbSeconds = Math.round(30 * backupSeconds * LAMBDA_GB);
    return String.format(
        Locale.ROOT,
        "| %d MiB | %d MiB | %s | %.1f GB (%d%%) | %.2f (%d%%) | %d (%d%%) | %,d (%d%%) |",
        sourceMib,
        backup / MIB,
        fit == 0
            ? "none: refused in preflight"
            : fit == 1 ? "1, then refused: the next needs room beside it" : Long.toString(fit),
        egress / 1e9,
        Math.round(100.0 * egress / SUPABASE_EGRESS),
        cuHours,
        Math.round(100.0 * cuHours / 100),
        actionsMinutes,
        Math.round(100.0 * actionsMinutes / 2000),
        lambdaGbSeconds,
        Math.round(100.0 * lambdaGbSeconds / 400_000));
  }

  @Test
  void theReadmesFreePlanTableIsWhatTheModelComputes() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (long size : new long[] {25, 50, 100, 160, 250, 400, 600}) {
      String row = row(size);
      if (!readme.contains(row)) {
        missing.add(row);
      }
    }
    assertTrue(missing.isEmpty(), "README rows to write:\n" + String.join("\n", missing));
  }
}
