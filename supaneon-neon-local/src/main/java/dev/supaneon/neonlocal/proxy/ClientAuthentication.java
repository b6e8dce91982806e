package dev.supaneon.neonlocal.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The server side of a SCRAM-SHA-256 exchange with a client, as PostgreSQL runs it over TLS: both
 * mechanisms are offered, SCRAM-SHA-256-PLUS must carry tls-server-end-point binding of the proxy's
 * certificate, and a client that could bind but says it thinks the server cannot ("y") is refused,
 * since that is what a downgrade looks like. An unknown role goes through the same exchange and
 * fails the same way as a wrong password, so the answer does not tell which roles exist.
 */
final class ClientAuthentication {

  private static final String GS2_BINDING = "p=" + Scram.CHANNEL_BINDING;

  private final DataInputStream in;
  private final OutputStream out;
  private final byte[] endPointBinding;

  ClientAuthentication(DataInputStream in, OutputStream out, byte[] endPointBinding) {
    this.in = in;
    this.out = out;
    this.endPointBinding = endPointBinding;
  }

  /** Runs the exchange; on failure the client has been sent the error and false is returned. */
  boolean authenticate(String user, Optional<String> password) throws IOException {
    byte[] mechanisms =
        (Scram.MECHANISM_PLUS + "\0" + Scram.MECHANISM + "\0\0").getBytes(StandardCharsets.UTF_8);
    Wire.writeMessage(out, 'R', Wire.authentication(Wire.AUTH_SASL, mechanisms));
    out.flush();

    Wire.Message initial = Wire.readMessage(in);
    if (initial.type() != 'p') {
      refuse("08P01", "expected a SASL response, got message type '" + initial.type() + "'");
      return false;
    }
    ByteBuffer body = initial.buffer();
    String mechanism = Wire.cString(body);
    int length = body.getInt();
    if (length < 0 || length != body.remaining()) {
      refuse("08P01", "malformed SASL initial response");
      return false;
    }
    String clientFirst = StandardCharsets.UTF_8.decode(body).toString();
    String[] parts = clientFirst.split(",", 3);
    if (parts.length < 3) {
      refuse("08P01", "malformed SCRAM message");
      return false;
    }
    String flag = parts[0];
    String gs2Header = flag + "," + parts[1] + ",";
    String clientFirstBare = parts[2];
    if (mechanism.equals(Scram.MECHANISM_PLUS)) {
      if (!flag.equals(GS2_BINDING)) {
        refuse("28000", "SCRAM-SHA-256-PLUS needs " + Scram.CHANNEL_BINDING + " binding");
        return false;
      }
    } else if (mechanism.equals(Scram.MECHANISM)) {
      if (flag.equals("y")) {
        refuse("28000", "SCRAM channel binding negotiation error: the server supports binding");
        return false;
      }
      if (!flag.equals("n")) {
        refuse("28000", "channel binding needs " + Scram.MECHANISM_PLUS);
        return false;
      }
    } else {
      refuse("28000", "unsupported SASL mechanism " + mechanism);
      return false;
    }
    if (!parts[1].isEmpty()) {
      refuse("28000", "SCRAM authorization identities are not supported");
      return false;
    }
    String clientNonce = attribute(clientFirstBare, 'r');
    if (clientNonce == null || clientNonce.isEmpty()) {
      refuse("08P01", "SCRAM message without a nonce");
      return false;
    }

    byte[] salt = Scram.random(16);
    String nonce = clientNonce + Scram.nonce();
    String serverFirst = "r=" + nonce + ",s=" + Scram.base64(salt) + ",i=" + Scram.ITERATIONS;
    Wire.writeMessage(
        out,
        'R',
        Wire.authentication(Wire.AUTH_SASL_CONTINUE, serverFirst.getBytes(StandardCharsets.UTF_8)));
    out.flush();

    Wire.Message response = Wire.readMessage(in);
    if (response.type() != 'p') {
      refuse("08P01", "expected a SASL response, got message type '" + response.type() + "'");
      return false;
    }
    String clientFinal = new String(response.body(), StandardCharsets.UTF_8);
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) {
      refuse("08P01", "SCRAM final message without a proof");
      return false;
    }
    String withoutProof = clientFinal.substring(0, proofAt);
    byte[] binding = gs2Header.getBytes(StandardCharsets.UTF_8);
    if (flag.equals(GS2_BINDING)) {
      binding =
          ByteBuffer.allocate(binding.length + endPointBinding.length)
              .put(binding)
              .put(endPointBinding)
              .array();
    }
    if (!Scram.base64(binding).equals(attribute(withoutProof, 'c'))) {
      refuse("28000", "SCRAM channel binding check failed");
      return false;
    }
    if (!nonce.equals(attribute(withoutProof, 'r'))) {
      refuse("08P01", "SCRAM nonce mismatch");
      return false;
    }
    byte[] proof;
    try {
      proof = Scram.fromBase64(clientFinal.substring(proofAt + 3));
    } catch (IllegalArgumentException e) {
      refuse("08P01", "malformed SCRAM proof");
      return false;
    }
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    // An unknown role is checked against a random password: it fails like a wrong one.
    Scram.Keys keys = Scram.Keys.of(password.orElse(Scram.nonce()), salt, Scram.ITERATIONS);
    if (password.isEmpty() || !keys.acceptsProof(proof, authMessage)) {
      refuse("28P01", "password authentication failed for user \"" + user + "\"");
      return false;
    }
    String serverFinal = "v=" + Scram.base64(keys.serverSignature(authMessage));
    Wire.writeMessage(
        out,
        'R',
        Wire.authentication(Wire.AUTH_SASL_FINAL, serverFinal.getBytes(StandardCharsets.UTF_8)));
    return true;
  }

  private void refuse(String sqlState, String message) throws IOException {
    Wire.writeMessage(out, 'E', Wire.error("FATAL", sqlState, message));
    out.flush();
  }

  /** The value of a SCRAM attribute ({@code r=...}) in a comma-separated message, or null. */
  static String attribute(String message, char name) {
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
        return part.substring(2);
      }
    }
    return null;
  }
}
