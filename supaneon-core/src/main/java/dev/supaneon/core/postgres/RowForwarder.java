package dev.supaneon.core.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.postgresql.copy.CopyIn;

/**
 * Takes the source's rows one message at a time from pgjdbc's {@code CopyManager.copyOut} loop,
 * hashes each and passes them on to the target in batches: one message per row would cost a write
 * each.
 */
final class RowForwarder extends OutputStream {

  /** Rows are gathered into writes of this size. */
  private static final int BATCH_BYTES = 128 * 1024;

  private final RowDigest digest;
  private final CopyIn in;
  private final LongConsumer sent;
  private final byte[] batch = new byte[BATCH_BYTES];
  private int filled;
  private long bytes;

  /**
   * @param sent told the bytes of every write to the target, for progress
   */
  RowForwarder(RowDigest digest, CopyIn in, LongConsumer sent) {
    this.digest = digest;
    this.in = in;
    this.sent = sent;
  }

  /** The rows' bytes taken so far. */
  long bytes() {
    return bytes;
  }

  @Override
  public void write(int b) {
    throw new UnsupportedOperationException("COPY rows come whole");
  }

  @Override
  public void write(byte[] row, int offset, int length) throws TargetFailure {
    digest.addMessage(row, offset, length);
    bytes += length;
    try {
      if (length > BATCH_BYTES - filled && filled > 0) {
        flush();
      }
      if (length > BATCH_BYTES) {
        in.writeToCopy(row, offset, length);
        sent.accept(length);
      } else {
        System.arraycopy(row, offset, batch, filled, length);
        filled += length;
      }
    } catch (SQLException e) {
      throw new TargetFailure(e);
    }
  }

  @Override
  public void flush() throws TargetFailure {
    if (filled == 0) {
      return;
    }
    try {
      in.writeToCopy(batch, 0, filled);
    } catch (SQLException e) {
      throw new TargetFailure(e);
    }
    sent.accept(filled);
    filled = 0;
  }

  /** The target's failure, carried through pgjdbc's copy loop, which stops the source's COPY. */
  static final class TargetFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SQLException failure;

    TargetFailure(SQLException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }

    SQLException failure() {
      return failure;
    }
  }
}
