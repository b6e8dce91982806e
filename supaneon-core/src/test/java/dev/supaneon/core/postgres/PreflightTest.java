package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.neon.NeonClientOptions;
import dev.supaneon.core.run.RunContext;
import dev.supaneon.core.testing.CoreTestEnvironment;
import dev.supaneon.core.testing.RecordingListener;
import dev.supaneon.neonlocal.NeonLocal;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version and connectivity problems fail before anything is created, with the fix. */
class PreflightTest {

  @Test
  void aNeonServerOlderThanTheSourceIsRefused() {
    PgToolsException error =
        assertThrows(PgToolsException.class, () -> PgClientTools.choose(Optional.empty(), 15, 14));
    assertTrue(error.getMessage().contains("older than the source"), error.getMessage());
  }

  @Test
  void missingToolsOfTheNeededVersionNameThePackageToInstall() {
    assumeTrue(
        PgClientTools.discover().stream().noneMatch(t -> t.majorVersion() == 99),
        "no PostgreSQL 99 here");
    PgToolsException error =
        assertThrows(PgToolsException.class, () -> PgClientTools.choose(Optional.empty(), 99, 99));
    assertTrue(
        error.getMessage().contains("apt-get install postgresql-client-99"), error.getMessage());
  }

  @Test
  void toolsOfTheWrongVersionFailTheRunBeforeAnythingIsCreated(@TempDir Path directory)
      throws Exception {
    for (String tool : new String[] {"pg_dump", "pg_restore"}) {
      Path script = directory.resolve(tool);
      Files.writeString(script, "#!/bin/sh\necho \"" + tool + " (PostgreSQL) 12.20\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    PostgresServer source = TestDatabases.sourceServer();
    String database = TestDatabases.sampleDatabase(source);
    try (NeonLocal neon = CoreTestEnvironment.neonLocal(10)) {
      var settings =
          CoreTestEnvironment.settings(
                  neon, TestDatabases.url(source, database), directory.resolve("reports"))
              .set(Setting.PG_BIN, directory.toString())
              .backup();
      BackupFailedException failure =
          assertThrows(
              BackupFailedException.class,
              () ->
                  new BackupRun(
                          settings,
                          new RunContext(
                              new RecordingListener(),
                              Clock.systemUTC(),
                              NeonClientOptions.defaults(),
                              Map.of()))
                      .execute());
      assertTrue(failure.getMessage().contains("found only 12.20"), failure.getMessage());
      assertTrue(failure.getMessage().contains("postgresql-client-15"), failure.getMessage());
      assertEquals(
          0,
          neon.requests().stream().filter(r -> !r.method().equals("GET")).count(),
          "nothing was created");
    }
  }
}
