package dev.supaneon.core.postgres;

/**
 * How a table's rows travel between {@code COPY ... TO STDOUT} and {@code COPY ... FROM STDIN}.
 *
 * <p>Binary spares both servers the text conversions (parsing timestamps and numerics on load costs
 * the target more than the rest of the row), so it is used wherever it means the same on both
 * sides: source and target of the same major version, and columns whose binary form holds no
 * database-local identifier. Everything else travels as text.
 */
enum CopyFormat {
  TEXT("", "xxh64-sum:"),
  BINARY(" (FORMAT binary)", "xxh64-binary-sum:");

  /** {@code PGCOPY\n\377\r\n\0}: the start of every binary COPY stream. */
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', -1, '\r', '\n', 0};

  /** Signature, flags field, header extension length. */
  static final int FIXED_HEADER = SIGNATURE.length + 4 + 4;

  private final String option;
  private final String checksumKind;

  CopyFormat(String option, String checksumKind) {
    this.option = option;
    this.checksumKind = checksumKind;
  }

  /** What follows {@code TO STDOUT} or {@code FROM STDIN}. */
  String option() {
    return option;
  }

  /** Marks checksums, so a checksum of one format is never taken for one of the other. */
  String checksumKind() {
    return checksumKind;
  }

  /**
   * The length of the binary header at the start of the stream's first message. Anything else there
   * is a protocol error: the rows that follow could not be told apart.
   */
  static int binaryHeaderLength(byte[] message, int offset, int length) {
    if (length < FIXED_HEADER) {
      throw new PgToolsException("a binary COPY stream started without its header");
    }
    int extension = binaryHeaderExtension(message, offset);
    if (extension > length - FIXED_HEADER) {
      throw new PgToolsException("a binary COPY stream has a malformed header");
    }
    return FIXED_HEADER + extension;
  }

  /**
   * The length of the header extension that follows the fixed header of {@value #FIXED_HEADER}
   * bytes at {@code offset}, which must start with the signature.
   */
  static int binaryHeaderExtension(byte[] header, int offset) {
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (header[offset + i] != SIGNATURE[i]) {
        throw new PgToolsException("a binary COPY stream started without its signature");
      }
    }
    int extension =
        ((header[offset + 15] & 0xFF) << 24)
            | ((header[offset + 16] & 0xFF) << 16)
            | ((header[offset + 17] & 0xFF) << 8)
            | (header[offset + 18] & 0xFF);
    if (extension < 0) {
      throw new PgToolsException("a binary COPY stream has a malformed header");
    }
    return extension;
  }
}
