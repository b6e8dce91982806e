package dev.supaneon.core.report;

import java.time.Instant;

/** When a phase ran, how long it took, and how it ended ({@code ok} or {@code failed}). */
public record PhaseTiming(String phase, Instant startedAt, long durationMs, String outcome) {}
