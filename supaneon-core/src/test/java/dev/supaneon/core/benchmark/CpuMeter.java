package dev.supaneon.core.benchmark;

import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time one method's run costs the whole machine, read from Linux's /proc: on two cores, a
 * run that needs more than twice its wall time in CPU cannot be faster however it is arranged.
 *
 * <p>Four parts: each server's finished sessions (what its postmaster has reaped), this JVM's own
 * threads (neon-local's proxy and API; nearly nothing while another method runs), and the child
 * processes this JVM ran and waited for (the backup JVM with its pg_dump and pg_restore, pgcopydb,
 * the raw pipeline's shell and tools). Sessions still open are not counted, so a reading waits for
 * the servers to reap the run's sessions. Where /proc is missing every figure is absent.
 */
final class CpuMeter {

  /** Linux reports process times in USER_HZ ticks: 100 a second on its mainstream architectures. */
  private static final long MILLIS_PER_TICK = 10;

  /** CPU milliseconds by where they were spent: since the machine started, or by one run. */
  record Usage(long sourceServer, long targetServer, long neonLocal, long clients) {
    long total() {
      return sourceServer + targetServer + neonLocal + clients;
    }

    Usage since(Usage earlier) {
      return new Usage(
          sourceServer - earlier.sourceServer,
          targetServer - earlier.targetServer,
          neonLocal - earlier.neonLocal,
          clients - earlier.clients);
    }
  }

  private final long sourcePostmaster;
  private final long targetPostmaster;

  private CpuMeter(long sourcePostmaster, long targetPostmaster) {
    this.sourcePostmaster = sourcePostmaster;
    this.targetPostmaster = targetPostmaster;
  }

  /** A meter for these two local servers, or empty where /proc cannot tell. */
  static Optional<CpuMeter> of(PostgresServer source, PostgresServer target) {
    try {
      return Optional.of(new CpuMeter(postmaster(source), postmaster(target)));
    } catch (IOException | SQLException | RuntimeException e) {
      System.err.println("CPU use is not measured here: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** What one method's run gave, and the CPU it cost when measured. */
  record Measured<T>(T result, Optional<Usage> cpu) {}

  /** One method's run. */
  interface Run<T> {
    T run() throws Exception;
  }

  /** Runs it, with its CPU use when a meter is given. */
  static <T> Measured<T> measure(Optional<CpuMeter> meter, Run<T> run) throws Exception {
    if (meter.isEmpty()) {
      return new Measured<>(run.run(), Optional.empty());
    }
    Usage before = meter.get().read();
    T result = run.run();
    // The servers reap a closed session a moment after its client has gone.
    Thread.sleep(300);
    return new Measured<>(result, Optional.of(meter.get().read().since(before)));
  }

  /** This JVM's own threads are neon-local's; its reaped children are the clients. */
  private Usage read() throws IOException {
    long self = ProcessHandle.current().pid();
    return new Usage(
        reapedChildren(sourcePostmaster),
        reapedChildren(targetPostmaster),
        own(self),
        reapedChildren(self));
  }

  /** The postmaster: the parent of a session's server process. */
  private static long postmaster(PostgresServer server) throws IOException, SQLException {
    try (Connection connection = server.connectAsSuperuser("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_catalog.pg_backend_pid()")) {
      rows.next();
      long session = rows.getLong(1);
      // A server in a container reports a process id of its own namespace, not this machine's.
      String command =
          Files.readString(
              Path.of("/proc", Long.toString(session), "comm"), StandardCharsets.UTF_8);
      if (!command.strip().equals("postgres")) {
        throw new IOException(server.description() + " does not run on this machine");
      }
      return Long.parseLong(statFields(session)[1]);
    }
  }

  /**
   * This JVM's CPU split by its threads' kinds, where /proc tells: the JIT compilers (which live as
   * long as the JVM), the collector and VM threads, and the rest (application threads, those that
   * have ended included).
   */
  static Optional<String> threadsOfThisJvm() {
    long pid = ProcessHandle.current().pid();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long c1 = 0;
      long c2 = 0;
      long vm = 0;
      for (Path task : tasks.toList()) {
        String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        if (name.startsWith("C1 Compiler")) {
          c1 += millis;
        } else if (name.startsWith("C2 Compiler")) {
          c2 += millis;
        } else if (name.startsWith("VM ") || name.startsWith("GC ") || name.startsWith("G1 ")) {
          vm += millis;
        }
      }
      long total = own(pid);
      return Optional.of(
          String.format(
              Locale.ROOT,
              "C2 compiler=%d C1 compiler=%d gc and vm=%d the rest=%d",
              c2,
              c1,
              vm,
              total - c2 - c1 - vm));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long own(long pid) throws IOException {
    String[] fields = statFields(pid);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
  }

  private static long reapedChildren(long pid) throws IOException {
    String[] fields = statFields(pid);
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * MILLIS_PER_TICK;
  }

  /** The fields of /proc/PID/stat after the command name, which may hold spaces: state first. */
  private static String[] statFields(long pid) throws IOException {
    String stat =
        Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
