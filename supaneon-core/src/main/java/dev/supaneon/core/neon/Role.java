package dev.supaneon.core.neon;

/** A role of a branch. */
public record Role(String name) {}
