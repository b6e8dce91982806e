package dev.supaneon.core.config;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A PostgreSQL connection URL ({@code postgresql://user:password@host:port/db?sslmode=require}),
 * parsed once and validated: SSL must be required, the password is a {@link Secret}, and {@link
 * #toString()} masks it.
 *
 * <p>Child processes get the connection through {@link #libpqEnvironment()} and JDBC through {@link
 * #jdbcUrl()} plus {@link #jdbcProperties()}; the full URL is never handed on.
 */
public final class PostgresUrl {

  /** The SSL modes that refuse an unencrypted connection. */
  public static final Set<String> SECURE_SSL_MODES = Set.of("require", "verify-ca", "verify-full");

  private static final Map<String, String> PARAMETER_TO_ENVIRONMENT =
      Map.of(
          "sslmode", "PGSSLMODE",
          "sslrootcert", "PGSSLROOTCERT",
          // Neon's connection strings carry channel_binding=require.
          "channel_binding", "PGCHANNELBINDING",
          "application_name", "PGAPPNAME",
          "options", "PGOPTIONS",
          "connect_timeout", "PGCONNECT_TIMEOUT");

  private final String user;
  private final Secret password;
  private final String host;
  private final int port;
  private final String database;
  private final Map<String, String> parameters;

  private PostgresUrl(
      String user,
      Secret password,
      String host,
      int port,
      String database,
      Map<String, String> parameters) {
    this.user = user;
    this.password = password;
    this.host = host;
    this.port = port;
    this.database = database;
    // In the order the URL gave them, so that a printed URL reads like the one configured.
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * Parses and validates a URL. {@code setting} names the setting in error messages, which never
   * contain the URL itself.
   */
  public static PostgresUrl parse(String url, Setting setting) {
    if (url == null || url.isBlank()) {
      throw new ConfigException(setting, "is not set; give a postgresql:// URL");
    }
    String text = url.strip();
    if (text.startsWith("jdbc:")) {
      text = text.substring("jdbc:".length());
    }
    int schemeEnd = text.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new ConfigException(
          setting,
          "must be a URL of the form postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require");
    }
    String rest = text.substring(schemeEnd + 3);
    // The password may hold '@' or '/' that were not percent-encoded: the user info ends at the
    // last '@' of the URL.
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? "" : rest.substring(0, at);
    String hostAndMore = rest.substring(at + 1);
    int pathStart = indexOfAny(hostAndMore, '/', '?');
    String hostPort = pathStart < 0 ? hostAndMore : hostAndMore.substring(0, pathStart);
    String pathAndQuery = pathStart < 0 ? "" : hostAndMore.substring(pathStart);
    if (hostPort.contains(",")) {
      throw new ConfigException(setting, "names several hosts; give exactly one host");
    }

    String user;
    Secret password;
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      user = decode(userInfo, setting);
      password = Secret.of("");
    } else {
      user = decode(userInfo.substring(0, colon), setting);
      password = Secret.of(decode(userInfo.substring(colon + 1), setting));
    }
    if (user.isEmpty()) {
      throw new ConfigException(
          setting, "has no user name; write postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    }

    String host;
    int port = 5432;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new ConfigException(setting, "has an IPv6 host without its closing ']'");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (after.startsWith(":")) {
        port = port(after.substring(1), setting);
      }
    } else {
      int portColon = hostPort.lastIndexOf(':');
      host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
      if (portColon >= 0) {
        port = port(hostPort.substring(portColon + 1), setting);
      }
    }
    if (host.isEmpty()) {
      throw new ConfigException(setting, "has no host name");
    }

    String path = pathAndQuery;
    String query = "";
    int question = pathAndQuery.indexOf('?');
    if (question >= 0) {
      path = pathAndQuery.substring(0, question);
      query = pathAndQuery.substring(question + 1);
    }
    String database = path.startsWith("/") ? decode(path.substring(1), setting) : "";
    if (database.isEmpty()) {
      database = user;
    }

    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals), setting);
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1), setting);
      if (name.isEmpty()) {
        throw new ConfigException(setting, "has a parameter without a name after '?' or '&'");
      }
      if (name.equals("user") || name.equals("password")) {
        throw new ConfigException(
            setting, "carries the " + name + " as a parameter; put it before the host instead");
      }
      if (!PARAMETER_TO_ENVIRONMENT.containsKey(name)) {
        throw new ConfigException(
            setting,
            "has the unsupported parameter '"
                + name
                + "'; supported are "
                + String.join(", ", PARAMETER_TO_ENVIRONMENT.keySet().stream().sorted().toList()));
      }
      parameters.put(name, value);
    }
    String sslMode = parameters.get("sslmode");
    if (sslMode == null || !SECURE_SSL_MODES.contains(sslMode)) {
      throw new ConfigException(
          setting,
          (sslMode == null ? "has no sslmode" : "has sslmode=" + sslMode)
              + "; supaneon connects only with SSL: add ?sslmode=require"
              + " (or verify-ca / verify-full) to the URL");
    }
    return new PostgresUrl(user, password, host, port, database, parameters);
  }

  private static int port(String text, Setting setting) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException(setting, "has a port that is not a number between 1 and 65535");
    }
  }

  private static String decode(String text, Setting setting) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          setting,
          "has a malformed %-escape; percent-encode special characters in the password"
              + " (for example % as %25)");
    }
  }

  private static int indexOfAny(String text, char first, char second) {
    int a = text.indexOf(first);
    int b = text.indexOf(second);
    if (a < 0) {
      return b;
    }
    return b < 0 ? a : Math.min(a, b);
  }

  public String user() {
    return user;
  }

  public Secret password() {
    return password;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String sslMode() {
    return parameters.get("sslmode");
  }

  /** A JDBC URL without credentials; pair it with {@link #jdbcProperties()}. */
  public String jdbcUrl() {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + hostPart + ":" + port + "/" + encode(database);
  }

  /** User, password and SSL settings for the JDBC driver. */
  public Properties jdbcProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password.reveal());
    properties.setProperty("sslmode", sslMode());
    if (parameters.containsKey("sslrootcert")) {
      properties.setProperty("sslrootcert", parameters.get("sslrootcert"));
    }
    if (parameters.containsKey("channel_binding")) {
      properties.setProperty("channelBinding", parameters.get("channel_binding"));
    }
    if (parameters.containsKey("options")) {
      properties.setProperty("options", parameters.get("options"));
    }
    properties.setProperty(
        "ApplicationName", parameters.getOrDefault("application_name", "supaneon"));
    properties.setProperty("connectTimeout", parameters.getOrDefault("connect_timeout", "30"));
    properties.setProperty("tcpKeepAlive", "true");
    // A server error's DETAIL can quote row values ("Key (email)=(...) already exists"); messages
    // reach logs and reports, production rows must not.
    properties.setProperty("logServerErrorDetail", "false");
    return properties;
  }

  /**
   * The libpq environment ({@code PGHOST}, {@code PGPASSWORD}, ...) for pg_dump and pg_restore, so
   * that nothing about the connection appears in their argument lists.
   */
  public Map<String, String> libpqEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PGHOST", host);
    environment.put("PGPORT", Integer.toString(port));
    environment.put("PGUSER", user);
    environment.put("PGDATABASE", database);
    if (!password.isEmpty()) {
      environment.put("PGPASSWORD", password.reveal());
    }
    environment.put("PGAPPNAME", "supaneon");
    parameters.forEach((name, value) -> environment.put(PARAMETER_TO_ENVIRONMENT.get(name), value));
    return environment;
  }

  /**
   * The full libpq URI, password included, for a user who asked for it (a test's {@code psql}). A
   * secret: never log it and never pass it on a command line.
   */
  public String revealedUri() {
    return uri(password.isEmpty() ? "" : ":" + encode(password.reveal()));
  }

  /**
   * The URI without any password, to hand to people and store in an application's settings; the
   * password comes from elsewhere (the Neon Console, a secret store).
   */
  public String withoutPassword() {
    return uri("");
  }

  /** The URL with the password masked, for logs. */
  @Override
  public String toString() {
    return uri(password.isEmpty() ? "" : ":****");
  }

  private String uri(String passwordPart) {
    StringBuilder text =
        new StringBuilder("postgresql://")
            .append(encode(user))
            .append(passwordPart)
            .append('@')
            .append(host.contains(":") ? "[" + host + "]" : host)
            .append(':')
            .append(port)
            .append('/')
            .append(encode(database));
    String separator = "?";
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      text.append(separator)
          .append(parameter.getKey())
          .append('=')
          .append(encode(parameter.getValue()).replace("%2F", "/").replace("%3A", ":"));
      separator = "&";
    }
    return text.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
