package dev.supaneon.core.postgres;

/**
 * Finds the rows in the bytes of a {@code COPY ... TO STDOUT} as a client program writes them out,
 * in pieces of any size, and adds each to a {@link RowDigest} as the whole CopyData message would
 * be added: the same rows give the same digest. No row is held whole, so a row of a gigabyte costs
 * no more memory than one of a byte.
 *
 * <p>Text rows end at a newline (a newline in a value is escaped). A binary stream is a header,
 * then tuples (a 16-bit field count, and per field a 32-bit length, -1 for NULL, and that many
 * bytes), then a field count of -1.
 */
final class RowStream {

  private enum State {
    HEADER,
    HEADER_EXTENSION,
    FIELD_COUNT,
    FIELD_LENGTH,
    FIELD_VALUE,
    ENDED
  }

  private final RowDigest digest;
  private final boolean binary;
  private final Xxh64 row = new Xxh64();

  /** A header, count or length read across pieces. */
  private final byte[] word = new byte[CopyFormat.FIXED_HEADER];

  private int wordLength;
  private State state;
  private boolean insideRow;
  private long skip;
  private int fieldsLeft;

  RowStream(RowDigest digest) {
    this.digest = digest;
    this.binary = digest.format() == CopyFormat.BINARY;
    this.state = binary ? State.HEADER : State.FIELD_VALUE;
  }

  /** Takes the next piece of the stream. */
  void add(byte[] bytes, int offset, int length) {
    if (binary) {
      addBinary(bytes, offset, offset + length);
    } else {
      addText(bytes, offset, offset + length);
    }
  }

  /** Checks that the stream ended where a stream may end: after a whole row, or the trailer. */
  void finish() {
    boolean complete = binary ? state == State.ENDED : !insideRow;
    if (!complete) {
      throw new PgToolsException(
          "a COPY stream ended inside a row"
              + (binary ? " or without its trailer" : "")
              + " after "
              + digest.rows()
              + " rows");
    }
  }

  private void addText(byte[] bytes, int from, int end) {
    int start = from;
    for (int at = from; at < end; at++) {
      if (bytes[at] == '\n') {
        row.update(bytes, start, at + 1 - start);
        endRow();
        start = at + 1;
      }
    }
    if (start < end) {
      row.update(bytes, start, end - start);
      insideRow = true;
    }
  }

  private void addBinary(byte[] bytes, int from, int end) {
    int at = from;
    while (at < end) {
      switch (state) {
        case HEADER -> {
          at = fill(bytes, at, end, CopyFormat.FIXED_HEADER, false);
          if (wordLength == CopyFormat.FIXED_HEADER) {
            skip = CopyFormat.binaryHeaderExtension(word, 0);
            wordLength = 0;
            state = State.HEADER_EXTENSION;
          }
        }
        case HEADER_EXTENSION -> {
          int taken = (int) Math.min(skip, end - at);
          at += taken;
          skip -= taken;
        }
        case FIELD_COUNT -> {
          at = fill(bytes, at, end, 2, false);
          if (wordLength == 2) {
            int count = (short) (((word[0] & 0xFF) << 8) | (word[1] & 0xFF));
            wordLength = 0;
            if (count == -1) {
              state = State.ENDED;
            } else {
              row.update(word, 0, 2);
              insideRow = true;
              fieldsLeft = count;
              state = State.FIELD_LENGTH;
            }
          }
        }
        case FIELD_LENGTH -> {
          at = fill(bytes, at, end, 4, true);
          if (wordLength == 4) {
            int fieldLength =
                ((word[0] & 0xFF) << 24)
                    | ((word[1] & 0xFF) << 16)
                    | ((word[2] & 0xFF) << 8)
                    | (word[3] & 0xFF);
            wordLength = 0;
            fieldsLeft--;
            skip = Math.max(0, fieldLength);
            state = State.FIELD_VALUE;
          }
        }
        case FIELD_VALUE -> {
          int taken = (int) Math.min(skip, end - at);
          row.update(bytes, at, taken);
          at += taken;
          skip -= taken;
        }
        case ENDED -> throw new PgToolsException("a binary COPY stream went on after its trailer");
      }
      // A tuple of no fields ends as soon as its count is read.
      advance();
    }
  }

  /** Moves past a finished header extension, field value or tuple. */
  private void advance() {
    if (state == State.HEADER_EXTENSION && skip == 0) {
      state = State.FIELD_COUNT;
    } else if (state == State.FIELD_VALUE && skip == 0) {
      state = State.FIELD_LENGTH;
    }
    if (state == State.FIELD_LENGTH && fieldsLeft == 0) {
      endRow();
      state = State.FIELD_COUNT;
    }
  }

  /** Gathers a fixed-size word that may span pieces; a field length is part of the row. */
  private int fill(byte[] bytes, int at, int end, int size, boolean partOfRow) {
    int taken = Math.min(size - wordLength, end - at);
    System.arraycopy(bytes, at, word, wordLength, taken);
    if (partOfRow) {
      row.update(bytes, at, taken);
    }
    wordLength += taken;
    return at + taken;
  }

  private void endRow() {
    digest.addRowHash(row.digest());
    row.reset();
    insideRow = false;
  }
}
