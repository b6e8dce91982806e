package dev.supaneon.core.postgres;

import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Secret;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
  private static final int KEPT_ERROR_LINES = 20;
  private static final Duration ERROR_OUTPUT_WAIT = Duration.ofSeconds(10);

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
    ErrorReader dumpErrors = new ErrorReader("pg_dump", dump.getErrorStream(), secrets, listener);
    ErrorReader restoreErrors =
        new ErrorReader("pg_restore", restore.getErrorStream(), secrets, listener);
    dumpErrors.start();
    restoreErrors.start();
    Pump pump =
        new Pump(dump.getInputStream(), restore.getOutputStream(), listener, progressInterval);
    pump.start();
    try {
      long deadline = started + timeout.toNanos();
      if (!dump.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new PgToolsException(
            "pg_dump did not finish within "
                + timeout.toMinutes()
                + " minutes (supaneon.runTimeout); nothing is marked as a backup");
      }
      // The pump closes pg_restore's input once pg_dump's output ends.
      pump.join(TimeUnit.NANOSECONDS.toMillis(remaining(deadline)) + 1);
      if (!restore.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new PgToolsException(
            "pg_restore did not finish within "
                + timeout.toMinutes()
                + " minutes (supaneon.runTimeout); its transaction is rolled back");
      }
      // Both have exited: read their error output to its end before judging it, or an error
      // line still in the pipe would go unseen.
      dumpErrors.join(ERROR_OUTPUT_WAIT.toMillis());
      restoreErrors.join(ERROR_OUTPUT_WAIT.toMillis());
      boolean dumpFailed = dump.exitValue() != 0;
      boolean restoreFailed = restore.exitValue() != 0 || restoreErrors.sawError();
      if (dumpFailed || restoreFailed) {
        StringBuilder message = new StringBuilder();
        if (restoreFailed) {
          message
              .append("pg_restore failed with exit code ")
              .append(restore.exitValue())
              .append(restoreErrors.summary());
        }
        if (dumpFailed) {
          message
              .append(restoreFailed ? "\n" : "")
              .append("pg_dump failed with exit code ")
              .append(dump.exitValue())
              .append(dumpErrors.summary());
        }
        message.append(
            "\nThe restore ran in one transaction, which was rolled back;"
                + " nothing is marked as a backup.");
        throw new PgToolsException(message.toString());
      }
      if (pump.failure() != null) {
        throw new PgToolsException(
            "streaming the dump failed: " + pump.failure().getMessage(), pump.failure());
      }
      return new Result(pump.bytes(), pump.sha256(), Duration.ofNanos(System.nanoTime() - started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgToolsException("interrupted during dump and restore", e);
    } finally {
      destroy(dump);
      destroy(restore);
      joinQuietly(pump);
      joinQuietly(dumpErrors);
      joinQuietly(restoreErrors);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static Process start(List<String> command, Map<String, String> libpq, String name) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // Nothing inherited may redirect the connection: only our own PG* variables count.
    builder.environment().keySet().removeIf(variable -> variable.startsWith("PG"));
    builder.environment().putAll(libpq);
    PgClientTools.pinMessageLanguage(builder.environment());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new PgToolsException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  private static void destroy(Process process) {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies pg_dump's output into pg_restore, hashing and counting as it goes. */
  private static final class Pump extends Thread {
    private final InputStream in;
    private final OutputStream out;
    private final RunListener listener;
    private final Duration progressInterval;
    private final MessageDigest digest;
    private final AtomicLong bytes = new AtomicLong();
    private volatile IOException failure;

    Pump(InputStream in, OutputStream out, RunListener listener, Duration progressInterval) {
      super("supaneon-dump-pump");
      setDaemon(true);
      this.in = in;
      this.out = out;
      this.listener = listener;
      this.progressInterval = progressInterval;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    @Override
    public void run() {
      byte[] buffer = new byte[BUFFER_SIZE];
      long started = System.nanoTime();
      long nextReport = started + progressInterval.toNanos();
      try (in;
          out) {
        int read;
        while ((read = in.read(buffer)) != -1) {
          digest.update(buffer, 0, read);
          out.write(buffer, 0, read);
          long total = bytes.addAndGet(read);
          long now = System.nanoTime();
          if (now >= nextReport) {
            listener.progress(Phase.DUMP_RESTORE, total, Duration.ofNanos(now - started));
            nextReport = now + progressInterval.toNanos();
          }
        }
      } catch (IOException e) {
        // pg_restore stopped reading (it failed) or pg_dump was killed: reported by exit codes
        failure = e;
      }
    }

    long bytes() {
      return bytes.get();
    }

    IOException failure() {
      return failure;
    }

    String sha256() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** Reads a tool's stderr, logs it filtered, and keeps the last lines for the error message. */
  private static final class ErrorReader extends Thread {
    private final InputStream stream;
    private final ToolOutputFilter filter;
    private final RunListener listener;
    private final Deque<String> last = new ArrayDeque<>();
    private final AtomicBoolean sawError = new AtomicBoolean();

    ErrorReader(String tool, InputStream stream, List<Secret> secrets, RunListener listener) {
      super("supaneon-" + tool + "-stderr");
      setDaemon(true);
      this.stream = stream;
      this.filter = new ToolOutputFilter(secrets);
      this.listener = listener;
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.contains("error:")) {
            sawError.set(true);
          }
          filter.filter(line).ifPresent(this::keep);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }

    private void keep(String line) {
      listener.warn(line);
      synchronized (last) {
        if (last.size() == KEPT_ERROR_LINES) {
          last.removeFirst();
        }
        last.addLast(line);
      }
    }

    boolean sawError() {
      return sawError.get();
    }

    String summary() {
      try {
        join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (last) {
        return last.isEmpty() ? "" : ":\n  " + String.join("\n  ", last);
      }
    }
  }
}
