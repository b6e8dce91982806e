package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;

/** A compute endpoint. On neon-local every endpoint reaches the backing server directly. */
public record EndpointRecord(
    String id,
    String projectId,
    String branchId,
    String type,
    String currentState,
    String pendingState,
    double minCu,
    double maxCu,
    long suspendTimeoutSeconds,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant suspendedAt,
    Instant lastActive) {}
