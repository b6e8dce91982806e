package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What API callers ask the control plane for, already parsed from JSON. */
public final class Requests {

  private Requests() {}

  /** {@code POST /projects/{id}/branches}. */
  public record CreateBranch(
      Optional<String> parentId,
      Optional<String> name,
      Optional<Instant> expiresAt,
      boolean isProtected,
      Optional<String> parentLsn,
      Optional<Instant> parentTimestamp,
      Optional<String> initSource,
      List<EndpointSpec> endpoints,
      Map<String, String> annotation) {

    public CreateBranch {
      endpoints = List.copyOf(endpoints);
      annotation = Map.copyOf(annotation);
    }
  }

  /** One entry of {@code endpoints} in a branch creation. */
  public record EndpointSpec(String type, double minCu, double maxCu, long suspendTimeoutSeconds) {}

  /**
   * {@code PATCH /projects/{id}/branches/{id}}: absent fields stay as they are; {@code expiresAt}
   * present but empty means "remove the expiry" ({@code "expires_at": null}).
   */
  public record UpdateBranch(
      Optional<String> name,
      Optional<Optional<Instant>> expiresAt,
      Optional<Boolean> isProtected) {}

  /** {@code POST /projects/{id}/branches/{id}/restore}. */
  public record RestoreBranch(
      String sourceBranchId,
      Optional<String> sourceLsn,
      Optional<Instant> sourceTimestamp,
      Optional<String> preserveUnderName) {}

  /** A branch and the operations a mutation started. */
  public record BranchChange(BranchRecord branch, List<OperationRecord> operations) {}

  /** Everything {@code POST /branches} answers with. */
  public record CreatedBranch(
      BranchRecord branch,
      List<EndpointRecord> endpoints,
      List<OperationRecord> operations,
      List<RoleRecord> roles,
      List<DatabaseRecord> databases) {}

  /** An endpoint and the operations a mutation started. */
  public record EndpointChange(EndpointRecord endpoint, List<OperationRecord> operations) {}

  /** A database and the operations a mutation started. */
  public record DatabaseChange(DatabaseRecord database, List<OperationRecord> operations) {}

  /** A role and the operations a mutation started. */
  public record RoleChange(RoleRecord role, List<OperationRecord> operations) {}

  /** A page of branches and the cursor of the next one, if any. */
  public record BranchPage(
      List<BranchRecord> branches, Optional<String> nextCursor, String sortBy, String sortOrder) {}

  /** A page of operations and the cursor of the next one, if any. */
  public record OperationPage(List<OperationRecord> operations, Optional<String> nextCursor) {}
}
