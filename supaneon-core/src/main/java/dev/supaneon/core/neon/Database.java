package dev.supaneon.core.neon;

/** A database of a branch. */
public record Database(String name, String ownerName) {}
