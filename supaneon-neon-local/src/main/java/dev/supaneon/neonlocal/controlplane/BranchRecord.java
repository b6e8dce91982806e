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

  /**
   * A ready branch made by neon-local itself (the project's first branch, a branch preserved by a
   * restore): no expiry, no annotation, not protected.
   */
  static BranchRecord ready(
      String id,
      String projectId,
      String parentId,
      String name,
      boolean isDefault,
      String parentLsn,
      Instant now) {
    return new BranchRecord(
        id,
        projectId,
        parentId,
        name,
        "ready",
        null,
        now,
        now,
        now,
        null,
        false,
        isDefault,
        parentLsn,
        null,
        "parent-data",
        "console",
        Map.of(),
        null,
        null,
        null);
  }

  /** The branch under another parent: a restore preserved its old state there. */
  BranchRecord withParent(String newParentId, Instant now) {
    return new BranchRecord(
        id,
        projectId,
        newParentId,
        name,
        currentState,
        pendingState,
        stateChangedAt,
        createdAt,
        now,
        expiresAt,
        isProtected,
        isDefault,
        parentLsn,
        parentTimestamp,
        initSource,
        creationSource,
        annotation,
        annotationCreatedAt,
        annotationUpdatedAt,
        restoredFrom);
  }

  /** The branch after a PATCH: name, expiry and protection as given. */
  BranchRecord patched(String newName, Instant newExpiry, boolean newProtected, Instant now) {
    return new BranchRecord(
        id,
        projectId,
        parentId,
        newName,
        currentState,
        pendingState,
        stateChangedAt,
        createdAt,
        now,
        newExpiry,
        newProtected,
        isDefault,
        parentLsn,
        parentTimestamp,
        initSource,
        creationSource,
        annotation,
        annotationCreatedAt,
        annotationUpdatedAt,
        restoredFrom);
  }

  /** The branch in another state (ready, init, error), from now on. */
  BranchRecord inState(String state, String pending, Instant now) {
    return new BranchRecord(
        id,
        projectId,
        parentId,
        name,
        state,
        pending,
        now,
        createdAt,
        now,
        expiresAt,
        isProtected,
        isDefault,
        parentLsn,
        parentTimestamp,
        initSource,
        creationSource,
        annotation,
        annotationCreatedAt,
        annotationUpdatedAt,
        restoredFrom);
  }

  /** The branch made or unmade the project's default. */
  BranchRecord asDefault(boolean makeDefault, Instant now) {
    return new BranchRecord(
        id,
        projectId,
        parentId,
        name,
        currentState,
        pendingState,
        stateChangedAt,
        createdAt,
        now,
        expiresAt,
        isProtected,
        makeDefault,
        parentLsn,
        parentTimestamp,
        initSource,
        creationSource,
        annotation,
        annotationCreatedAt,
        annotationUpdatedAt,
        restoredFrom);
  }

  /** The branch being restored from another: back in {@code init} until the copy is done. */
  BranchRecord restoringFrom(String sourceBranchId, Instant now) {
    return new BranchRecord(
        id,
        projectId,
        parentId,
        name,
        "init",
        "ready",
        now,
        createdAt,
        now,
        expiresAt,
        isProtected,
        isDefault,
        parentLsn,
        parentTimestamp,
        initSource,
        creationSource,
        annotation,
        annotationCreatedAt,
        annotationUpdatedAt,
        sourceBranchId);
  }
}
