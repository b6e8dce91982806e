package dev.supaneon.neonlocal.controlplane;

import java.io.IOException;
import java.util.Set;

/**
 * Where endpoints take connections: one port per endpoint, kept in the endpoint's row so that its
 * connection string stays the same while neon-local runs and, where the port is free, after a
 * restart.
 */
public interface EndpointAddresses {

  /** The host every endpoint's address starts with, for example {@code 127.0.0.1}. */
  String host();

  /** Takes connections for the endpoint, on {@code port} unless 0 or taken; returns the port. */
  int listen(String endpointId, int port) throws IOException;

  /** Stops taking connections for endpoints other than these, and closes their sessions. */
  void retainOnly(Set<String> endpointIds);

  /** Closes the endpoint's open sessions: its compute was suspended. */
  void disconnect(String endpointId);

  /** How many sessions the endpoint has open. */
  int openSessions(String endpointId);

  /** No proxy: endpoints have no port (a control plane opened on its own, as in some tests). */
  EndpointAddresses NONE =
      new EndpointAddresses() {
        @Override
        public String host() {
          return "127.0.0.1";
        }

        @Override
        public int listen(String endpointId, int port) {
          return port;
        }

        @Override
        public void retainOnly(Set<String> endpointIds) {}

        @Override
        public void disconnect(String endpointId) {}

        @Override
        public int openSessions(String endpointId) {
          return 0;
        }
      };
}
