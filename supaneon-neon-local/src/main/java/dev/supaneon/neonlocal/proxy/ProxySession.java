package dev.supaneon.neonlocal.proxy;

import dev.supaneon.neonlocal.controlplane.ComputeRoute;
import dev.supaneon.neonlocal.controlplane.Endpoints;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/** One client connection to an endpoint, from its first byte to its end. */
final class ProxySession {

  private static final int HANDSHAKE_TIMEOUT_MS = 30_000;

  private final String endpointId;
  private final Socket client;
  private final Endpoints endpoints;
  private final PostgresServer backingServer;
  private final ProxyTls tls;
  private final Executor threads;
  private final Consumer<String> log;
  private volatile Closeable backend;
  private volatile boolean closed;

  ProxySession(
      String endpointId,
      Socket client,
      Endpoints endpoints,
      PostgresServer backingServer,
      ProxyTls tls,
      Executor threads,
      Consumer<String> log) {
    this.endpointId = endpointId;
    this.client = client;
    this.endpoints = endpoints;
    this.backingServer = backingServer;
    this.tls = tls;
    this.threads = threads;
    this.log = log;
  }

  void run() {
    try {
      serve();
    } catch (IOException e) {
      // the client or the server went away: nothing to tell anyone
    } catch (SQLException | RuntimeException e) {
      log.accept("neon-local: a session on " + endpointId + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      // neon-local is stopping
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  private void serve() throws IOException, SQLException, InterruptedException {
    client.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
    client.setTcpNoDelay(true);
    // Unbuffered until TLS: nothing the client sends after SSLRequest may be read ahead.
    DataInputStream plainIn = new DataInputStream(client.getInputStream());
    OutputStream plainOut = client.getOutputStream();
    byte[] packet = Wire.readUntypedPacket(plainIn);
    if (code(packet) == Wire.GSSENC_REQUEST) {
      plainOut.write('N');
      plainOut.flush();
      packet = Wire.readUntypedPacket(plainIn);
    }
    if (code(packet) == Wire.CANCEL_REQUEST) {
      BackendConnection.cancel(backingServer.host(), backingServer.port(), packet);
      return;
    }
    if (code(packet) != Wire.SSL_REQUEST) {
      // As on Neon: without TLS there is no SNI, no channel binding and no session.
      Wire.writeMessage(
          plainOut,
          'E',
          Wire.error("FATAL", "28000", "connection is insecure (try using `sslmode=require`)"));
      plainOut.flush();
      return;
    }
    plainOut.write('S');
    plainOut.flush();
    SSLSocket secure = tls.acceptTls(client);
    DataInputStream in = new DataInputStream(new BufferedInputStream(secure.getInputStream()));
    OutputStream out = new BufferedOutputStream(secure.getOutputStream());
    packet = Wire.readUntypedPacket(in);
    if (code(packet) == Wire.CANCEL_REQUEST) {
      BackendConnection.cancel(backingServer.host(), backingServer.port(), packet);
      return;
    }
    if (code(packet) != Wire.PROTOCOL_3) {
      refuse(out, "0A000", "unsupported frontend protocol");
      return;
    }
    Map<String, String> parameters = Wire.startupParameters(packet);
    String user = parameters.get("user");
    if (user == null || user.isEmpty()) {
      refuse(out, "28000", "no PostgreSQL user name specified in startup packet");
      return;
    }
    String database = parameters.getOrDefault("database", user);
    Optional<ComputeRoute> found = endpoints.route(endpointId, database, user);
    if (found.isEmpty()) {
      refuse(out, "08004", "endpoint " + endpointId + " was deleted");
      return;
    }
    ComputeRoute route = found.get();
    if (!new ClientAuthentication(in, out, tls.endPointBinding())
        .authenticate(user, route.password())) {
      return;
    }
    if (route.physicalDatabase().isEmpty()) {
      refuse(out, "3D000", "database \"" + database + "\" does not exist");
      return;
    }
    endpoints.awaitOperations(route.branchId(), Duration.ofMillis(HANDSHAKE_TIMEOUT_MS));
    endpoints.connected(endpointId);

    Map<String, String> backendParameters = new LinkedHashMap<>(parameters);
    withoutEndpointOption(backendParameters);
    backendParameters.put("user", user);
    backendParameters.put("database", route.physicalDatabase().get());
    if (route.readOnly()) {
      // A read-only compute: Neon's are hot standbys; here every transaction starts read-only.
      backendParameters.put("default_transaction_read_only", "on");
    }
    BackendConnection server;
    try {
      server =
          BackendConnection.open(
              backingServer, tls, backendParameters, route.password().orElseThrow());
    } catch (BackendConnection.Refused refused) {
      Wire.writeMessage(out, 'E', refused.errorBody());
      out.flush();
      return;
    } catch (IOException unreachable) {
      refuse(out, "08006", "the compute is unreachable: " + unreachable.getMessage());
      return;
    }
    backend = server.transport;
    if (closed) {
      return;
    }
    Wire.writeMessage(out, 'R', Wire.authentication(Wire.AUTH_OK, new byte[0]));
    client.setSoTimeout(0);
    threads.execute(() -> copyToServer(in, server.out));
    ResultRelay relay = new ResultRelay(server.in, out, route.logicalByPhysical());
    try {
      relay.run();
    } finally {
      endpoints.sessionEnded(endpointId, route.branchId(), relay.bytesSent());
    }
  }

  private void copyToServer(InputStream in, OutputStream out) {
    byte[] buffer = new byte[64 * 1024];
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // either side went away
    } finally {
      close();
    }
  }

  /**
   * Drops {@code endpoint=...} (and {@code project=...}) from the {@code options} parameter:
   * clients without SNI name Neon's endpoint that way, and the server would refuse it as a setting.
   * Here the port already names the endpoint.
   */
  static void withoutEndpointOption(Map<String, String> parameters) {
    String options = parameters.get("options");
    if (options == null) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String token : options.trim().split("\\s+")) {
      String setting = token.startsWith("--") ? token.substring(2) : token;
      if (!setting.startsWith("endpoint=") && !setting.startsWith("project=")) {
        kept.add(token);
      }
    }
    if (kept.isEmpty() || (kept.size() == 1 && kept.get(0).isEmpty())) {
      parameters.remove("options");
    } else {
      parameters.put("options", String.join(" ", kept));
    }
  }

  private static void refuse(OutputStream out, String sqlState, String message) throws IOException {
    Wire.writeMessage(out, 'E', Wire.error("FATAL", sqlState, message));
    out.flush();
  }

  private static int code(byte[] packet) {
    return ByteBuffer.wrap(packet).getInt();
  }

  /** Ends the session on both sides; closing the plain sockets also ends blocked TLS reads. */
  void close() {
    closed = true;
    closeQuietly(client);
    closeQuietly(backend);
  }

  private static void closeQuietly(Closeable connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
