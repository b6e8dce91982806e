package dev.supaneon.neonlocal.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of PostgreSQL's wire protocol (version 3) that the proxy reads and writes itself. */
final class Wire {

  static final int PROTOCOL_3 = 196608;
  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;

  static final int AUTH_OK = 0;
  static final int AUTH_CLEARTEXT = 3;
  static final int AUTH_MD5 = 5;
  static final int AUTH_SASL = 10;
  static final int AUTH_SASL_CONTINUE = 11;
  static final int AUTH_SASL_FINAL = 12;

  /**
   * Larger startup packets or authentication messages than this are refused, as the server does.
   */
  private static final int MAX_HANDSHAKE_LENGTH = 10_000;

  private Wire() {}

  /** A message read whole: its type byte and its body (without type and length). */
  record Message(char type, byte[] body) {

    ByteBuffer buffer() {
      return ByteBuffer.wrap(body);
    }
  }

  /** A packet without type byte (startup, SSL, cancel requests): the body after the length. */
  static byte[] readUntypedPacket(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 8 || length > MAX_HANDSHAKE_LENGTH) {
      throw new IOException("invalid startup packet length " + length);
    }
    return in.readNBytes(length - 4);
  }

  /** A typed message of the handshake, read whole. */
  static Message readMessage(DataInputStream in) throws IOException {
    int type = in.readUnsignedByte();
    int length = in.readInt();
    if (length < 4 || length > MAX_HANDSHAKE_LENGTH) {
      throw new IOException("invalid message length " + length + " for '" + (char) type + "'");
    }
    return new Message((char) type, in.readNBytes(length - 4));
  }

  static void writeMessage(OutputStream out, char type, byte[] body) throws IOException {
    out.write(type);
    writeInt(out, body.length + 4);
    out.write(body);
  }

  static void writeInt(OutputStream out, int value) throws IOException {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  /** The key/value pairs of a startup packet's body (after the protocol version). */
  static Map<String, String> startupParameters(byte[] packet) {
    ByteBuffer buffer = ByteBuffer.wrap(packet, 4, packet.length - 4);
    Map<String, String> parameters = new LinkedHashMap<>();
    while (buffer.hasRemaining()) {
      String key = cString(buffer);
      if (key.isEmpty()) {
        break;
      }
      parameters.put(key, cString(buffer));
    }
    return parameters;
  }

  /** A whole startup packet, length included. */
  static byte[] startupPacket(Map<String, String> parameters) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    parameters.forEach(
        (key, value) -> {
          putCString(body, key);
          putCString(body, value);
        });
    body.write(0);
    ByteBuffer packet = ByteBuffer.allocate(8 + body.size());
    packet.putInt(8 + body.size()).putInt(PROTOCOL_3).put(body.toByteArray());
    return packet.array();
  }

  /** An ErrorResponse body with severity, SQLSTATE and message, as the server writes one. */
  static byte[] error(String severity, String sqlState, String message) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write('S');
    putCString(body, severity);
    body.write('V');
    putCString(body, severity);
    body.write('C');
    putCString(body, sqlState);
    body.write('M');
    putCString(body, message);
    body.write(0);
    return body.toByteArray();
  }

  /** The message of an ErrorResponse body ('M' field), for log lines. */
  static String errorMessage(byte[] body) {
    ByteBuffer buffer = ByteBuffer.wrap(body);
    while (buffer.hasRemaining()) {
      byte field = buffer.get();
      if (field == 0) {
        break;
      }
      String value = cString(buffer);
      if (field == 'M') {
        return value;
      }
    }
    return "(no message)";
  }

  /** An Authentication message body: the code, then its data. */
  static byte[] authentication(int code, byte[] data) {
    return ByteBuffer.allocate(4 + data.length).putInt(code).put(data).array();
  }

  static String cString(ByteBuffer buffer) {
    int start = buffer.position();
    int end = start;
    while (end < buffer.limit() && buffer.get(end) != 0) {
      end++;
    }
    if (end == buffer.limit()) {
      throw new IllegalArgumentException("unterminated string in a protocol message");
    }
    String value =
        new String(
            buffer.array(), buffer.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
    buffer.position(end + 1);
    return value;
  }

  static void putCString(ByteArrayOutputStream out, String value) {
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
