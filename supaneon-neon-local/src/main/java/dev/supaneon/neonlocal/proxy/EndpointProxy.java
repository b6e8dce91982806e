package dev.supaneon.neonlocal.proxy;

import dev.supaneon.neonlocal.controlplane.EndpointAddresses;
import dev.supaneon.neonlocal.controlplane.Endpoints;
import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * neon-local's stand-in for Neon's proxy: every endpoint has its own port on loopback, which
 * reaches only its branch. Like Neon's proxy it terminates TLS, authenticates the client itself
 * with SCRAM-SHA-256-PLUS (or SCRAM-SHA-256 for clients without channel binding), maps the logical
 * database name to the branch's database on the backing server, wakes a suspended compute, and then
 * relays the session to the backing server.
 */
public final class EndpointProxy implements EndpointAddresses, AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final Endpoints endpoints;
  private final PostgresServer backingServer;
  private final ProxyTls tls;
  private final Consumer<String> log;
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final ExecutorService threads;

  public EndpointProxy(Endpoints endpoints, PostgresServer backingServer, Consumer<String> log) {
    this.endpoints = endpoints;
    this.backingServer = backingServer;
    this.tls = ProxyTls.shared();
    this.log = log;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "neon-local-proxy-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public synchronized int listen(String endpointId, int port) throws IOException {
    Listener existing = listeners.get(endpointId);
    if (existing != null) {
      return existing.port();
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    InetAddress loopback = InetAddress.getByName(HOST);
    try {
      socket.bind(new InetSocketAddress(loopback, port));
    } catch (BindException taken) {
      if (port == 0) {
        socket.close();
        throw taken;
      }
      log.accept(
          "neon-local: port "
              + port
              + " of endpoint "
              + endpointId
              + " is taken; it moves to a new port, and its connection string changes");
      socket.bind(new InetSocketAddress(loopback, 0));
    }
    Listener listener = new Listener(endpointId, socket);
    listeners.put(endpointId, listener);
    threads.execute(listener::acceptConnections);
    return listener.port();
  }

  @Override
  public synchronized void retainOnly(Set<String> endpointIds) {
    for (String endpointId : Set.copyOf(listeners.keySet())) {
      if (!endpointIds.contains(endpointId)) {
        listeners.remove(endpointId).close();
      }
    }
  }

  @Override
  public void disconnect(String endpointId) {
    Listener listener = listeners.get(endpointId);
    if (listener != null) {
      listener.closeSessions();
    }
  }

  @Override
  public int openSessions(String endpointId) {
    Listener listener = listeners.get(endpointId);
    return listener == null ? 0 : listener.sessions.size();
  }

  @Override
  public synchronized void close() {
    listeners.values().forEach(Listener::close);
    listeners.clear();
    threads.shutdownNow();
  }

  /** One endpoint's port and the sessions it has open. */
  private final class Listener {
    private final String endpointId;
    private final ServerSocket socket;
    private final Set<ProxySession> sessions = ConcurrentHashMap.newKeySet();

    Listener(String endpointId, ServerSocket socket) {
      this.endpointId = endpointId;
      this.socket = socket;
    }

    int port() {
      return socket.getLocalPort();
    }

    void acceptConnections() {
      while (!socket.isClosed()) {
        Socket client;
        try {
          client = socket.accept();
        } catch (SocketException closed) {
          return;
        } catch (IOException e) {
          log.accept("neon-local: endpoint " + endpointId + " could not accept: " + e.getMessage());
          continue;
        }
        ProxySession session =
            new ProxySession(endpointId, client, endpoints, backingServer, tls, threads, log);
        sessions.add(session);
        threads.execute(
            () -> {
              try {
                session.run();
              } finally {
                sessions.remove(session);
              }
            });
      }
    }

    void closeSessions() {
      sessions.forEach(ProxySession::close);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      closeSessions();
    }
  }
}
