package dev.supaneon.neonlocal;

import java.time.Instant;

/** One API call neon-local answered, for tests that assert on what a client sent. */
public record RecordedRequest(
    Instant receivedAt, String method, String path, String operation, int status) {}
