package dev.supaneon.neonlocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** An asynchronous control-plane operation, with what it must do in {@code payload}. */
public record OperationRecord(
    UUID id,
    long sequence,
    String projectId,
    String branchId,
    String endpointId,
    String action,
    String status,
    String error,
    int failuresCount,
    Instant createdAt,
    Instant updatedAt,
    int totalDurationMs,
    JsonNode payload) {}
