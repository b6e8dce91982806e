package dev.supaneon.core.neon;

/** A compute endpoint of a branch. */
public record Endpoint(String id, String branchId, String type, String currentState, String host) {}
