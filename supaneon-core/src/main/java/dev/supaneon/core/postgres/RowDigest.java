package dev.supaneon.core.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import org.postgresql.PGConnection;

/**
 * An order-independent digest of a table's rows as {@code COPY ... TO STDOUT} sends them: the sum,
 * modulo 2<sup>64</sup>, of each row's 64-bit XXH64 hash, and the number of rows.
 *
 * <p>Rows arrive in any order (parallel ranges, a different physical order on the copy), so the
 * digest must not depend on order; a changed, missing or extra row moves the sum by a random 64-bit
 * amount. XXH64 rather than MD5 because the digest is taken in the JVM from the copy's own stream,
 * where a cryptographic hash would cost more CPU than the copy; the threat here is corruption, not
 * an adversary choosing rows. A row is its text line or, in binary COPY, its binary tuple; the
 * stream's binary header and trailer are not rows.
 */
public final class RowDigest {

  private final CopyFormat format;
  private boolean headerRead;
  private long sum;
  private long rows;

  /** A digest of text COPY rows. */
  public RowDigest() {
    this(CopyFormat.TEXT);
  }

  RowDigest(CopyFormat format) {
    this.format = format;
  }

  /**
   * Adds one CopyData message of a {@code COPY ... TO STDOUT} in this digest's format. PostgreSQL
   * sends each row in a message of its own; in binary, the stream's header comes before the first
   * row and its trailer (-1 as a field count) after the last.
   */
  void addMessage(byte[] message, int offset, int length) {
    if (format == CopyFormat.TEXT) {
      addRow(message, offset, length);
      return;
    }
    int at = offset;
    if (!headerRead) {
      at += CopyFormat.binaryHeaderLength(message, offset, length);
      headerRead = true;
    }
    int left = offset + length - at;
    boolean trailer = left == 2 && message[at] == -1 && message[at + 1] == -1;
    if (left > 0 && !trailer) {
      addRow(message, at, left);
    }
  }

  /** Adds one row: its bytes, a text row's newline included. */
  public void addRow(byte[] row, int offset, int length) {
    addRowHash(xxh64(row, offset, length));
  }

  /** Adds one row by its XXH64 hash, taken in pieces ({@link RowStream}). */
  void addRowHash(long hash) {
    sum += hash;
    rows++;
  }

  CopyFormat format() {
    return format;
  }

  /** Adds the rows another digest of the same table has seen (another range of it). */
  public void add(RowDigest other) {
    if (other.format != format) {
      throw new IllegalArgumentException("digests of different COPY formats cannot be added");
    }
    sum += other.sum;
    rows += other.rows;
  }

  public long rows() {
    return rows;
  }

  /** The checksum as stored in reports and manifests. */
  public String checksum() {
    return format.checksumKind() + HexFormat.of().toHexDigits(sum);
  }

  /**
   * Reads a {@code COPY ... TO STDOUT} in the given format to its end, digesting every row.
   * pgjdbc's {@code CopyManager.copyOut} hands each message to the sink in a write of its own; its
   * loop is the one the copy's streams run too, so the JIT compiles that path once, not twice.
   */
  static RowDigest read(Connection connection, String copyOut, CopyFormat format)
      throws SQLException {
    RowDigest digest = new RowDigest(format);
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new UnsupportedOperationException("COPY rows come whole");
          }

          @Override
          public void write(byte[] message, int offset, int length) {
            digest.addMessage(message, offset, length);
          }
        };
    try {
      connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut, sink);
    } catch (IOException e) {
      throw new SQLException("reading rows failed: " + e.getMessage(), "08006", e);
    }
    return digest;
  }

  /** XXH64 with seed 0; see {@link Xxh64}. */
  static long xxh64(byte[] data, int offset, int length) {
    return Xxh64.hash(data, offset, length);
  }
}
