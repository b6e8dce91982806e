package dev.supaneon.core.postgres;

import dev.supaneon.core.config.PostgresUrl;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/** Opens JDBC connections from a {@link PostgresUrl}, turning failures into actionable errors. */
public final class PgConnections {

  private PgConnections() {}

  /**
   * Connects; {@code what} names the database in errors, for example "the source database
   * (SUPABASE_DATABASE_URL)".
   */
  public static Connection open(PostgresUrl url, String what) {
    try {
      return DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
    } catch (SQLException e) {
      throw new DatabaseConnectionException(describe(url, what, e), e);
    }
  }

  static String describe(PostgresUrl url, String what, SQLException e) {
    String base =
        "Could not connect to "
            + what
            + " at "
            + url.host()
            + ":"
            + url.port()
            + "/"
            + url.database()
            + " as "
            + url.user()
            + ": "
            + url.password().scrub(String.valueOf(e.getMessage()));
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("28P01") || state.equals("28000")) {
      return base + ". Check the user name and password in the URL.";
    }
    if (state.equals("3D000")) {
      return base + ". Check the database name in the URL.";
    }
    if (onlyIpv6Unreachable(url.host(), e)) {
      return base
          + ". The host has only IPv6 addresses and this machine has no IPv6 route (GitHub"
          + " Actions runners have none). Use Supabase's session pooler connection string"
          + " instead (Connect > Session pooler: port 5432 on aws-0-<region>.pooler.supabase.com),"
          + " which is reachable over IPv4.";
    }
    if (rootCause(e) instanceof UnknownHostException) {
      return base + ". The host name does not resolve; check it for typos.";
    }
    if (url.host().toLowerCase(Locale.ROOT).endsWith(".supabase.co")) {
      return base
          + ". If the project is paused, restore it in the Supabase dashboard; otherwise check"
          + " the network.";
    }
    return base + ".";
  }

  private static boolean onlyIpv6Unreachable(String host, SQLException e) {
    Throwable cause = rootCause(e);
    boolean unreachable =
        cause instanceof NoRouteToHostException
            || (cause instanceof SocketException
                && String.valueOf(cause.getMessage()).contains("unreachable"));
    if (!unreachable) {
      return false;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      return addresses.length > 0
          && Arrays.stream(addresses).allMatch(address -> address instanceof Inet6Address);
    } catch (UnknownHostException notResolvable) {
      return false;
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
