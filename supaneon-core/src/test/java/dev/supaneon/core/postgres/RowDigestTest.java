package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row digest: XXH64 as specified, summed so that order does not count but content does. */
class RowDigestTest {

  private static long xxh64(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return RowDigest.xxh64(bytes, 0, bytes.length);
  }

  @Test
  void theHashIsXxh64AsPublishedForEveryLengthClass() {
    // Reference values from xxhsum -H1 (Debian's xxhash 0.8.1).
    assertEquals(0xef46db3751d8e999L, xxh64(""));
    assertEquals(0xd24ec4f1a98c6e5bL, xxh64("a"));
    assertEquals(0x44bc2cf5ad770999L, xxh64("abc"));
    assertEquals(0xfbcea83c8a378bf1L, xxh64("Nobody inspects the spammish repetition"));
    // Lengths at each step's edge: exactly a 4- and an 8-byte tail, one and two 32-byte stripes.
    assertEquals(0xde0327b0d25d92ccL, xxh64("abcd"));
    assertEquals(0x3ad351775b4634b7L, xxh64("abcdefgh"));
    assertEquals(0xbf7c9dbe16b5c6e2L, xxh64("0123456789abcdefghijklmnopqrstuv"));
    assertEquals(
        0xf97de1e3f512efa0L,
        xxh64("0123456789abcdefghijklmnopqrstuv0123456789abcdefghijklmnopqrstuv"));
    assertEquals(
        0x90ffe48e09f25eb6L,
        xxh64(
            "1\t2024-01-01 00:00:01+00\tsignup\t0.01\t{\"ok\": true, \"user\": 1}"
                + "\tc4ca4238a0b923820dcc509a6f75849bz"));
  }

  @Test
  void theHashReadsOnlyTheGivenSliceOfTheBuffer() {
    byte[] padded = "xxabcxx".getBytes(StandardCharsets.UTF_8);
    assertEquals(xxh64("abc"), RowDigest.xxh64(padded, 2, 3));
  }

  private static RowDigest digestOf(List<String> rows) {
    RowDigest digest = new RowDigest();
    for (String row : rows) {
      byte[] bytes = (row + "\n").getBytes(StandardCharsets.UTF_8);
      digest.addRow(bytes, 0, bytes.length);
    }
    return digest;
  }

  @Test
  void rowsInAnotherOrderGiveTheSameChecksum() {
    assertEquals(
        digestOf(List.of("1\ta", "2\tb", "3\tc")).checksum(),
        digestOf(List.of("3\tc", "1\ta", "2\tb")).checksum());
  }

  @Test
  void oneChangedByteOrOneRowMoreOrLessChangesTheChecksum() {
    String same = digestOf(List.of("1\ta", "2\tb")).checksum();
    assertNotEquals(same, digestOf(List.of("1\ta", "2\tc")).checksum());
    assertNotEquals(same, digestOf(List.of("1\ta")).checksum());
    assertNotEquals(same, digestOf(List.of("1\ta", "2\tb", "2\tb")).checksum());
    // Row boundaries count: the same bytes split otherwise are other rows.
    assertNotEquals(same, digestOf(List.of("1\ta\n2\tb")).checksum());
  }

  @Test
  void partsAddUpToTheWhole() {
    RowDigest whole = digestOf(List.of("1\ta", "2\tb", "3\tc"));
    RowDigest parts = digestOf(List.of("1\ta"));
    parts.add(digestOf(List.of("3\tc", "2\tb")));
    assertEquals(whole.checksum(), parts.checksum());
    assertEquals(3, parts.rows());
  }

  /** A binary COPY's header: signature, flags, an extension of {@code extension} bytes. */
  private static byte[] binaryHeader(int extension) {
    byte[] header = new byte[19 + extension];
    byte[] signature = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', -1, '\r', '\n', 0};
    System.arraycopy(signature, 0, header, 0, signature.length);
    java.nio.ByteBuffer.wrap(header, 15, 4).putInt(extension);
    return header;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  private static final byte[] TRAILER = {-1, -1};

  private static void add(RowDigest digest, byte[] message) {
    digest.addMessage(message, 0, message.length);
  }

  @Test
  void inBinaryTheHeaderAndTrailerAreNotRowsAndTheRowsAreTheirTuples() {
    byte[] first = {0, 1, 0, 0, 0, 1, 7};
    byte[] second = {0, 1, 0, 0, 0, 1, 8};
    RowDigest binary = new RowDigest(CopyFormat.BINARY);
    add(binary, concat(binaryHeader(3), first));
    add(binary, second);
    add(binary, TRAILER);
    assertEquals(2, binary.rows());
    long expected = RowDigest.xxh64(first, 0, first.length) + RowDigest.xxh64(second, 0, 7);
    assertEquals(
        "xxh64-binary-sum:" + java.util.HexFormat.of().toHexDigits(expected), binary.checksum());

    // A message inside a larger buffer: only its own bytes count.
    RowDigest inside = new RowDigest(CopyFormat.BINARY);
    byte[] padded = concat(new byte[] {9, 9}, binaryHeader(0), first, new byte[] {9});
    inside.addMessage(padded, 2, padded.length - 3);
    assertEquals(
        "xxh64-binary-sum:"
            + java.util.HexFormat.of().toHexDigits(RowDigest.xxh64(first, 0, first.length)),
        inside.checksum());

    RowDigest empty = new RowDigest(CopyFormat.BINARY);
    add(empty, concat(binaryHeader(0), TRAILER));
    assertEquals(0, empty.rows());
    // A row of no columns is a row, not a trailer.
    RowDigest noColumns = new RowDigest(CopyFormat.BINARY);
    add(noColumns, concat(binaryHeader(0), new byte[] {0, 0}));
    assertEquals(1, noColumns.rows());
  }

  @Test
  void aHeaderInAMessageOfItsOwnIsNoRowAndItsExtensionIsSkippedWhateverItsLength() {
    byte[] row = {0, 1, 0, 0, 0, 1, 7};
    String oneRow =
        "xxh64-binary-sum:" + java.util.HexFormat.of().toHexDigits(RowDigest.xxh64(row, 0, 7));
    RowDigest alone = new RowDigest(CopyFormat.BINARY);
    add(alone, binaryHeader(0));
    add(alone, row);
    add(alone, TRAILER);
    assertEquals(1, alone.rows());
    assertEquals(oneRow, alone.checksum());
    // An extension of 300 bytes, its length in two bytes, filling the message to its end.
    RowDigest extended = new RowDigest(CopyFormat.BINARY);
    add(extended, binaryHeader(300));
    add(extended, row);
    assertEquals(oneRow, extended.checksum());
    RowDigest extendedWithRow = new RowDigest(CopyFormat.BINARY);
    add(extendedWithRow, concat(binaryHeader(300), row));
    assertEquals(oneRow, extendedWithRow.checksum());
  }

  @Test
  void aBinaryStreamWithoutItsHeaderIsAnErrorNotRows() {
    RowDigest binary = new RowDigest(CopyFormat.BINARY);
    byte[] wrong = binaryHeader(0);
    wrong[7] = 0;
    assertThrows(PgToolsException.class, () -> add(binary, wrong));
    assertThrows(PgToolsException.class, () -> add(new RowDigest(CopyFormat.BINARY), new byte[5]));
    byte[] negativeExtension = binaryHeader(0);
    negativeExtension[15] = (byte) 0x80;
    assertThrows(
        PgToolsException.class,
        () -> new RowDigest(CopyFormat.BINARY).addMessage(negativeExtension, 0, 19));
    byte[] longExtension = binaryHeader(0);
    longExtension[18] = 9;
    assertThrows(
        PgToolsException.class, () -> add(new RowDigest(CopyFormat.BINARY), longExtension));
  }

  @Test
  void digestsOfTwoFormatsAreNeverAdded() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RowDigest(CopyFormat.BINARY).add(new RowDigest(CopyFormat.TEXT)));
  }

  @Test
  void theChecksumSaysItsKindAndIsSixteenHexDigits() {
    assertEquals("xxh64-sum:0000000000000000", new RowDigest().checksum());
    assertEquals(
        "xxh64-sum:" + java.util.HexFormat.of().toHexDigits(xxh64("a\n")),
        digestOf(List.of("a")).checksum());
  }
}
