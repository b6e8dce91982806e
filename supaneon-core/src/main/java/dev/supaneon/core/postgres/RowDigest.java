package dev.supaneon.core.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
    sum += xxh64(row, offset, length);
    rows++;
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

  /** XXH64 with seed 0, as specified by its author (github.com/Cyan4973/xxHash). */
  static long xxh64(byte[] data, int offset, int length) {
    int at = offset;
    int end = offset + length;
    long hash;
    if (length >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      int limit = end - 32;
      do {
        v1 = round(v1, (long) LONGS.get(data, at));
        v2 = round(v2, (long) LONGS.get(data, at + 8));
        v3 = round(v3, (long) LONGS.get(data, at + 16));
        v4 = round(v4, (long) LONGS.get(data, at + 24));
        at += 32;
      } while (at <= limit);
      hash =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      hash = merge(hash, v1);
      hash = merge(hash, v2);
      hash = merge(hash, v3);
      hash = merge(hash, v4);
    } else {
      hash = P5;
    }
    hash += length;
    while (at + 8 <= end) {
      hash ^= round(0, (long) LONGS.get(data, at));
      hash = Long.rotateLeft(hash, 27) * P1 + P4;
      at += 8;
    }
    if (at + 4 <= end) {
      hash ^= (Integer.toUnsignedLong((int) INTS.get(data, at))) * P1;
      hash = Long.rotateLeft(hash, 23) * P2 + P3;
      at += 4;
    }
    while (at < end) {
      hash ^= (data[at] & 0xFFL) * P5;
      hash = Long.rotateLeft(hash, 11) * P1;
      at++;
    }
    hash ^= hash >>> 33;
    hash *= P2;
    hash ^= hash >>> 29;
    hash *= P3;
    hash ^= hash >>> 32;
    return hash;
  }

  private static long round(long accumulator, long input) {
    return Long.rotateLeft(accumulator + input * P2, 31) * P1;
  }

  private static long merge(long hash, long accumulator) {
    return (hash ^ round(0, accumulator)) * P1 + P4;
  }
}
