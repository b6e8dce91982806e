package dev.supaneon.core.neon;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A Neon branch, with its annotation (when the listing carried one) and its logical size in bytes
 * (when Neon reported one).
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
    Long logicalSize) {

  public Branch {
    annotation = annotation == null ? Map.of() : Map.copyOf(annotation);
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
        logicalSize);
  }
}
