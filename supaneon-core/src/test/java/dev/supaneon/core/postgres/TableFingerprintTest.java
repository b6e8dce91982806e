package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two fingerprints match only when the row counts and, where both have one, checksums agree. */
class TableFingerprintTest {

  static final TableRef TABLE = new TableRef("public", "t");

  static TableFingerprint of(long rows, String checksum) {
    return new TableFingerprint(TABLE, rows, Optional.ofNullable(checksum));
  }

  @Test
  void equalCountsAndChecksumsMatch() {
    assertTrue(of(3, "42").matches(of(3, "42")));
  }

  @Test
  void aDifferentChecksumWithTheSameCountDoesNotMatch() {
    assertFalse(of(3, "42").matches(of(3, "43")));
  }

  @Test
  void aDifferentCountDoesNotMatchEvenWithEqualChecksums() {
    assertFalse(of(3, "42").matches(of(4, "42")));
    assertFalse(of(3, null).matches(of(4, null)));
  }

  @Test
  void aSideWithoutChecksumIsComparedByCountAlone() {
    assertTrue(of(3, null).matches(of(3, "42")));
    assertTrue(of(3, "42").matches(of(3, null)));
  }
}
