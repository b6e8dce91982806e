package dev.supaneon.core.postgres;

import dev.supaneon.core.DaemonThreads;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Secret;
import dev.supaneon.core.progress.RunListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@code COPY ... TO STDOUT} run by psql, its rows read from psql's output in pieces. pgjdbc
 * hands a row over only whole, in one array, and a value may take up to a gigabyte: rows that may
 * be larger than the JVM's heap should hold come this way, held in libpq's memory as pg_dump holds
 * them, and in the JVM a piece at a time. The connection reaches psql through its environment, the
 * statements through its standard input.
 */
final class PsqlCopyOut {

  private static final int PIECE_BYTES = 64 * 1024;

  /** Where the pieces go on the way: the target's COPY, or nowhere. */
  @FunctionalInterface
  interface Pieces {
    Pieces NONE = (bytes, offset, length) -> {};

    void accept(byte[] bytes, int offset, int length) throws SQLException;
  }

  /** The rows a COPY sent, digested, and its bytes. */
  record Rows(RowDigest digest, long bytes) {}

  private final Path psql;
  private final List<Secret> secrets;
  private final RunListener listener;
  private final List<Process> started = new ArrayList<>();
  private boolean aborted;

  PsqlCopyOut(Path psql, List<Secret> secrets, RunListener listener) {
    this.psql = psql;
    this.secrets = List.copyOf(secrets);
    this.listener = listener;
  }

  /**
   * Ends every psql started, and every one started from now on: a failed copy must stop at once,
   * and a psql left running would hold its stream until it finished.
   */
  synchronized void abort() {
    aborted = true;
    started.forEach(Process::destroyForcibly);
  }

  private synchronized void register(Process process) {
    started.add(process);
    if (aborted) {
      process.destroyForcibly();
    }
  }

  private synchronized void unregister(Process process) {
    started.remove(process);
  }

  /**
   * Runs the statements, the last of them before any {@code COMMIT} a {@code COPY ... TO STDOUT} in
   * {@code format}, and digests its rows.
   *
   * @param deadline a {@link System#nanoTime()} value psql must not outlive
   */
  Rows read(
      PostgresUrl server, List<String> statements, CopyFormat format, Pieces pieces, long deadline)
      throws SQLException, InterruptedException {
    Map<String, String> environment = new LinkedHashMap<>(server.libpqEnvironment());
    // pgjdbc's encoding: text rows must be the same bytes whichever client read them.
    environment.put("PGCLIENTENCODING", "UTF8");
    Process process =
        ToolProcesses.start(
            List.of(
                psql.toString(), "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "-"),
            environment,
            "psql");
    register(process);
    ExecutorService errorReader =
        Executors.newSingleThreadExecutor(DaemonThreads.named("supaneon-psql"));
    try {
      Future<ToolProcesses.ErrorLines> errors =
          errorReader.submit(
              new ToolProcesses.ErrorReader(process.getErrorStream(), secrets, listener));
      try (OutputStream script = process.getOutputStream()) {
        script.write((String.join(";\n", statements) + ";\n").getBytes(StandardCharsets.UTF_8));
      }
      RowDigest digest = new RowDigest(format);
      RowStream rows = new RowStream(digest);
      long bytes = 0;
      byte[] piece = new byte[PIECE_BYTES];
      PgToolsException malformed = null;
      boolean ended = false;
      try (InputStream output = process.getInputStream()) {
        int read;
        while ((read = output.read(piece)) >= 0) {
          rows.add(piece, 0, read);
          pieces.accept(piece, 0, read);
          bytes += read;
        }
        ended = true;
        rows.finish();
      } catch (PgToolsException e) {
        malformed = e;
        if (!ended) {
          // Nothing after a malformed piece can be read as rows.
          ToolProcesses.destroy(process);
        }
      }
      if (!process.waitFor(ToolProcesses.remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new SQLException("psql did not finish in time (supaneon.runTimeout)");
      }
      ToolProcesses.ErrorLines lines = ToolProcesses.finish(errors, "psql's error output");
      // psql's own failure, when it ended by itself, says more than the stream it cut short.
      if (ended && process.exitValue() != 0) {
        throw new SQLException(
            "psql failed with exit code " + process.exitValue() + lines.summary());
      }
      if (malformed != null) {
        throw new SQLException(malformed.getMessage(), malformed);
      }
      return new Rows(digest, bytes);
    } catch (IOException e) {
      throw new SQLException("reading rows through psql failed: " + e.getMessage(), "08006", e);
    } finally {
      unregister(process);
      ToolProcesses.destroy(process);
      errorReader.shutdown();
      ToolProcesses.awaitQuietly(errorReader);
    }
  }
}
