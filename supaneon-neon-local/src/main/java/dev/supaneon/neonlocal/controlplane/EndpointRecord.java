package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;

/**
 * A compute endpoint. On neon-local every endpoint is a port of neon-local's proxy, in front of the
 * backing server; {@code port} is 0 until the proxy listens for it.
 */
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
    Instant lastActive,
    int port) {

  EndpointRecord withPort(int newPort) {
    return new EndpointRecord(
        id,
        projectId,
        branchId,
        type,
        currentState,
        pendingState,
        minCu,
        maxCu,
        suspendTimeoutSeconds,
        createdAt,
        updatedAt,
        startedAt,
        suspendedAt,
        lastActive,
        newPort);
  }
}
