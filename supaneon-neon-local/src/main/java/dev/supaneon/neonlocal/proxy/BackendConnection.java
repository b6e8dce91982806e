package dev.supaneon.neonlocal.proxy;

import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A session on the backing server opened for a client: its Unix-domain socket where this process
 * can reach it, else TCP with TLS when the server offers it; the client's startup parameters with
 * the physical database, and the role's own password (SCRAM, MD5 or cleartext, whichever the server
 * asks for). It ends just after AuthenticationOk; the server's next messages (parameters, key data,
 * ready) are for the client.
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

  /** Closing it ends the session, and unblocks a read in progress. */
  final Closeable transport;

  final DataInputStream in;
  final OutputStream out;

  private BackendConnection(Closeable transport, InputStream in, OutputStream out) {
    this.transport = transport;
    this.in = new DataInputStream(new BufferedInputStream(in, 65536));
    this.out = out;
  }

  /**
   * A logged-in session on the server: through its Unix-domain socket where there is one (no TCP,
   * no second TLS layer on the same machine), else over TCP with TLS when the server offers it.
   */
  static BackendConnection open(
      PostgresServer server, ProxyTls tls, Map<String, String> parameters, String password)
      throws IOException, Refused {
    BackendConnection connection =
        server.unixSocket().isPresent()
            ? overUnixSocket(server.unixSocket().get())
            : overTcp(server.host(), server.port(), tls);
    try {
      connection.out.write(Wire.startupPacket(parameters));
      connection.out.flush();
      authenticate(connection.in, connection.out, parameters.get("user"), password);
      return connection;
    } catch (IOException | Refused | RuntimeException e) {
      connection.transport.close();
      throw e;
    }
  }

  private static BackendConnection overTcp(String host, int port, ProxyTls tls) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      plain.setTcpNoDelay(true);
      OutputStream plainOut = plain.getOutputStream();
      plainOut.write(ByteBuffer.allocate(8).putInt(8).putInt(Wire.SSL_REQUEST).array());
      plainOut.flush();
      int answer = plain.getInputStream().read();
      Socket socket = answer == 'S' ? tls.connectTls(plain, host) : plain;
      return new BackendConnection(plain, socket.getInputStream(), socket.getOutputStream());
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static BackendConnection overUnixSocket(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new BackendConnection(channel, inputOf(channel), outputOf(channel));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Streams straight on the channel's read and write, which lock separately: on Java 17 the streams
   * of {@code Channels} share one lock, so a blocked read would stall every write.
   */
  private static InputStream inputOf(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
      }
    };
  }

  private static OutputStream outputOf(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
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
