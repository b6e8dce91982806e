package dev.supaneon.core.postgres;

import static dev.supaneon.core.postgres.ToolProcesses.awaitQuietly;
import static dev.supaneon.core.postgres.ToolProcesses.destroy;
import static dev.supaneon.core.postgres.ToolProcesses.finish;
import static dev.supaneon.core.postgres.ToolProcesses.remaining;
import static dev.supaneon.core.postgres.ToolProcesses.start;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Secret;
import dev.supaneon.core.postgres.ToolProcesses.ErrorLines;
import dev.supaneon.core.postgres.ToolProcesses.ErrorReader;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code pg_dump -Fc} streamed straight into {@code pg_restore}: no dump file touches the disk, and
 * the archive's SHA-256 and size are computed as the bytes pass through a fixed buffer, so memory
 * does not grow with the database.
 *
 * <p>Either process failing fails the pipeline and stops the other. Connection details reach the
 * processes through their environment only; their stderr is filtered before it is logged.
 */
public final class DumpRestorePipeline {

  private static final int BUFFER_SIZE = 256 * 1024;

  /** What went through the pipe. */
  public record Result(long bytes, String sha256, Duration elapsed) {}

  private final PgClientTools tools;
  private final PostgresUrl source;
  private final PostgresUrl target;
  private final List<String> dumpArguments;
  private final RunListener listener;
  private final Duration timeout;
  private final Duration progressInterval;

  /**
   * @param dumpArguments extra pg_dump arguments (scope, snapshot); never connection details
   */
  public DumpRestorePipeline(
      PgClientTools tools,
      PostgresUrl source,
      PostgresUrl target,
      List<String> dumpArguments,
      RunListener listener,
      Duration timeout,
      Duration progressInterval) {
    this.tools = tools;
    this.source = source;
    this.target = target;
    this.dumpArguments = List.copyOf(dumpArguments);
    this.listener = listener;
    this.timeout = timeout;
    this.progressInterval = progressInterval;
  }

  /** The pg_dump command line: no host, user, database or password, ever. */
  public List<String> dumpCommand() {
    List<String> command = new ArrayList<>();
    command.add(tools.pgDump().toString());
    command.add("--format=custom");
    // The archive never touches a disk or a network: compressing it would only cost CPU.
    command.add("--compress=0");
    command.add("--no-password");
    command.addAll(dumpArguments);
    return command;
  }

  /** The pg_restore command line: only the target database's name. */
  public List<String> restoreCommand() {
    List<String> command = new ArrayList<>();
    command.add(tools.pgRestore().toString());
    command.add("--no-password");
    command.add("--exit-on-error");
    command.add("--single-transaction");
    // The target role is not a superuser and Neon has neither the source's roles, its label
    // providers (pgsodium) nor its tablespaces: restore the objects and data, not those.
    command.add("--no-owner");
    command.add("--no-acl");
    command.add("--no-security-labels");
    command.add("--no-tablespaces");
    command.add("--dbname=" + target.database());
    return command;
  }

  public Result run() {
    long started = System.nanoTime();
    List<Secret> secrets = List.of(source.password(), target.password());
    Process dump = start(dumpCommand(), source.libpqEnvironment(), "pg_dump");
    Process restore;
    try {
      restore = start(restoreCommand(), target.libpqEnvironment(), "pg_restore");
    } catch (PgToolsException e) {
      destroy(dump);
      throw e;
    }
    ExecutorService threads =
        Executors.newFixedThreadPool(3, DaemonThreads.named("supaneon-pipeline"));
    Future<Copied> pump =
        threads.submit(
            new Pump(dump.getInputStream(), restore.getOutputStream(), listener, progressInterval));
    Future<ErrorLines> dumpErrors =
        threads.submit(new ErrorReader(dump.getErrorStream(), secrets, listener));
    Future<ErrorLines> restoreErrors =
        threads.submit(new ErrorReader(restore.getErrorStream(), secrets, listener));
    try {
      long deadline = started + timeout.toNanos();
      if (!dump.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new PgToolsException(
            "pg_dump did not finish within "
                + timeout.toMinutes()
                + " minutes (supaneon.runTimeout); nothing is marked as a backup");
      }
      // The pump closes pg_restore's input once pg_dump's output ends.
      if (!restore.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new PgToolsException(
            "pg_restore did not finish within "
                + timeout.toMinutes()
                + " minutes (supaneon.runTimeout); its transaction is rolled back");
      }
      // Both have exited: their error output is read to its end before it is judged, or an
      // error line still in the pipe would go unseen.
      ErrorLines dumpLines = finish(dumpErrors, "pg_dump's error output");
      ErrorLines restoreLines = finish(restoreErrors, "pg_restore's error output");
      boolean dumpFailed = dump.exitValue() != 0;
      boolean restoreFailed = restore.exitValue() != 0 || restoreLines.sawError();
      if (dumpFailed || restoreFailed) {
        StringBuilder message = new StringBuilder();
        if (restoreFailed) {
          message
              .append("pg_restore failed with exit code ")
              .append(restore.exitValue())
              .append(restoreLines.summary());
        }
        if (dumpFailed) {
          message
              .append(restoreFailed ? "\n" : "")
              .append("pg_dump failed with exit code ")
              .append(dump.exitValue())
              .append(dumpLines.summary());
        }
        message.append(
            "\nThe restore ran in one transaction, which was rolled back;"
                + " nothing is marked as a backup.");
        throw new PgToolsException(message.toString());
      }
      Copied copied = finish(pump, "streaming the dump");
      return new Result(
          copied.bytes(), copied.sha256(), Duration.ofNanos(System.nanoTime() - started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgToolsException("interrupted during dump and restore", e);
    } finally {
      destroy(dump);
      destroy(restore);
      // With both processes gone their pipes are closed, so the threads end at once.
      threads.shutdown();
      awaitQuietly(threads);
    }
  }

  /** What went through the pump. */
  private record Copied(long bytes, String sha256) {}

  /** Copies pg_dump's output into pg_restore, hashing and counting as it goes. */
  private record Pump(
      InputStream in, OutputStream out, RunListener listener, Duration progressInterval)
      implements Callable<Copied> {

    @Override
    public Copied call() throws IOException, NoSuchAlgorithmException {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[BUFFER_SIZE];
      long total = 0;
      long started = System.nanoTime();
      long nextReport = started + progressInterval.toNanos();
      // A write that fails means pg_restore stopped reading: the copy is incomplete.
      try (in;
          out) {
        int read;
        while ((read = in.read(buffer)) != -1) {
          digest.update(buffer, 0, read);
          out.write(buffer, 0, read);
          total += read;
          long now = System.nanoTime();
          if (now >= nextReport) {
            listener.progress(Phase.COPY, total, Duration.ofNanos(now - started));
            nextReport = now + progressInterval.toNanos();
          }
        }
      }
      return new Copied(total, HexFormat.of().formatHex(digest.digest()));
    }
  }
}
