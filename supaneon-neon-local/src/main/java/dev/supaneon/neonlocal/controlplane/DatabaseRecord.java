package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;

/** A database of a branch and the real database on the backing server that holds it. */
public record DatabaseRecord(
    long id,
    String branchId,
    String name,
    String ownerName,
    String physicalName,
    Instant createdAt,
    Instant updatedAt) {}
