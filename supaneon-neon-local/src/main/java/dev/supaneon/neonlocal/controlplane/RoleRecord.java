package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;

/**
 * A role of a branch. Roles are per branch on Neon; on neon-local they map to one cluster-wide role
 * of the same name on the backing server, which keeps its password across branches.
 */
public record RoleRecord(
    String branchId,
    String name,
    String password,
    boolean noLogin,
    boolean isProtected,
    Instant createdAt,
    Instant updatedAt) {}
