package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.progress.RunListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How child tools are started: never hung by a broken program, never in a translated language. */
class ChildToolsTest {

  static Path script(Path directory, String name, String body) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void aVersionCheckThatHangsIsTakenForABrokenProgramNotWaitedOnForever(@TempDir Path bin)
      throws IOException {
    // It writes its version, then never exits: reading to the end would block for good.
    Path hung = script(bin, "pg_dump", "echo 'pg_dump (PostgreSQL) 15.18'\nexec sleep 600");
    Optional<String> version =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> PgClientTools.versionOf(hung, Duration.ofSeconds(1)));
    assertEquals(Optional.empty(), version);
  }

  @Test
  void aWorkingVersionCheckIsRead(@TempDir Path bin) throws IOException {
    Path fine = script(bin, "pg_dump", "echo 'pg_dump (PostgreSQL) 15.18'");
    assertEquals(
        Optional.of("(PostgreSQL) 15.18"), PgClientTools.versionOf(fine, Duration.ofSeconds(10)));
  }

  @Test
  void dumpAndRestoreRunWithUntranslatedMessagesSoErrorDetectionDoesNotDependOnLanguage(
      @TempDir Path bin) throws IOException {
    Path dumpEnv = bin.resolve("dump.env");
    Path restoreEnv = bin.resolve("restore.env");
    Path dump = script(bin, "pg_dump", "env > '" + dumpEnv + "'\nprintf 'archive'");
    Path restore = script(bin, "pg_restore", "env > '" + restoreEnv + "'\ncat > /dev/null");
    PgClientTools tools = new PgClientTools(dump, restore, 15, "15.18");
    PostgresUrl source =
        PostgresUrl.parse(
            "postgresql://reader:source-secret@127.0.0.1:5432/app?sslmode=require",
            Setting.SOURCE_URL);
    PostgresUrl target =
        PostgresUrl.parse(
            "postgresql://writer:target-secret@127.0.0.1:5432/copy?sslmode=require",
            Setting.SOURCE_URL);
    DumpRestorePipeline.Result result =
        new DumpRestorePipeline(
                tools,
                source,
                target,
                List.of(),
                RunListener.SILENT,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5))
            .run();
    assertEquals(7, result.bytes());
    for (Path environment : List.of(dumpEnv, restoreEnv)) {
      List<String> variables = Files.readAllLines(environment, StandardCharsets.UTF_8);
      assertTrue(variables.contains("LC_MESSAGES=C"), environment + ": " + variables);
      assertFalse(variables.stream().anyMatch(v -> v.startsWith("LC_ALL=")), "LC_ALL unset");
      assertFalse(variables.stream().anyMatch(v -> v.startsWith("LANGUAGE=")), "LANGUAGE unset");
    }
  }

  DumpRestorePipeline pipeline(Path bin, String restoreBody) throws IOException {
    Path dump = script(bin, "pg_dump", "printf 'archive'");
    Path restore = script(bin, "pg_restore", restoreBody);
    PgClientTools tools = new PgClientTools(dump, restore, 15, "15.18");
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://u:p-secret@127.0.0.1:5432/db?sslmode=require", Setting.SOURCE_URL);
    return new DumpRestorePipeline(
        tools,
        url,
        url,
        List.of(),
        RunListener.SILENT,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }

  @Test
  void aPgRestoreThatFailsMidwayFailsThePipeline(@TempDir Path bin) throws IOException {
    DumpRestorePipeline pipeline =
        pipeline(
            bin,
            "head -c 3 > /dev/null\necho 'pg_restore: error: could not create table' >&2\nexit 1");
    PgToolsException failure = assertThrows(PgToolsException.class, pipeline::run);
    assertTrue(failure.getMessage().contains("pg_restore"), failure.getMessage());
  }

  @Test
  void aPgRestoreThatReportsAnErrorButExitsZeroStillFailsThePipeline(@TempDir Path bin)
      throws IOException {
    DumpRestorePipeline pipeline =
        pipeline(
            bin, "cat > /dev/null\necho 'pg_restore: error: could not execute query' >&2\nexit 0");
    assertThrows(PgToolsException.class, pipeline::run);
  }
}
