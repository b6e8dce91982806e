package dev.supaneon.core.neon;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.config.ConfigException;
import dev.supaneon.core.config.PostgresUrl;
import dev.supaneon.core.config.Setting;

/** Connection details of a branch's database, from Neon's {@code connection_uri}. */
public final class NeonConnections {

  private NeonConnections() {}

  /** The database's URL with the role's password; SSL is required as for every URL. */
  public static PostgresUrl url(NeonClient neon, String branchId, String database, String role) {
    return url(neon, branchId, database, role, false);
  }

  /** The same through Neon's connection pooler when {@code pooled}. */
  public static PostgresUrl url(
      NeonClient neon, String branchId, String database, String role, boolean pooled) {
    String uri = neon.connectionUri(branchId, database, role, pooled);
    try {
      return PostgresUrl.parse(uri, Setting.NEON_API_URL);
    } catch (ConfigException e) {
      throw new SupaneonException(
          "Neon answered with a connection URI for branch "
              + branchId
              + " that supaneon cannot use: "
              + e.getMessage().substring(e.getMessage().indexOf(':') + 1).strip());
    }
  }
}
