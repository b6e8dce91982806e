package dev.supaneon.lambda;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** How the local stand-ins of AWS's endpoints answer: a JSON body with its status. */
@SuppressForbidden(
    reason =
        "com.sun.net.httpserver is the JDK's exported, supported HTTP server (module"
            + " jdk.httpserver): a stand-in needs no server dependency")
final class StandInAnswers {

  private StandInAnswers() {}

  static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
