package dev.supaneon.neonlocal.proxy;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A session on the backing server opened for a client: TLS when the server offers it, the client's
 * startup parameters with the physical database, and the role's own password (SCRAM, MD5 or
 * cleartext, whichever the server asks for). It ends just after AuthenticationOk; the server's next
 * messages (parameters, key data, ready) are for the client.
 */
final class BackendConnection {

  private static final int CONNECT_TIMEOUT_MS = 10_000;

  /** The server refused the session; the body is its ErrorResponse, to pass on to the client. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient byte[] errorBody;

    Refused(byte[] errorBody) {
      super(Wire.errorMessage(errorBody));
      this.errorBody = errorBody;
    }

    byte[] errorBody() {
      return errorBody;
    }
  }

  final Socket plain;
  final Socket socket;
  final DataInputStream in;
  final OutputStream out;

  private BackendConnection(Socket plain, Socket socket, DataInputStream in, OutputStream out) {
    this.plain = plain;
    this.socket = socket;
    this.in = in;
    this.out = out;
  }

  static BackendConnection open(
      String host, int port, ProxyTls tls, Map<String, String> parameters, String password)
      throws IOException, Refused {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      plain.setTcpNoDelay(true);
      OutputStream plainOut = plain.getOutputStream();
      plainOut.write(ByteBuffer.allocate(8).putInt(8).putInt(Wire.SSL_REQUEST).array());
      plainOut.flush();
      int answer = plain.getInputStream().read();
      Socket socket = answer == 'S' ? tls.connectTls(plain, host) : plain;
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
      OutputStream out = socket.getOutputStream();
      out.write(Wire.startupPacket(parameters));
      out.flush();
      authenticate(in, out, parameters.get("user"), password);
      return new BackendConnection(plain, socket, in, out);
    } catch (IOException | Refused | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static void authenticate(
      DataInputStream in, OutputStream out, String user, String password)
      throws IOException, Refused {
    String clientFirstBare = null;
    String nonce = null;
    Scram.Keys keys = null;
    String authMessage = null;
    while (true) {
      Wire.Message message = Wire.readMessage(in);
      if (message.type() == 'E') {
        throw new Refused(message.body());
      }
      if (message.type() == 'N') {
        continue;
      }
      if (message.type() != 'R') {
        throw new IOException("unexpected message '" + message.type() + "' during login");
      }
      ByteBuffer body = message.buffer();
      int code = body.getInt();
      switch (code) {
        case Wire.AUTH_OK -> {
          return;
        }
        case Wire.AUTH_SASL -> {
          nonce = Scram.nonce();
          clientFirstBare = "n=,r=" + nonce;
          byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
          byte[] mechanism = (Scram.MECHANISM + "\0").getBytes(StandardCharsets.UTF_8);
          Wire.writeMessage(
              out,
              'p',
              ByteBuffer.allocate(mechanism.length + 4 + first.length)
                  .put(mechanism)
                  .putInt(first.length)
                  .put(first)
                  .array());
        }
        case Wire.AUTH_SASL_CONTINUE -> {
          String serverFirst = StandardCharsets.UTF_8.decode(body).toString();
          String serverNonce = ClientAuthentication.attribute(serverFirst, 'r');
          if (nonce == null || serverNonce == null || !serverNonce.startsWith(nonce)) {
            throw new IOException("the backing server's SCRAM nonce does not match");
          }
          byte[] salt = Scram.fromBase64(ClientAuthentication.attribute(serverFirst, 's'));
          int iterations = Integer.parseInt(ClientAuthentication.attribute(serverFirst, 'i'));
          keys = Scram.Keys.of(password, salt, iterations);
          String withoutProof = "c=biws,r=" + serverNonce;
          authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
          String clientFinal = withoutProof + ",p=" + Scram.base64(keys.clientProof(authMessage));
          Wire.writeMessage(out, 'p', clientFinal.getBytes(StandardCharsets.UTF_8));
        }
        case Wire.AUTH_SASL_FINAL -> {
          String serverFinal = StandardCharsets.UTF_8.decode(body).toString();
          String expected =
              "v=" + Scram.base64(keys == null ? new byte[0] : keys.serverSignature(authMessage));
          if (!serverFinal.startsWith(expected)) {
            throw new IOException("the backing server's SCRAM signature does not match");
          }
        }
        case Wire.AUTH_MD5 -> {
          byte[] salt = new byte[4];
          body.get(salt);
          String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
          byte[] innerBytes = inner.getBytes(StandardCharsets.US_ASCII);
          byte[] salted =
              ByteBuffer.allocate(innerBytes.length + 4).put(innerBytes).put(salt).array();
          Wire.writeMessage(
              out, 'p', ("md5" + md5Hex(salted) + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        case Wire.AUTH_CLEARTEXT ->
            Wire.writeMessage(out, 'p', (password + "\0").getBytes(StandardCharsets.UTF_8));
        default -> throw new IOException("unsupported authentication request " + code);
      }
      out.flush();
    }
  }

  private static String md5Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  /** Passes a client's cancel request on; the server needs no login or TLS for it. */
  static void cancel(String host, int port, byte[] packet) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      Wire.writeInt(out, packet.length + 4);
      out.write(packet);
      out.flush();
    }
  }
}
