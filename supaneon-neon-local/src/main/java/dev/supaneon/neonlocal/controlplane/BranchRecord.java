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
    Changes changes = new Changes(this, now);
    changes.parentId = newParentId;
    return changes.build();
  }

  /** The branch after a PATCH: name, expiry and protection as given. */
  BranchRecord patched(String newName, Instant newExpiry, boolean newProtected, Instant now) {
    Changes changes = new Changes(this, now);
    changes.name = newName;
    changes.expiresAt = newExpiry;
    changes.isProtected = newProtected;
    return changes.build();
  }

  /** The branch in another state (ready, init, error), from now on. */
  BranchRecord inState(String state, String pending, Instant now) {
    Changes changes = new Changes(this, now);
    changes.currentState = state;
    changes.pendingState = pending;
    changes.stateChangedAt = now;
    return changes.build();
  }

  /** The branch made (or no longer) the project's default. */
  BranchRecord asDefault(boolean makeDefault, Instant now) {
    Changes changes = new Changes(this, now);
    changes.isDefault = makeDefault;
    return changes.build();
  }

  /** The branch being restored from another: back in {@code init} until the copy is done. */
  BranchRecord restoringFrom(String sourceBranchId, Instant now) {
    Changes changes = new Changes(this, now);
    changes.currentState = "init";
    changes.pendingState = "ready";
    changes.stateChangedAt = now;
    changes.restoredFrom = sourceBranchId;
    return changes.build();
  }

  /** A copy of a record, updated now, with the fields a change names set anew. */
  private static final class Changes {
    private final BranchRecord from;
    private final Instant updatedAt;
    private String parentId;
    private String name;
    private String currentState;
    private String pendingState;
    private Instant stateChangedAt;
    private Instant expiresAt;
    private boolean isProtected;
    private boolean isDefault;
    private String restoredFrom;

    Changes(BranchRecord from, Instant now) {
      this.from = from;
      this.updatedAt = now;
      this.parentId = from.parentId;
      this.name = from.name;
      this.currentState = from.currentState;
      this.pendingState = from.pendingState;
      this.stateChangedAt = from.stateChangedAt;
      this.expiresAt = from.expiresAt;
      this.isProtected = from.isProtected;
      this.isDefault = from.isDefault;
      this.restoredFrom = from.restoredFrom;
    }

    BranchRecord build() {
      return new BranchRecord(
          from.id,
          from.projectId,
          parentId,
          name,
          currentState,
          pendingState,
          stateChangedAt,
          from.createdAt,
          updatedAt,
          expiresAt,
          isProtected,
          isDefault,
          from.parentLsn,
          from.parentTimestamp,
          from.initSource,
          from.creationSource,
          from.annotation,
          from.annotationCreatedAt,
          from.annotationUpdatedAt,
          restoredFrom);
    }
  }
}
