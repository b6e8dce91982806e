package dev.supaneon.core.postgres;

import static dev.supaneon.core.postgres.ChildToolsTest.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's error detection, with stand-in tools whose exit codes and output are chosen: a
 * failure of either tool fails the run and says which, with its last error lines and no secret.
 */
class DumpRestorePipelineTest {

  static final PostgresUrl SOURCE =
      PostgresUrl.parse(
          "postgresql://reader:source-secret@127.0.0.1:5432/app?sslmode=require",
          Setting.SOURCE_URL);
  static final PostgresUrl TARGET =
      PostgresUrl.parse(
          "postgresql://writer:target-secret@127.0.0.1:5432/copy?sslmode=require",
          Setting.SOURCE_URL);

  static DumpRestorePipeline pipeline(
      Path bin, String dumpBody, String restoreBody, RunListener listener, Duration timeout)
      throws IOException {
    PgClientTools tools =
        new PgClientTools(
            script(bin, "pg_dump", dumpBody), script(bin, "pg_restore", restoreBody), 15, "15.18");
    return new DumpRestorePipeline(
        tools, SOURCE, TARGET, List.of("--snapshot=00000003-1"), listener, timeout, Duration.ZERO);
  }

  static DumpRestorePipeline pipeline(Path bin, String dumpBody, String restoreBody)
      throws IOException {
    return pipeline(bin, dumpBody, restoreBody, RunListener.SILENT, Duration.ofSeconds(60));
  }

  @Test
  void everyByteOfTheDumpReachesTheRestoreAndIsCountedAndHashed(@TempDir Path bin)
      throws Exception {
    Path received = bin.resolve("received");
    // 600 KiB: more than two of the pump's buffers.
    DumpRestorePipeline.Result result =
        pipeline(bin, "head -c 614400 /dev/urandom", "cat > '" + received + "'").run();
    byte[] bytes = Files.readAllBytes(received);
    assertEquals(614400, bytes.length);
    assertEquals(bytes.length, result.bytes());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        result.sha256());
  }

  @Test
  void progressIsReportedInTheDumpPhaseWithGrowingByteCounts(@TempDir Path bin) throws Exception {
    RecordingListener listener = new RecordingListener();
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    listener.onProgress(
        (phase, bytes) -> {
          assertEquals(Phase.COPY, phase);
          seen.add(bytes);
        });
    pipeline(bin, "head -c 1048576 /dev/zero", "cat > /dev/null", listener, Duration.ofSeconds(60))
        .run();
    assertFalse(seen.isEmpty(), "progress was reported");
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) > seen.get(i - 1), seen.toString());
    }
    assertTrue(seen.get(seen.size() - 1) <= 1048576, seen.toString());
  }

  @Test
  void aFailedDumpFailsThePipelineAndNamesPgDumpWithItsExitCodeAndError(@TempDir Path bin)
      throws IOException {
    DumpRestorePipeline pipeline =
        pipeline(
            bin,
            "printf 'PGDMP'\necho 'pg_dump: error: query failed: permission denied' >&2\nexit 1",
            "cat > /dev/null");
    PgToolsException failure = assertThrows(PgToolsException.class, pipeline::run);
    assertTrue(
        failure.getMessage().startsWith("pg_dump failed with exit code 1:"), failure.getMessage());
    assertTrue(failure.getMessage().contains("permission denied"), failure.getMessage());
    assertFalse(failure.getMessage().contains("pg_restore failed"), failure.getMessage());
    assertTrue(failure.getMessage().contains("rolled back"), failure.getMessage());
  }

  @Test
  void aPgRestoreExitCodeAloneFailsThePipeline(@TempDir Path bin) throws IOException {
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, "printf 'PGDMP'", "cat > /dev/null\nexit 3")::run);
    assertEquals(
        "pg_restore failed with exit code 3\nThe restore ran in one transaction, which was"
            + " rolled back; nothing is marked as a backup.",
        failure.getMessage());
  }

  @Test
  void bothFailingNamesBoth(@TempDir Path bin) throws IOException {
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(
                    bin,
                    "echo 'pg_dump: error: lost' >&2\nexit 1",
                    "cat > /dev/null\necho 'pg_restore: error: truncated' >&2\nexit 1")
                ::run);
    assertTrue(
        failure.getMessage().startsWith("pg_restore failed with exit code 1:"),
        failure.getMessage());
    assertTrue(
        failure.getMessage().contains("\npg_dump failed with exit code 1:"), failure.getMessage());
  }

  @Test
  void warningsThatAreNotErrorsDoNotFailThePipelineButAreShown(@TempDir Path bin) throws Exception {
    RecordingListener listener = new RecordingListener();
    pipeline(
            bin,
            "printf 'PGDMP'",
            "cat > /dev/null\necho 'pg_restore: warning: errors ignored on restore: 0' >&2",
            listener,
            Duration.ofSeconds(60))
        .run();
    assertTrue(
        listener.lines().contains("[warn] pg_restore: warning: errors ignored on restore: 0"),
        listener.text());
  }

  @Test
  void theFailureKeepsTheLastTwentyErrorLinesWithoutSecrets(@TempDir Path bin) throws IOException {
    String lines =
        "i=1\nwhile [ $i -le 30 ]; do echo \"pg_restore: error: line $i for"
            + " target-secret\" >&2; i=$((i+1)); done\nexit 1";
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, "printf 'PGDMP'", "cat > /dev/null\n" + lines)::run);
    String message = failure.getMessage();
    assertTrue(message.contains("line 30 for"), message);
    assertTrue(message.contains("line 11 for"), message);
    assertFalse(message.contains("line 10 for"), message);
    assertFalse(message.contains("target-secret"), message);
  }

  @Test
  void aRestoreThatStopsReadingFailsThePipelineEvenWhenBothExitZero(@TempDir Path bin)
      throws IOException {
    // pg_restore leaves without reading: the rest of the archive cannot have been restored.
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, "head -c 8388608 /dev/zero; exit 0", "exit 0")::run);
    assertTrue(
        failure.getMessage().startsWith("streaming the dump failed")
            || failure.getMessage().startsWith("pg_dump failed"),
        failure.getMessage());
  }

  @Test
  void aDumpPastTheRunTimeoutIsStoppedAndFailsThePipeline(@TempDir Path bin) throws IOException {
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, "exec sleep 600", "cat > /dev/null", RunListener.SILENT, Duration.ZERO)
                ::run);
    assertTrue(failure.getMessage().startsWith("pg_dump did not finish"), failure.getMessage());
  }

  @Test
  void aRestorePastTheRunTimeoutIsStoppedAndFailsThePipeline(@TempDir Path bin) throws IOException {
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(
                    bin,
                    "printf 'PGDMP'",
                    "cat > /dev/null\nexec sleep 600",
                    RunListener.SILENT,
                    Duration.ofMillis(1500))
                ::run);
    assertTrue(failure.getMessage().startsWith("pg_restore did not finish"), failure.getMessage());
  }

  @Test
  void commandLinesCarryNoConnectionDetailsAndRestoreInOneTransactionStoppingAtTheFirstError(
      @TempDir Path bin) throws IOException {
    DumpRestorePipeline pipeline = pipeline(bin, "true", "true");
    assertEquals(
        List.of(
            bin.resolve("pg_dump").toString(),
            "--format=custom",
            "--compress=0",
            "--no-password",
            "--snapshot=00000003-1"),
        pipeline.dumpCommand());
    assertEquals(
        List.of(
            bin.resolve("pg_restore").toString(),
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-acl",
            "--no-security-labels",
            "--no-tablespaces",
            "--dbname=copy"),
        pipeline.restoreCommand());
  }

  @Test
  void theToolsGetOnlyTheirOwnConnectionSettingsNeverInheritedOnes(@TempDir Path bin)
      throws Exception {
    // The test JVM runs with PGAPPNAME and PGOPTIONS set (see the surefire configuration).
    Path dumpEnv = bin.resolve("dump.env");
    Path restoreEnv = bin.resolve("restore.env");
    pipeline(bin, "env > '" + dumpEnv + "'", "env > '" + restoreEnv + "'\ncat > /dev/null").run();
    List<String> dump = Files.readAllLines(dumpEnv, StandardCharsets.UTF_8);
    List<String> restore = Files.readAllLines(restoreEnv, StandardCharsets.UTF_8);
    assertTrue(
        System.getenv().containsKey("PGOPTIONS"), "the test JVM is started with PGOPTIONS set");
    assertFalse(dump.stream().anyMatch(v -> v.startsWith("PGOPTIONS=")), dump.toString());
    assertFalse(restore.stream().anyMatch(v -> v.startsWith("PGOPTIONS=")), restore.toString());
    assertTrue(dump.contains("PGDATABASE=app"), dump.toString());
    assertTrue(dump.contains("PGUSER=reader"), dump.toString());
    assertTrue(restore.contains("PGDATABASE=copy"), restore.toString());
    assertTrue(restore.contains("PGUSER=writer"), restore.toString());
    assertTrue(dump.contains("PATH=" + System.getenv("PATH")), "the rest is inherited: " + dump);
  }

  @Test
  void theElapsedTimeIsTheWallClockTimeOfTheRun(@TempDir Path bin) throws Exception {
    long before = System.nanoTime();
    DumpRestorePipeline.Result result =
        pipeline(bin, "sleep 0.3; printf 'PGDMP'", "cat > /dev/null").run();
    Duration wall = Duration.ofNanos(System.nanoTime() - before);
    assertTrue(result.elapsed().toMillis() >= 300, result.elapsed().toString());
    assertTrue(result.elapsed().compareTo(wall) <= 0, result.elapsed() + " within " + wall);
  }

  /** Keeps progress reports with their elapsed times. */
  static final class ProgressLog implements RunListener {
    final List<Duration> elapsed = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void progress(Phase phase, long bytes, Duration elapsedSoFar) {
      elapsed.add(elapsedSoFar);
    }
  }

  @Test
  void progressComesAtTheIntervalWithTheTimeSinceTheStart(@TempDir Path bin) throws Exception {
    ProgressLog rare = new ProgressLog();
    PgClientTools tools =
        new PgClientTools(
            script(bin, "pg_dump", "head -c 1048576 /dev/zero"),
            script(bin, "pg_restore", "cat > /dev/null"),
            15,
            "15.18");
    long before = System.nanoTime();
    new DumpRestorePipeline(
            tools, SOURCE, TARGET, List.of(), rare, Duration.ofSeconds(60), Duration.ofHours(1))
        .run();
    assertEquals(List.of(), rare.elapsed, "nothing to report within the first hour");

    ProgressLog every = new ProgressLog();
    new DumpRestorePipeline(
            tools, SOURCE, TARGET, List.of(), every, Duration.ofSeconds(60), Duration.ZERO)
        .run();
    Duration wall = Duration.ofNanos(System.nanoTime() - before);
    assertFalse(every.elapsed.isEmpty());
    for (Duration elapsed : every.elapsed) {
      assertTrue(!elapsed.isNegative() && elapsed.compareTo(wall) <= 0, elapsed + " of " + wall);
    }
  }

  /** A listener that takes its time over each warning, as a slow log sink would. */
  static final class SlowLog implements RunListener {
    @Override
    public void warn(String message) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static final String TWO_HUNDRED_WARNINGS =
      "i=0\nwhile [ $i -lt 200 ]; do echo \"warning: w$i\"; i=$((i+1)); done >&2\n";

  @Test
  void anErrorAfterManyWarningsIsStillSeenBeforeTheOutcomeIsJudged(@TempDir Path bin)
      throws IOException {
    // pg_restore exits at once; its reader needs a second for the warnings before the error.
    String noisy =
        "cat > /dev/null\n"
            + TWO_HUNDRED_WARNINGS
            + "echo 'pg_restore: error: the last line' >&2\nexit 0";
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, "printf 'PGDMP'", noisy, new SlowLog(), Duration.ofSeconds(60))::run);
    assertTrue(failure.getMessage().contains("the last line"), failure.getMessage());
  }

  @Test
  void aFailedDumpsLastErrorLineIsInTheMessageEvenAfterManyWarnings(@TempDir Path bin)
      throws IOException {
    String noisy = TWO_HUNDRED_WARNINGS + "echo 'pg_dump: error: the dump broke here' >&2\nexit 1";
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            pipeline(bin, noisy, "cat > /dev/null", new SlowLog(), Duration.ofSeconds(60))::run);
    assertTrue(failure.getMessage().contains("the dump broke here"), failure.getMessage());
  }

  @Test
  void progressComesNoMoreOftenThanItsInterval(@TempDir Path bin) throws Exception {
    ProgressLog log = new ProgressLog();
    PgClientTools tools =
        new PgClientTools(
            script(
                bin,
                "pg_dump",
                "i=0\nwhile [ $i -lt 20 ]; do head -c 65536 /dev/zero; sleep 0.05; i=$((i+1)); done"),
            script(bin, "pg_restore", "cat > /dev/null"),
            15,
            "15.18");
    long before = System.nanoTime();
    new DumpRestorePipeline(
            tools, SOURCE, TARGET, List.of(), log, Duration.ofSeconds(60), Duration.ofMillis(300))
        .run();
    long maximum = Duration.ofNanos(System.nanoTime() - before).toMillis() / 300 + 1;
    assertFalse(log.elapsed.isEmpty(), "a run of a second reports progress");
    assertTrue(log.elapsed.size() <= maximum, log.elapsed.size() + " reports, at most " + maximum);
  }

  @Test
  void aRestoreToolThatCannotStartStopsTheDumpAndSaysWhich(@TempDir Path bin) throws Exception {
    Path pid = bin.resolve("dump.pid");
    PgClientTools tools =
        new PgClientTools(
            script(bin, "pg_dump", "echo $$ > '" + pid + "'\nexec sleep 600"),
            bin.resolve("no-such-pg_restore"),
            15,
            "15.18");
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            new DumpRestorePipeline(
                    tools,
                    SOURCE,
                    TARGET,
                    List.of(),
                    RunListener.SILENT,
                    Duration.ofSeconds(60),
                    Duration.ZERO)
                ::run);
    assertTrue(failure.getMessage().startsWith("could not start pg_restore"), failure.getMessage());
    for (int i = 0; i < 50 && !Files.exists(pid); i++) {
      Thread.sleep(20);
    }
    if (Files.exists(pid)) {
      long dumpPid = Long.parseLong(Files.readString(pid).strip());
      assertFalse(
          ProcessHandle.of(dumpPid).map(ProcessHandle::isAlive).orElse(false),
          "pg_dump was stopped");
    }
  }

  @Test
  void noPipelineThreadOutlivesAFailedRun(@TempDir Path bin) throws IOException {
    assertThrows(
        PgToolsException.class,
        pipeline(bin, "exec sleep 600", "cat > /dev/null", RunListener.SILENT, Duration.ZERO)::run);
    List<String> left =
        Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.equals("supaneon-pipeline"))
            .toList();
    assertEquals(List.of(), left);
  }
}
