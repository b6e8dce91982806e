package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;

/** The project neon-local serves. */
public record ProjectRecord(
    String id,
    String name,
    String regionId,
    int pgVersion,
    int branchLimit,
    Instant createdAt,
    Instant updatedAt) {}
