package dev.supaneon.core.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A matching pair of {@code pg_dump} and {@code pg_restore} from one installation, and the major
 * version they report.
 *
 * <p>pg_dump refuses servers newer than itself, and a pg_restore newer than the target server may
 * emit settings the target does not know. So the tools must satisfy {@code source major <= tools
 * major <= target major}; the highest installed major in that range is chosen.
 */
public record PgClientTools(Path pgDump, Path pgRestore, int majorVersion, String version) {

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

  /** How long {@code --version} may take before the program is taken for broken. */
  static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Makes a child tool speak untranslated messages, whatever the user's locale: supaneon reads
   * their output ({@code error:}, version lines), so detection must not depend on language.
   */
  static void pinMessageLanguage(Map<String, String> environment) {
    environment.remove("LC_ALL");
    environment.remove("LANGUAGE");
    environment.put("LC_MESSAGES", "C");
  }

  /**
   * Chooses the tools for a source and target server. {@code configured} (SUPANEON_PG_BIN) is used
   * alone when given.
   */
  public static PgClientTools choose(Optional<Path> configured, int sourceMajor, int targetMajor) {
    return choose(candidates(configured), configured, sourceMajor, targetMajor);
  }

  /**
   * The tools to choose from: {@code configured} (SUPANEON_PG_BIN) alone when given, else every
   * pair on this machine. Slow (two processes per directory), and independent of the servers, so a
   * caller may look while it talks to them.
   */
  public static List<PgClientTools> candidates(Optional<Path> configured) {
    return configured.isPresent()
        ? inspect(configured.get()).map(List::of).orElse(List.of())
        : discover();
  }

  /** Chooses among {@link #candidates} for a source and target server. */
  public static PgClientTools choose(
      List<PgClientTools> candidates, Optional<Path> configured, int sourceMajor, int targetMajor) {
    if (targetMajor < sourceMajor) {
      throw new PgToolsException(
          "The Neon project runs PostgreSQL "
              + targetMajor
              + ", older than the source's PostgreSQL "
              + sourceMajor
              + ": a dump of a newer server cannot be restored reliably into an older one."
              + " Create the Neon project with PostgreSQL "
              + sourceMajor
              + " or newer.");
    }
    if (configured.isPresent() && candidates.isEmpty()) {
      throw new PgToolsException(
          "SUPANEON_PG_BIN (supaneon.pgBin) names "
              + configured.get()
              + ", which does not hold working pg_dump and pg_restore programs. Point it at a"
              + " PostgreSQL client bin directory such as /usr/lib/postgresql/"
              + sourceMajor
              + "/bin.");
    }
    return candidates.stream()
        .filter(t -> t.majorVersion() >= sourceMajor && t.majorVersion() <= targetMajor)
        .max(Comparator.comparingInt(PgClientTools::majorVersion))
        .orElseThrow(() -> noMatch(candidates, sourceMajor, targetMajor, configured));
  }

  private static PgToolsException noMatch(
      List<PgClientTools> found, int sourceMajor, int targetMajor, Optional<Path> configured) {
    String range =
        sourceMajor == targetMajor
            ? Integer.toString(sourceMajor)
            : "between " + sourceMajor + " and " + targetMajor;
    String seen =
        found.isEmpty()
            ? "none were found"
            : "found only "
                + String.join(
                    ", ",
                    found.stream()
                        .map(t -> t.version() + " in " + t.pgDump().getParent())
                        .toList());
    return new PgToolsException(
        "The source server runs PostgreSQL "
            + sourceMajor
            + " and the Neon project PostgreSQL "
            + targetMajor
            + ", so pg_dump and pg_restore of a major version "
            + range
            + " are needed, but "
            + seen
            + ". Install them (Debian/Ubuntu: apt-get install postgresql-client-"
            + targetMajor
            + " from the PostgreSQL apt repository; macOS: brew install postgresql@"
            + targetMajor
            + ")"
            + (configured.isPresent()
                ? " and point SUPANEON_PG_BIN at them."
                : ", or set SUPANEON_PG_BIN to their bin directory."));
  }

  /** Every pair of tools on this machine: versioned package directories first, then the PATH. */
  public static List<PgClientTools> discover() {
    Set<Path> directories = new LinkedHashSet<>();
    for (String parent : List.of("/usr/lib/postgresql", "/usr/local/opt")) {
      directories.addAll(versionedBinDirectories(Path.of(parent)));
    }
    for (int major = 20; major >= 12; major--) {
      directories.add(Path.of("/usr/pgsql-" + major, "bin"));
      directories.add(Path.of("/opt/homebrew/opt/postgresql@" + major, "bin"));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          directories.add(Path.of(entry));
        }
      }
    }
    List<PgClientTools> tools = new ArrayList<>();
    for (Path directory : directories) {
      inspect(directory).ifPresent(tools::add);
    }
    return tools;
  }

  private static List<Path> versionedBinDirectories(Path parent) {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(parent)) {
      return children
          .map(c -> c.resolve("bin"))
          .filter(Files::isDirectory)
          .sorted(Comparator.reverseOrder())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The installation's psql, beside pg_dump: rows too large for the JVM's heap go through it. */
  public Path psql() {
    return pgDump.resolveSibling("psql");
  }

  /** The tools in a directory, if both are there and report the same version. */
  static Optional<PgClientTools> inspect(Path directory) {
    Path dump = directory.resolve("pg_dump");
    Path restore = directory.resolve("pg_restore");
    if (!Files.isExecutable(dump) || !Files.isExecutable(restore)) {
      return Optional.empty();
    }
    Optional<String> dumpVersion = versionOf(dump, VERSION_TIMEOUT);
    Optional<String> restoreVersion = versionOf(restore, VERSION_TIMEOUT);
    if (dumpVersion.isEmpty() || !dumpVersion.equals(restoreVersion)) {
      return Optional.empty();
    }
    Matcher matcher = VERSION.matcher(dumpVersion.get());
    matcher.find();
    String version = matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2));
    return Optional.of(
        new PgClientTools(dump, restore, Integer.parseInt(matcher.group(1)), version));
  }

  /** The program's version line; empty when it fails, or hangs longer than {@code timeout}. */
  static Optional<String> versionOf(Path program, Duration timeout) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true);
      pinMessageLanguage(builder.environment());
      Process process = builder.start();
      process.getOutputStream().close();
      // Wait first: a hung program must not block a read. A version line fits the pipe's buffer.
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      if (process.exitValue() != 0) {
        return Optional.empty();
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Matcher matcher = VERSION.matcher(output);
      return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
