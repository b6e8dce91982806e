package dev.supaneon.neonlocal.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Makes a data directory ready for a cluster: {@code initdb}, the configuration (SSL, loopback,
 * scram-sha-256), and, when this JVM is root, the unprivileged user every program runs as.
 */
final class ClusterSetup {

  private ClusterSetup() {}

  /** initdb with a generated superuser password and SSL certificate, SSL-only access. */
  static void initialize(PostgresInstallation installation, Path base, Optional<String> osUser)
      throws IOException {
    Path data = base.resolve("data");
    Path socketDirectory = Files.createDirectories(base.resolve("run"));
    Path passwordFile = base.resolve("superuser.password");
    Files.writeString(
        passwordFile, SelfSignedCertificate.randomToken() + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    SelfSignedCertificate certificate = SelfSignedCertificate.generate(base);
    Path certificateFile = base.resolve("server.crt");
    Path keyFile = base.resolve("server.key");
    Files.writeString(certificateFile, certificate.certificatePem(), StandardCharsets.US_ASCII);
    Files.writeString(keyFile, certificate.privateKeyPem(), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    if (osUser.isPresent()) {
      changeOwner(base, osUser.get());
    }
    ExternalCommand.of(
            asUser(
                osUser,
                installation.program("initdb").toString(),
                "--pgdata=" + data,
                "--username=" + LocalPostgresCluster.SUPERUSER,
                "--pwfile=" + passwordFile,
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync"))
        .timeout(Duration.ofMinutes(3))
        .runChecked();
    appendConfiguration(data, socketDirectory, certificateFile, keyFile);
  }

  static void appendConfiguration(Path data, Path socketDirectory, Path certificate, Path key)
      throws IOException {
    String settings =
        String.join(
            "\n",
            "",
            "# written by supaneon: a throw-away server for tests and neon-local",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '" + socketDirectory + "'",
            "ssl = on",
            "ssl_cert_file = '" + certificate + "'",
            "ssl_key_file = '" + key + "'",
            "max_connections = 300",
            "max_locks_per_transaction = 256",
            // durability is pointless for a server deleted on exit, and costs seconds per test
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_wal_size = '1GB'",
            "timezone = 'UTC'",
            "log_timezone = 'UTC'",
            "");
    Files.writeString(
        data.resolve("postgresql.conf"),
        settings,
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    // Only SSL over TCP, as on Neon and Supabase; the socket is for pg_ctl in a private directory.
    String hba =
        String.join(
            "\n",
            "local   all all                scram-sha-256",
            "hostssl all all 127.0.0.1/32   scram-sha-256",
            "");
    Files.writeString(data.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
  }

  static List<String> asUser(Optional<String> osUser, String... command) {
    List<String> full = new ArrayList<>();
    osUser.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
    full.addAll(List.of(command));
    return full;
  }

  /** The unprivileged user to run as when this JVM is root; empty otherwise. */
  static Optional<String> unprivilegedUserWhenRoot() {
    ExternalCommand.Result uid = ExternalCommand.of("id", "-u").run();
    if (uid.exitCode() != 0 || !uid.stdout().strip().equals("0")) {
      return Optional.empty();
    }
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv(LocalPostgresCluster.OS_USER_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured.strip());
    }
    candidates.addAll(List.of("postgres", "nobody"));
    for (String candidate : candidates) {
      if (ExternalCommand.of("id", "-u", candidate).run().exitCode() == 0) {
        return Optional.of(candidate);
      }
    }
    throw new PostgresLaunchException(
        "PostgreSQL refuses to run as root and no unprivileged user (postgres, nobody) exists."
            + " Create one or set "
            + LocalPostgresCluster.OS_USER_VARIABLE
            + ".");
  }

  static void changeOwner(Path root, String user) throws IOException {
    UserPrincipal owner =
        root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.setOwner(path, owner);
      }
    }
  }
}
