package dev.supaneon.junit.it;

import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Makes the verified backup that the sample projects' tests restore from, in the local environment
 * described by the given properties file.
 */
public final class PrepareBackup {

  private PrepareBackup() {}

  public static void main(String[] args) throws IOException {
    Properties environment = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      environment.load(reader);
    }
    BackupReport report =
        new BackupRun(
                new SettingsBuilder()
                    .set(Setting.SOURCE_URL, environment.getProperty("it.source.url"))
                    .set(Setting.NEON_API_KEY, environment.getProperty("it.neon.apiKey"))
                    .set(Setting.NEON_PROJECT_ID, environment.getProperty("it.neon.projectId"))
                    .set(Setting.NEON_API_URL, environment.getProperty("it.neon.apiUrl"))
                    .set(
                        Setting.REPORT_DIRECTORY,
                        Path.of(args[0]).resolveSibling("it-backup").toString())
                    .backup(),
                RunListener.SILENT)
            .execute();
    System.out.println("prepared " + report.finalState());
  }
}
