package dev.supaneon.neonlocal.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL server installation on this machine: a directory with {@code initdb}, {@code
 * postgres} and {@code pg_ctl}, and the version they report.
 */
public record PostgresInstallation(Path binDirectory, int majorVersion, String version) {

  /** Environment variable naming the directory that holds the PostgreSQL programs. */
  public static final String BIN_DIRECTORY_VARIABLE = "SUPANEON_PG_BIN";

  private static final List<String> SERVER_PROGRAMS = List.of("initdb", "postgres", "pg_ctl");
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

  public Path program(String name) {
    return binDirectory.resolve(name);
  }

  /**
   * Finds an installation: the configured directory when given, else the highest major version
   * found on the PATH and in the usual package locations ({@code /usr/lib/postgresql/<N>/bin},
   * ...), or the requested major version.
   */
  public static PostgresInstallation locate(
      Optional<Path> configuredDirectory, OptionalInt wantedMajor) {
    if (configuredDirectory.isPresent()) {
      Path directory = configuredDirectory.get();
      PostgresInstallation installation =
          inspect(directory)
              .orElseThrow(
                  () ->
                      new PostgresLaunchException(
                          "The configured PostgreSQL directory "
                              + directory
                              + " does not contain initdb, postgres and pg_ctl. Point "
                              + BIN_DIRECTORY_VARIABLE
                              + " at the server's bin directory, for example"
                              + " /usr/lib/postgresql/15/bin."));
      if (wantedMajor.isPresent() && installation.majorVersion() != wantedMajor.getAsInt()) {
        throw new PostgresLaunchException(
            "PostgreSQL "
                + wantedMajor.getAsInt()
                + " was requested but "
                + directory
                + " holds PostgreSQL "
                + installation.version());
      }
      return installation;
    }
    List<PostgresInstallation> found = discover();
    Stream<PostgresInstallation> candidates = found.stream();
    if (wantedMajor.isPresent()) {
      candidates = candidates.filter(i -> i.majorVersion() == wantedMajor.getAsInt());
    }
    return candidates
        .max(Comparator.comparingInt(PostgresInstallation::majorVersion))
        .orElseThrow(() -> notFound(found, wantedMajor));
  }

  /** Every installation found on the PATH and in the usual locations, in search order. */
  public static List<PostgresInstallation> discover() {
    Set<Path> directories = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          directories.add(Path.of(entry));
        }
      }
    }
    for (String parent : List.of("/usr/lib/postgresql", "/usr/local/opt")) {
      directories.addAll(versionedBinDirectories(Path.of(parent)));
    }
    for (int major = 20; major >= 12; major--) {
      directories.add(Path.of("/usr/pgsql-" + major, "bin"));
      directories.add(Path.of("/opt/homebrew/opt/postgresql@" + major, "bin"));
    }
    directories.add(Path.of("/usr/local/pgsql/bin"));
    List<PostgresInstallation> installations = new ArrayList<>();
    for (Path directory : directories) {
      inspect(directory)
          .filter(
              found ->
                  installations.stream()
                      .noneMatch(i -> i.binDirectory().equals(found.binDirectory())))
          .ifPresent(installations::add);
    }
    return installations;
  }

  private static List<Path> versionedBinDirectories(Path parent) {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(parent)) {
      return children
          .map(child -> child.resolve("bin"))
          .filter(Files::isDirectory)
          .sorted(Comparator.reverseOrder())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The installation in a directory, if it holds all server programs. */
  static Optional<PostgresInstallation> inspect(Path candidate) {
    // Follow links such as /usr/local/bin/postgres to the installation's own directory, which
    // also holds pg_dump, pg_restore and the rest.
    Path directory;
    try {
      if (!Files.isExecutable(candidate.resolve("postgres"))) {
        return Optional.empty();
      }
      directory = candidate.resolve("postgres").toRealPath().getParent();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String program : SERVER_PROGRAMS) {
      if (!Files.isExecutable(directory.resolve(program))) {
        return Optional.empty();
      }
    }
    ExternalCommand.Result result =
        ExternalCommand.of(directory.resolve("postgres").toString(), "--version").run();
    Matcher matcher = VERSION.matcher(result.stdout());
    if (result.exitCode() != 0 || !matcher.find()) {
      return Optional.empty();
    }
    String version = matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2));
    return Optional.of(
        new PostgresInstallation(
            directory.toAbsolutePath().normalize(), Integer.parseInt(matcher.group(1)), version));
  }

  private static PostgresLaunchException notFound(
      List<PostgresInstallation> found, OptionalInt wantedMajor) {
    String seen =
        found.isEmpty()
            ? "none was found"
            : "found only "
                + found.stream().map(i -> i.version() + " in " + i.binDirectory()).toList();
    return new PostgresLaunchException(
        "No PostgreSQL server installation"
            + (wantedMajor.isPresent() ? " of version " + wantedMajor.getAsInt() : "")
            + " was found ("
            + seen
            + "). Install the server package (Debian: apt-get install postgresql), set "
            + BIN_DIRECTORY_VARIABLE
            + " to its bin directory, or set SUPANEON_TEST_PG_URL to an existing server.");
  }
}
