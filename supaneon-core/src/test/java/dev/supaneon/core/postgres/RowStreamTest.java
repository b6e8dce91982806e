package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.neonlocal.postgres.PostgresServer;
import dev.supaneon.neonlocal.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Rows found in a COPY stream cut into pieces anywhere digest exactly as the same rows taken one
 * CopyData message at a time, and a stream cut short fails instead of passing as fewer rows.
 */
class RowStreamTest {

  static PostgresServer server;

  /** One real stream of each format, as messages, from tables with NULLs, large and odd values. */
  static List<byte[]> textMessages;

  static List<byte[]> binaryMessages;

  @BeforeAll
  static void streams() throws Exception {
    server = TestDatabases.sourceServer();
    String database = TestDatabases.trickyDatabase(server);
    try (Connection connection = server.connectAsSuperuser(database)) {
      Fingerprints.pinSessionSettings(connection);
      textMessages = messages(connection, "COPY public.values_of_every_kind TO STDOUT");
      binaryMessages =
          messages(
              connection,
              "COPY (SELECT id, nothing, big_text, bytes, document, words, matrix, moment, exact"
                  + " FROM public.values_of_every_kind) TO STDOUT (FORMAT binary)");
    }
    assertTrue(textMessages.size() >= 4 && binaryMessages.size() >= 5, "rows to read");
  }

  private static List<byte[]> messages(Connection connection, String copy) throws Exception {
    List<byte[]> messages = new ArrayList<>();
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void write(byte[] message, int offset, int length) {
            messages.add(java.util.Arrays.copyOfRange(message, offset, offset + length));
          }
        };
    connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, sink);
    return messages;
  }

  private static RowDigest byMessage(CopyFormat format, List<byte[]> messages) {
    RowDigest digest = new RowDigest(format);
    messages.forEach(m -> digest.addMessage(m, 0, m.length));
    return digest;
  }

  private static byte[] joined(List<byte[]> messages) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    messages.forEach(all::writeBytes);
    return all.toByteArray();
  }

  /** The stream in pieces of random sizes from 1 to {@code largest} bytes. */
  private static RowStream streamed(RowDigest digest, byte[] stream, Random random, int largest) {
    RowStream rows = new RowStream(digest);
    int at = 0;
    while (at < stream.length) {
      int piece = Math.min(stream.length - at, 1 + random.nextInt(largest));
      // Pieces of their own place, so the stream reads only the slice it is given.
      byte[] padded = new byte[piece + 2];
      System.arraycopy(stream, at, padded, 1, piece);
      rows.add(padded, 1, piece);
      at += piece;
    }
    return rows;
  }

  @Test
  void streamedXxh64EqualsTheOneCallHashForEveryLengthAndEveryCut() {
    Random random = new Random(7);
    for (int length = 0; length <= 200; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      // Whole, in stripes of 32 (the last one ending the input), in random pieces.
      for (int trial = 0; trial < 7; trial++) {
        Xxh64 hash = new Xxh64();
        int at = 0;
        while (at < length) {
          int largest = trial == 0 ? length : trial == 1 ? 32 : 1 + random.nextInt(70);
          int piece = Math.min(length - at, trial < 2 ? largest : random.nextInt(largest + 1));
          hash.update(data, at, piece);
          at += piece;
        }
        assertEquals(
            Xxh64.hash(data, 0, length), hash.digest(), "length " + length + ", trial " + trial);
      }
    }
  }

  @Test
  void rowsFoundInPiecesOfAnySizeDigestAsWholeMessages() {
    Random random = new Random(11);
    for (CopyFormat format : CopyFormat.values()) {
      List<byte[]> messages = format == CopyFormat.BINARY ? binaryMessages : textMessages;
      RowDigest expected = byMessage(format, messages);
      byte[] stream = joined(messages);
      for (int largest : new int[] {1, 3, 17, 4096, 65536, stream.length}) {
        RowDigest digest = new RowDigest(format);
        streamed(digest, stream, random, largest).finish();
        assertEquals(expected.rows(), digest.rows(), format + " in pieces of up to " + largest);
        assertEquals(
            expected.checksum(), digest.checksum(), format + " in pieces of up to " + largest);
      }
    }
  }

  @Test
  void aStreamCutShortFailsWhereverItIsCutInsteadOfCountingFewerRows() {
    Random random = new Random(13);
    for (CopyFormat format : CopyFormat.values()) {
      byte[] stream = joined(format == CopyFormat.BINARY ? binaryMessages : textMessages);
      for (int trial = 0; trial < 50; trial++) {
        // Text: cut inside a line; binary: anywhere before the trailer's end.
        int cut = 1 + random.nextInt(stream.length - 1);
        if (format == CopyFormat.TEXT && stream[cut - 1] == '\n') {
          continue;
        }
        byte[] shorter = java.util.Arrays.copyOf(stream, cut);
        RowStream rows = streamed(new RowDigest(format), shorter, random, 4096);
        PgToolsException failure = assertThrows(PgToolsException.class, rows::finish);
        assertTrue(failure.getMessage().contains("ended inside a row"), failure.getMessage());
        assertEquals(
            format == CopyFormat.BINARY,
            failure.getMessage().contains("without its trailer"),
            failure.getMessage());
      }
    }
  }

  @Test
  void aBinaryHeaderExtensionIsSkippedWhereverThePiecesEnd() {
    byte[] stream = joined(binaryMessages);
    // PostgreSQL sends no extension today; the format allows one, of any length.
    byte[] extended = new byte[stream.length + 5];
    System.arraycopy(stream, 0, extended, 0, 15);
    extended[18] = 5;
    System.arraycopy(stream, 19, extended, 24, stream.length - 19);
    RowDigest expected = byMessage(CopyFormat.BINARY, binaryMessages);
    Random random = new Random(17);
    for (int largest : new int[] {1, 7, 64, extended.length}) {
      RowDigest digest = new RowDigest(CopyFormat.BINARY);
      streamed(digest, extended, random, largest).finish();
      assertEquals(expected.checksum(), digest.checksum(), "pieces of up to " + largest);
      assertEquals(expected.rows(), digest.rows());
    }
  }

  @Test
  void bytesAfterTheBinaryTrailerFailTheStream() {
    byte[] stream = joined(binaryMessages);
    byte[] longer = java.util.Arrays.copyOf(stream, stream.length + 2);
    PgToolsException failure =
        assertThrows(
            PgToolsException.class,
            () -> streamed(new RowDigest(CopyFormat.BINARY), longer, new Random(1), 64));
    assertTrue(failure.getMessage().contains("after its trailer"), failure.getMessage());
  }

  @Test
  void aBinaryStreamWithoutItsSignatureFails() {
    byte[] stream = joined(binaryMessages);
    stream[3] = 'X';
    assertThrows(
        PgToolsException.class,
        () -> streamed(new RowDigest(CopyFormat.BINARY), stream, new Random(1), 64));
  }
}
