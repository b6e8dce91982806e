package dev.supaneon.neonlocal.controlplane;

import java.util.Map;
import java.util.Optional;

/**
 * Where a connection to an endpoint goes: its branch, the physical database behind the logical name
 * the client asked for (empty when the branch has none of that name), and the role's password
 * (empty for an unknown role or one without a password). A secret, because of the password.
 *
 * @param logicalByPhysical every database of the branch, so results can show logical names
 */
public record ComputeRoute(
    String endpointId,
    String branchId,
    boolean readOnly,
    Optional<String> physicalDatabase,
    Optional<String> password,
    Map<String, String> logicalByPhysical) {

  public ComputeRoute {
    logicalByPhysical = Map.copyOf(logicalByPhysical);
  }

  @Override
  public String toString() {
    return "ComputeRoute[endpoint " + endpointId + ", branch " + branchId + "]";
  }
}
