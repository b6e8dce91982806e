package dev.supaneon.neonlocal.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * An existing server given by a superuser URL ({@code postgresql://user:password@host:port/db}). It
 * must accept SSL connections. It is not stopped on close: it is not ours.
 */
public final class ExternalPostgresServer implements PostgresServer {

  /** Environment variable with a superuser URL of an existing server to use for tests. */
  public static final String URL_VARIABLE = "SUPANEON_TEST_PG_URL";

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final int majorVersion;

  private ExternalPostgresServer(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.majorVersion = queryMajorVersion();
  }

  /** Connects to the server named by a URL; the URL's secret never reaches an error message. */
  public static ExternalPostgresServer fromUrl(String url) {
    String withoutJdbc = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    URI uri;
    try {
      uri = new URI(withoutJdbc);
    } catch (URISyntaxException e) {
      throw new PostgresLaunchException(
          "The PostgreSQL URL is not a valid URI; expected"
              + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new PostgresLaunchException(
          "The PostgreSQL URL must start with postgresql://, not " + scheme + "://");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || !userInfo.contains(":") || uri.getHost() == null) {
      throw new PostgresLaunchException(
          "The PostgreSQL URL must name a host, a superuser and its password:"
              + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    }
    int colon = userInfo.indexOf(':');
    return new ExternalPostgresServer(
        uri.getHost(),
        uri.getPort() == -1 ? 5432 : uri.getPort(),
        URLDecoder.decode(userInfo.substring(0, colon), StandardCharsets.UTF_8),
        URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
  }

  private int queryMajorVersion() {
    try (Connection connection = connectAsSuperuser("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
      rows.next();
      return Integer.parseInt(rows.getString(1)) / 10000;
    } catch (SQLException e) {
      throw new PostgresLaunchException(
          "Could not connect to the PostgreSQL server at "
              + host
              + ":"
              + port
              + " given by "
              + URL_VARIABLE
              + " with SSL: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public int majorVersion() {
    return majorVersion;
  }

  @Override
  public String superuser() {
    return user;
  }

  @Override
  public String superuserPassword() {
    return password;
  }

  @Override
  public Optional<Path> binDirectory() {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "existing PostgreSQL " + majorVersion + " at " + host + ":" + port;
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
