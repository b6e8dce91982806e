package dev.supaneon.neonlocal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived child process (initdb, keytool, pg_ctl, ...) whose output is collected.
 *
 * <p>Secrets are passed only through {@link #environment(String, String)} or files, never as
 * arguments: argument lists are visible to every user of the machine.
 */
final class ExternalCommand {

  /** Output of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {
    String combinedTail(int maxChars) {
      String all = (stdout + "\n" + stderr).strip();
      return all.length() <= maxChars ? all : "..." + all.substring(all.length() - maxChars);
    }
  }

  private final List<String> command;
  private final Map<String, String> environment = new HashMap<>();
  private Path workingDirectory;
  private Duration timeout = Duration.ofMinutes(2);

  private ExternalCommand(List<String> command) {
    this.command = List.copyOf(command);
  }

  static ExternalCommand of(List<String> command) {
    return new ExternalCommand(command);
  }

  static ExternalCommand of(String... command) {
    return new ExternalCommand(List.of(command));
  }

  ExternalCommand environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  ExternalCommand workingDirectory(Path directory) {
    this.workingDirectory = directory;
    return this;
  }

  ExternalCommand timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  List<String> command() {
    return command;
  }

  /** Runs the command and returns its result whatever the exit code. */
  Result run() {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.environment().putAll(environment);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "Could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // nothing is ever written to these programs
    }
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PostgresLaunchException(
            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PostgresLaunchException("Interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new PostgresLaunchException("Could not read the output of " + command.get(0), e);
    }
  }

  /** Runs the command and fails with its output when it exits with a non-zero code. */
  Result runChecked() {
    Result result = run();
    if (result.exitCode() != 0) {
      throw new PostgresLaunchException(
          String.join(" ", command)
              + " failed with exit code "
              + result.exitCode()
              + ":\n"
              + result.combinedTail(4000));
    }
    return result;
  }

  /** Drains a stream on its own thread: the common pool may have a single thread. */
  private static CompletableFuture<String> readAsync(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "supaneon-command-output");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
