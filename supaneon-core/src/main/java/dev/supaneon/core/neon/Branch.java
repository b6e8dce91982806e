package dev.supaneon.core.neon;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Neon branch, with its annotation (when the listing carried one), and, when Neon reported them,
 * its logical size, the bytes written to it since it was made, its compute time (CU-seconds) and
 * its data transfer.
 */
public record Branch(
    String id,
    String name,
    String parentId,
    String currentState,
    String pendingState,
    @JsonProperty("default") boolean isDefault,
    @JsonProperty("protected") boolean isProtected,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    Map<String, String> annotation,
    Long logicalSize,
    Long writtenDataBytes,
    Long computeTimeSeconds,
    Long dataTransferBytes) {

  public Branch {
    annotation = annotation == null ? Map.of() : Map.copyOf(annotation);
  }

  /** A branch whose compute time and data transfer are not known. */
  public Branch(
      String id,
      String name,
      String parentId,
      String currentState,
      String pendingState,
      boolean isDefault,
      boolean isProtected,
      Instant createdAt,
      Instant updatedAt,
      Instant expiresAt,
      Map<String, String> annotation,
      Long logicalSize,
      Long writtenDataBytes) {
    this(
        id,
        name,
        parentId,
        currentState,
        pendingState,
        isDefault,
        isProtected,
        createdAt,
        updatedAt,
        expiresAt,
        annotation,
        logicalSize,
        writtenDataBytes,
        null,
        null);
  }

  /** A branch whose written bytes are not known. */
  public Branch(
      String id,
      String name,
      String parentId,
      String currentState,
      String pendingState,
      boolean isDefault,
      boolean isProtected,
      Instant createdAt,
      Instant updatedAt,
      Instant expiresAt,
      Map<String, String> annotation,
      Long logicalSize) {
    this(
        id,
        name,
        parentId,
        currentState,
        pendingState,
        isDefault,
        isProtected,
        createdAt,
        updatedAt,
        expiresAt,
        annotation,
        logicalSize,
        null);
  }

  /**
   * What the branch adds to the project's storage, as Neon counts it: a root branch its logical
   * size, any other the smaller of what was written to it and its logical size; empty when Neon
   * reported neither.
   */
  public OptionalLong storageBytes() {
    if (logicalSize == null) {
      return writtenDataBytes == null ? OptionalLong.empty() : OptionalLong.of(writtenDataBytes);
    }
    if (parentId == null || writtenDataBytes == null) {
      return OptionalLong.of(logicalSize);
    }
    return OptionalLong.of(Math.min(logicalSize, writtenDataBytes));
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  public Optional<String> parent() {
    return Optional.ofNullable(parentId);
  }

  public boolean isReady() {
    return "ready".equals(currentState);
  }

  Branch withAnnotation(Map<String, String> value) {
    return new Branch(
        id,
        name,
        parentId,
        currentState,
        pendingState,
        isDefault,
        isProtected,
        createdAt,
        updatedAt,
        expiresAt,
        value,
        logicalSize,
        writtenDataBytes,
        computeTimeSeconds,
        dataTransferBytes);
  }
}
