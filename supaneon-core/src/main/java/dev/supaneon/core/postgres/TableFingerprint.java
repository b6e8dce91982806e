package dev.supaneon.core.postgres;

import java.util.Optional;

/**
 * What a table held at one instant: its exact row count and, optionally, an order-independent
 * checksum of its rows' text (the sum of the first 64 bits of each row's md5).
 */
public record TableFingerprint(TableRef table, long rowCount, Optional<String> checksum) {

  /** Whether another fingerprint describes the same content. */
  public boolean matches(TableFingerprint other) {
    if (rowCount != other.rowCount) {
      return false;
    }
    return checksum.isEmpty() || other.checksum.isEmpty() || checksum.equals(other.checksum);
  }
}
