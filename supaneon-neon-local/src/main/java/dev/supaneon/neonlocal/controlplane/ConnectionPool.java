package dev.supaneon.neonlocal.controlplane;

import dev.supaneon.neonlocal.postgres.PostgresServer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * A small pool of superuser connections to one database of the backing server. Each connection
 * costs an SSL handshake and a SCRAM exchange, which would otherwise dominate every API call.
 */
final class ConnectionPool implements AutoCloseable {

  private final PostgresServer server;
  private final String database;
  private final int maxIdle;
  private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
  private volatile boolean closed;

  ConnectionPool(PostgresServer server, String database, int maxIdle) {
    this.server = server;
    this.database = database;
    this.maxIdle = maxIdle;
  }

  /** A connection in auto-commit mode; closing it returns it to the pool. */
  Connection borrow() throws SQLException {
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      if (connection.isValid(2)) {
        return wrap(connection);
      }
      quietlyClose(connection);
    }
    return wrap(server.connectAsSuperuser(database));
  }

  private Connection wrap(Connection real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            giveBack(real);
            return null;
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private void giveBack(Connection real) throws SQLException {
    if (closed || real.isClosed() || idle.size() >= maxIdle) {
      quietlyClose(real);
      return;
    }
    if (!real.getAutoCommit()) {
      real.rollback();
      real.setAutoCommit(true);
    }
    idle.offerFirst(real);
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      quietlyClose(connection);
    }
  }

  private static void quietlyClose(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // it was broken already
    }
  }
}
