package dev.supaneon.neonlocal.postgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A server in a Docker container, used only when Testcontainers is on the class path and a Docker
 * engine answers. The official image has no SSL set up, so the entry point installs a generated
 * certificate before handing over to the image's own start script.
 */
final class ContainerPostgresServer implements PostgresServer {

  private final PostgreSQLContainer<?> container;
  private final int majorVersion;

  private ContainerPostgresServer(PostgreSQLContainer<?> container, int majorVersion) {
    this.container = container;
    this.majorVersion = majorVersion;
  }

  static boolean available() {
    try {
      Class.forName(
          "org.testcontainers.DockerClientFactory",
          false,
          ContainerPostgresServer.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed by close()
  static ContainerPostgresServer start(int majorVersion, Path workDirectory) {
    SelfSignedCertificate certificate = SelfSignedCertificate.generate(workDirectory);
    String password = SelfSignedCertificate.randomToken();
    String entrypoint =
        "install -o postgres -g postgres -m 0600 /tmp/supaneon/server.key /var/lib/postgresql/server.key"
            + " && install -o postgres -g postgres -m 0644 /tmp/supaneon/server.crt"
            + " /var/lib/postgresql/server.crt && exec docker-entrypoint.sh \"$@\"";
    PostgreSQLContainer<?> container =
        new PostgreSQLContainer<>(DockerImageName.parse("postgres:" + majorVersion))
            .withUsername("postgres")
            .withPassword(password)
            .withCopyToContainer(
                Transferable.of(certificate.privateKeyPem().getBytes(StandardCharsets.US_ASCII)),
                "/tmp/supaneon/server.key")
            .withCopyToContainer(
                Transferable.of(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                "/tmp/supaneon/server.crt")
            .withCreateContainerCmdModifier(
                command -> command.withEntrypoint("sh", "-c", entrypoint, "supaneon-entrypoint"))
            .withCommand(
                "postgres",
                "-c",
                "fsync=off",
                "-c",
                "ssl=on",
                "-c",
                "ssl_cert_file=/var/lib/postgresql/server.crt",
                "-c",
                "ssl_key_file=/var/lib/postgresql/server.key",
                "-c",
                "max_connections=300");
    container.start();
    return new ContainerPostgresServer(container, majorVersion);
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  public int majorVersion() {
    return majorVersion;
  }

  @Override
  public String superuser() {
    return container.getUsername();
  }

  @Override
  public String superuserPassword() {
    return container.getPassword();
  }

  @Override
  public Optional<Path> binDirectory() {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "PostgreSQL " + majorVersion + " in container " + container.getContainerName();
  }

  @Override
  public void close() {
    container.stop();
  }
}
