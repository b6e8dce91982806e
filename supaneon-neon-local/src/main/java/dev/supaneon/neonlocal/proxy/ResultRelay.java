package dev.supaneon.neonlocal.proxy;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Relays the backing server's messages to the client, message by message. Results whose row
 * description has columns of type {@code name} (what {@code current_database()} and {@code
 * pg_database.datname} return) show a branch database's logical name instead of its physical one;
 * every other message, COPY data included, passes through unread.
 */
final class ResultRelay {

  private static final int NAME_TYPE_OID = 19;
  private static final int CHUNK = 64 * 1024;

  private final DataInputStream in;
  private final OutputStream out;
  private final Map<String, String> logicalByPhysical;
  private long bytesSent;

  ResultRelay(DataInputStream in, OutputStream clientOut, Map<String, String> logicalByPhysical) {
    this.in = in;
    this.out = new BufferedOutputStream(clientOut, CHUNK);
    this.logicalByPhysical = logicalByPhysical;
  }

  /** Relays until the server closes the session. */
  void run() throws IOException {
    byte[] chunk = new byte[CHUNK];
    boolean[] nameColumns = null;
    while (true) {
      int type = in.read();
      if (type < 0) {
        out.flush();
        return;
      }
      int length = in.readInt();
      if (length < 4) {
        throw new IOException("invalid message length " + length + " from the backing server");
      }
      bytesSent += 1L + length;
      if (type == 'T') {
        byte[] body = in.readNBytes(length - 4);
        nameColumns = nameColumns(body);
        Wire.writeMessage(out, 'T', body);
      } else if (type == 'D' && nameColumns != null) {
        Wire.writeMessage(out, 'D', logicalNames(in.readNBytes(length - 4), nameColumns));
      } else {
        out.write(type);
        Wire.writeInt(out, length);
        long remaining = length - 4L;
        while (remaining > 0) {
          int read = in.read(chunk, 0, (int) Math.min(chunk.length, remaining));
          if (read < 0) {
            throw new EOFException("the backing server closed the session mid-message");
          }
          out.write(chunk, 0, read);
          remaining -= read;
        }
        if (type != 'D') {
          // The end of a result (or no result): the next rows come with their own description.
          nameColumns = null;
        }
      }
      if (in.available() == 0) {
        out.flush();
      }
    }
  }

  /** The protocol bytes relayed so far: Neon's data transfer (egress). */
  long bytesSent() {
    return bytesSent;
  }

  /** Which columns are of type name, or null when none are. */
  static boolean[] nameColumns(byte[] rowDescription) {
    ByteBuffer buffer = ByteBuffer.wrap(rowDescription);
    int count = buffer.getShort() & 0xFFFF;
    boolean[] names = new boolean[count];
    boolean any = false;
    for (int i = 0; i < count; i++) {
      Wire.cString(buffer);
      buffer.getInt(); // table
      buffer.getShort(); // column
      names[i] = buffer.getInt() == NAME_TYPE_OID;
      buffer.getShort(); // type size
      buffer.getInt(); // type modifier
      buffer.getShort(); // format: text and binary are the same bytes for name
      any |= names[i];
    }
    return any ? names : null;
  }

  /** The row, with each name-typed value that is a physical database name made logical. */
  byte[] logicalNames(byte[] dataRow, boolean[] nameColumns) {
    ByteBuffer buffer = ByteBuffer.wrap(dataRow);
    int count = buffer.getShort() & 0xFFFF;
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream(dataRow.length);
    rewritten.write(count >>> 8);
    rewritten.write(count);
    boolean changed = false;
    for (int i = 0; i < count; i++) {
      int length = buffer.getInt();
      byte[] value = length < 0 ? null : new byte[length];
      if (value != null) {
        buffer.get(value);
        if (i < nameColumns.length && nameColumns[i]) {
          String logical = logicalByPhysical.get(new String(value, StandardCharsets.UTF_8));
          if (logical != null) {
            value = logical.getBytes(StandardCharsets.UTF_8);
            changed = true;
          }
        }
      }
      ByteBuffer size = ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length);
      rewritten.writeBytes(size.array());
      if (value != null) {
        rewritten.writeBytes(value);
      }
    }
    return changed ? rewritten.toByteArray() : dataRow;
  }
}
