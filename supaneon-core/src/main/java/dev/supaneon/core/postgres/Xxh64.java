package dev.supaneon.core.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64 with seed 0, as specified by its author (github.com/Cyan4973/xxHash): in one call over a
 * buffer, or fed in pieces of any size, which gives the same hash. The pieces let a row be hashed
 * as it passes, however large it is, without holding it whole.
 */
final class Xxh64 {

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final int STRIPE = 32;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private long v1;
  private long v2;
  private long v3;
  private long v4;
  private long total;

  /** Bytes of an unfinished stripe, carried over to the next piece. */
  private final byte[] pending = new byte[STRIPE];

  private int pendingLength;

  Xxh64() {
    reset();
  }

  /** Starts a new hash. */
  void reset() {
    v1 = P1 + P2;
    v2 = P2;
    v3 = 0;
    v4 = -P1;
    total = 0;
    pendingLength = 0;
  }

  /** Feeds the next piece of the input. */
  void update(byte[] data, int offset, int length) {
    total += length;
    int at = offset;
    int end = offset + length;
    if (pendingLength > 0) {
      int taken = Math.min(STRIPE - pendingLength, length);
      System.arraycopy(data, at, pending, pendingLength, taken);
      pendingLength += taken;
      at += taken;
      if (pendingLength < STRIPE) {
        return;
      }
      stripe(pending, 0);
      pendingLength = 0;
    }
    for (; at + STRIPE <= end; at += STRIPE) {
      stripe(data, at);
    }
    System.arraycopy(data, at, pending, 0, end - at);
    pendingLength = end - at;
  }

  /** The hash of everything fed since the last {@link #reset()}. */
  long digest() {
    long hash = total >= STRIPE ? converge(v1, v2, v3, v4) : P5;
    return finish(hash + total, pending, 0, pendingLength);
  }

  /** The hash of one buffer, in one call. */
  static long hash(byte[] data, int offset, int length) {
    int at = offset;
    int end = offset + length;
    long hash;
    if (length >= STRIPE) {
      long a = P1 + P2;
      long b = P2;
      long c = 0;
      long d = -P1;
      int limit = end - STRIPE;
      do {
        a = round(a, (long) LONGS.get(data, at));
        b = round(b, (long) LONGS.get(data, at + 8));
        c = round(c, (long) LONGS.get(data, at + 16));
        d = round(d, (long) LONGS.get(data, at + 24));
        at += STRIPE;
      } while (at <= limit);
      hash = converge(a, b, c, d);
    } else {
      hash = P5;
    }
    return finish(hash + length, data, at, end - at);
  }

  /** The four lanes of the stripes, made one. */
  private static long converge(long a, long b, long c, long d) {
    long hash =
        Long.rotateLeft(a, 1)
            + Long.rotateLeft(b, 7)
            + Long.rotateLeft(c, 12)
            + Long.rotateLeft(d, 18);
    hash = merge(hash, a);
    hash = merge(hash, b);
    hash = merge(hash, c);
    return merge(hash, d);
  }

  private void stripe(byte[] data, int at) {
    v1 = round(v1, (long) LONGS.get(data, at));
    v2 = round(v2, (long) LONGS.get(data, at + 8));
    v3 = round(v3, (long) LONGS.get(data, at + 16));
    v4 = round(v4, (long) LONGS.get(data, at + 24));
  }

  /** The tail of fewer than 32 bytes, and the final avalanche. */
  private static long finish(long hash, byte[] data, int offset, int length) {
    int at = offset;
    int end = offset + length;
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
