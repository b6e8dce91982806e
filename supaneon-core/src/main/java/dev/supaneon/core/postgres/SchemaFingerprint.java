package dev.supaneon.core.postgres;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.progress.RunListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of a database's schema as {@code pg_dump --schema-only} prints it, without what a
 * backup never keeps (owners, privileges, security labels, tablespaces) and without the lines that
 * differ between runs and servers (comments, such as the versions, and settings). Two databases
 * with the same fingerprint have the same objects.
 */
public final class SchemaFingerprint {

  private SchemaFingerprint() {}

  /** Fingerprints the database at {@code url}; {@code arguments} select the scope. */
  public static String of(
      PgClientTools tools,
      PostgresUrl url,
      List<String> arguments,
      RunListener listener,
      Duration timeout)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tools.pgDump().toString());
    command.add("--schema-only");
    command.add("--no-password");
    command.add("--no-owner");
    command.add("--no-acl");
    command.add("--no-security-labels");
    command.add("--no-tablespaces");
    command.add("--no-publications");
    command.add("--no-subscriptions");
    command.addAll(arguments);
    Process dump = ToolProcesses.start(command, url.libpqEnvironment(), "pg_dump");
    ExecutorService threads =
        Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-schema"));
    try {
      dump.getOutputStream().close();
      Future<ToolProcesses.ErrorLines> errors =
          threads.submit(
              new ToolProcesses.ErrorReader(
                  dump.getErrorStream(), List.of(url.password()), listener));
      String digest = digest(dump);
      if (!dump.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new PgToolsException("pg_dump --schema-only did not finish in time");
      }
      ToolProcesses.ErrorLines lines = ToolProcesses.finish(errors, "pg_dump's error output");
      if (dump.exitValue() != 0 || lines.sawError()) {
        throw new PgToolsException(
            "pg_dump --schema-only failed with exit code " + dump.exitValue() + lines.summary());
      }
      return digest;
    } catch (IOException e) {
      throw new PgToolsException("could not read pg_dump's output: " + e.getMessage(), e);
    } finally {
      ToolProcesses.destroy(dump);
      threads.shutdown();
      ToolProcesses.awaitQuietly(threads);
    }
  }

  private static String digest(Process dump) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(dump.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (significant(line)) {
          sha256.update(line.getBytes(StandardCharsets.UTF_8));
          sha256.update((byte) '\n');
        }
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /**
   * Whether a line of the dump describes an object: comments carry versions and times, settings and
   * {@code \restrict} keys change with every run.
   */
  static boolean significant(String line) {
    return !(line.isBlank()
        || line.startsWith("--")
        || line.startsWith("\\restrict")
        || line.startsWith("\\unrestrict")
        || line.startsWith("SET ")
        || line.startsWith("SELECT pg_catalog.set_config("));
  }
}
