package dev.supaneon.core.postgres;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.Secret;
import dev.supaneon.core.progress.RunListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How supaneon runs pg_dump, pg_restore and psql ({@link PsqlCopyOut}): connection details only in
 * their environment, messages untranslated, stderr read to its end, filtered of secrets and, for
 * pg_dump and pg_restore, judged for "error:" (psql is judged by its exit code).
 */
final class ToolProcesses {

  private static final int KEPT_ERROR_LINES = 20;

  /** How long the threads may take to finish reading once the tools have exited. */
  static final Duration OUTPUT_WAIT = Duration.ofSeconds(10);

  private ToolProcesses() {}

  /** The task's result, once it has ended; its failure as the pipeline's. */
  static <T> T finish(Future<T> task, String what) throws InterruptedException {
    try {
      return task.get(OUTPUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PgToolsException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new PgToolsException(
          what
              + " did not end within "
              + OUTPUT_WAIT.toSeconds()
              + " s after the tools exited: a process they started still holds the pipe");
    }
  }

  /**
   * Runs a tool to its end with its stdout discarded; fails when it exits non-zero, reports an
   * error, or outlives {@code deadline} (a {@link System#nanoTime()} value).
   */
  static void runToEnd(
      List<String> command,
      Map<String, String> libpq,
      String name,
      List<Secret> secrets,
      RunListener listener,
      long deadline,
      String afterFailure)
      throws InterruptedException {
    Process process = start(command, libpq, name);
    ExecutorService threads =
        Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-" + name));
    try {
      process.getOutputStream().close();
      process.getInputStream().close();
      Future<ErrorLines> errors =
          threads.submit(new ErrorReader(process.getErrorStream(), secrets, listener));
      if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new PgToolsException(
            name + " did not finish in time (supaneon.runTimeout); " + afterFailure);
      }
      ErrorLines lines = finish(errors, name + "'s error output");
      if (process.exitValue() != 0 || lines.sawError()) {
        throw new PgToolsException(
            name
                + " failed with exit code "
                + process.exitValue()
                + lines.summary()
                + "\n"
                + afterFailure);
      }
    } catch (IOException e) {
      throw new PgToolsException("could not run " + name + ": " + e.getMessage(), e);
    } finally {
      destroy(process);
      threads.shutdown();
      awaitQuietly(threads);
    }
  }

  static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  static Process start(List<String> command, Map<String, String> libpq, String name) {
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

  static void destroy(Process process) {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void awaitQuietly(ExecutorService threads) {
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A tool's last error lines, and whether any said "error:". */
  record ErrorLines(boolean sawError, List<String> last) {
    String summary() {
      return last.isEmpty() ? "" : ":\n  " + String.join("\n  ", last);
    }
  }

  /** Reads a tool's stderr to its end, logs it filtered, and keeps the last lines. */
  record ErrorReader(InputStream stream, List<Secret> secrets, RunListener listener)
      implements Callable<ErrorLines> {

    @Override
    public ErrorLines call() throws IOException {
      ToolOutputFilter filter = new ToolOutputFilter(secrets);
      Deque<String> last = new ArrayDeque<>();
      boolean sawError = false;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          sawError |= line.contains("error:");
          Optional<String> shown = filter.filter(line);
          if (shown.isPresent()) {
            listener.warn(shown.get());
            if (last.size() == KEPT_ERROR_LINES) {
              last.removeFirst();
            }
            last.addLast(shown.get());
          }
        }
      }
      return new ErrorLines(sawError, List.copyOf(last));
    }
  }
}
