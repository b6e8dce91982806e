package dev.supaneon.neonlocal.controlplane;

import java.time.Instant;
import java.util.Map;

/** A branch as the control plane stores it. */
public record BranchRecord(
    String id,
    String projectId,
    String parentId,
    String name,
    String currentState,
    String pendingState,
    Instant stateChangedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    boolean isProtected,
    boolean isDefault,
    String parentLsn,
    Instant parentTimestamp,
    String initSource,
    String creationSource,
    Map<String, String> annotation,
    Instant annotationCreatedAt,
    Instant annotationUpdatedAt,
    String restoredFrom) {

  public BranchRecord {
    annotation = annotation == null ? Map.of() : Map.copyOf(annotation);
  }
}
