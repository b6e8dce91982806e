package dev.supaneon.neonlocal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The proxy's SCRAM server, driven message by message by a client written here: the password, the
 * channel binding and the downgrade rules each decide the outcome.
 */
class ClientAuthenticationTest {

  static final byte[] BINDING =
      Scram.sha256("the proxy's certificate".getBytes(StandardCharsets.UTF_8));

  /** The server's last answer: true and the final message, or false and the SQLSTATE. */
  record Outcome(boolean authenticated, String detail) {}

  /** A client exchange; {@code gs2Header} and {@code bindingData} as the client sends them. */
  static Outcome exchange(
      String mechanism,
      String gs2Header,
      byte[] bindingData,
      String clientPassword,
      Optional<String> rolePassword)
      throws Exception {
    return exchange(
        mechanism,
        gs2Header,
        "n=,r=clientnonce123",
        bindingData,
        clientPassword,
        rolePassword,
        UnaryOperator.identity());
  }

  /** The server's first message of the last exchange, to compare salts and nonces. */
  static volatile String lastServerFirst;

  /**
   * An exchange with the client's first message ({@code bare}) and its final one (through {@code
   * tamper}) as given: the server's answer to anything malformed is an error, not a login.
   */
  static Outcome exchange(
      String mechanism,
      String gs2Header,
      String bare,
      byte[] bindingData,
      String clientPassword,
      Optional<String> rolePassword,
      UnaryOperator<String> tamper)
      throws Exception {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> run(mechanism, gs2Header, bare, bindingData, clientPassword, rolePassword, tamper),
        "the server answers every message it waits for (it flushes)");
  }

  private static Outcome run(
      String mechanism,
      String gs2Header,
      String bare,
      byte[] bindingData,
      String clientPassword,
      Optional<String> rolePassword,
      UnaryOperator<String> tamper)
      throws Exception {
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    PipedOutputStream fromServer = new PipedOutputStream();
    PipedInputStream clientIn = new PipedInputStream(fromServer, 1 << 16);
    CompletableFuture<Boolean> server =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                // Buffered as in the proxy: an answer not flushed never reaches the client.
                BufferedOutputStream buffered = new BufferedOutputStream(fromServer);
                boolean result =
                    new ClientAuthentication(new DataInputStream(serverIn), buffered, BINDING)
                        .authenticate("neondb_owner", rolePassword);
                if (result) {
                  // The proxy flushes the final message with AuthenticationOk, once its own
                  // session to the server is open; a refusal must flush itself.
                  buffered.flush();
                }
                return result;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    DataInputStream in = new DataInputStream(clientIn);
    DataOutputStream out = new DataOutputStream(toServer);
    Wire.Message offer = Wire.readMessage(in);
    assertEquals('R', offer.type());
    assertTrue(
        new String(offer.body(), StandardCharsets.UTF_8).contains(Scram.MECHANISM_PLUS),
        "PLUS is offered");
    String nonce = ClientAuthentication.attribute(bare, 'r');
    byte[] first = (gs2Header + bare).getBytes(StandardCharsets.UTF_8);
    byte[] name = (mechanism + "\0").getBytes(StandardCharsets.UTF_8);
    Wire.writeMessage(
        out,
        'p',
        ByteBuffer.allocate(name.length + 4 + first.length)
            .put(name)
            .putInt(first.length)
            .put(first)
            .array());
    out.flush();
    Wire.Message answer = Wire.readMessage(in);
    if (answer.type() == 'E') {
      return refused(server, answer);
    }
    ByteBuffer continued = answer.buffer();
    assertEquals(Wire.AUTH_SASL_CONTINUE, continued.getInt());
    String serverFirst = StandardCharsets.UTF_8.decode(continued).toString();
    lastServerFirst = serverFirst;
    String serverNonce = ClientAuthentication.attribute(serverFirst, 'r');
    assertTrue(serverNonce.startsWith(nonce) && serverNonce.length() > nonce.length());
    Scram.Keys keys =
        Scram.Keys.of(
            clientPassword,
            Scram.fromBase64(ClientAuthentication.attribute(serverFirst, 's')),
            Integer.parseInt(ClientAuthentication.attribute(serverFirst, 'i')));
    byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
    byte[] c =
        ByteBuffer.allocate(header.length + bindingData.length)
            .put(header)
            .put(bindingData)
            .array();
    String withoutProof = "c=" + Scram.base64(c) + ",r=" + serverNonce;
    String authMessage = bare + "," + serverFirst + "," + withoutProof;
    Wire.writeMessage(
        out,
        'p',
        tamper
            .apply(withoutProof + ",p=" + Scram.base64(keys.clientProof(authMessage)))
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
    Wire.Message last = Wire.readMessage(in);
    if (last.type() == 'E') {
      return refused(server, last);
    }
    ByteBuffer finalMessage = last.buffer();
    assertEquals(Wire.AUTH_SASL_FINAL, finalMessage.getInt());
    assertTrue(server.get(10, TimeUnit.SECONDS));
    String serverFinal = StandardCharsets.UTF_8.decode(finalMessage).toString();
    assertEquals(
        "v=" + Scram.base64(keys.serverSignature(authMessage)),
        serverFinal,
        "the server proves it knows the password too");
    return new Outcome(true, serverFinal);
  }

  private static Outcome refused(CompletableFuture<Boolean> server, Wire.Message error)
      throws Exception {
    assertFalse(server.get(10, TimeUnit.SECONDS));
    String fields = new String(error.body(), StandardCharsets.UTF_8);
    int code = fields.indexOf("\0C");
    return new Outcome(false, fields.substring(code + 2, code + 7));
  }

  @Test
  void scramPlusWithTheCertificatesBindingAndTheRightPasswordLogsIn() throws Exception {
    assertTrue(
        exchange(
                Scram.MECHANISM_PLUS,
                "p=tls-server-end-point,,",
                BINDING,
                "secret",
                Optional.of("secret"))
            .authenticated());
  }

  @Test
  void aClientWithoutChannelBindingMayUsePlainScram() throws Exception {
    assertTrue(
        exchange(Scram.MECHANISM, "n,,", new byte[0], "secret", Optional.of("secret"))
            .authenticated());
  }

  @Test
  void aWrongPasswordOrAnUnknownRoleFailsAlike() throws Exception {
    Outcome wrong =
        exchange(
            Scram.MECHANISM_PLUS,
            "p=tls-server-end-point,,",
            BINDING,
            "guess",
            Optional.of("secret"));
    assertEquals(new Outcome(false, "28P01"), wrong);
    Outcome unknown =
        exchange(
            Scram.MECHANISM_PLUS, "p=tls-server-end-point,,", BINDING, "guess", Optional.empty());
    assertEquals(wrong, unknown, "the answer does not tell which roles exist");
  }

  @Test
  void bindingToAnotherCertificateIsRefused() throws Exception {
    byte[] otherCertificate = Scram.sha256("a man in the middle".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        new Outcome(false, "28000"),
        exchange(
            Scram.MECHANISM_PLUS,
            "p=tls-server-end-point,,",
            otherCertificate,
            "secret",
            Optional.of("secret")));
  }

  @Test
  void aDowngradeIsRefused() throws Exception {
    assertEquals(
        new Outcome(false, "28000"),
        exchange(Scram.MECHANISM, "y,,", new byte[0], "secret", Optional.of("secret")),
        "a client that could bind but believes the server cannot");
    assertEquals(
        new Outcome(false, "28000"),
        exchange(Scram.MECHANISM_PLUS, "n,,", new byte[0], "secret", Optional.of("secret")),
        "PLUS without binding");
    assertEquals(
        new Outcome(false, "28000"),
        exchange(
            Scram.MECHANISM, "p=tls-server-end-point,,", BINDING, "secret", Optional.of("secret")),
        "binding asked for under the plain mechanism");
  }

  static Outcome plus(String bare, UnaryOperator<String> tamper) throws Exception {
    return exchange(
        Scram.MECHANISM_PLUS,
        "p=tls-server-end-point,,",
        bare,
        BINDING,
        "secret",
        Optional.of("secret"),
        tamper);
  }

  @Test
  void malformedOrReplayedMessagesAreRefused() throws Exception {
    UnaryOperator<String> asIs = UnaryOperator.identity();
    assertEquals(
        new Outcome(false, "08P01"), plus("n=,x=no-nonce", asIs), "a first message without nonce");
    assertEquals(
        new Outcome(false, "28000"),
        exchange(
            Scram.MECHANISM_PLUS,
            "p=tls-server-end-point,a=someone_else,",
            "n=,r=abc",
            BINDING,
            "secret",
            Optional.of("secret"),
            asIs),
        "an authorization identity (acting as another role)");
    assertEquals(
        new Outcome(false, "28000"),
        exchange(
            Scram.MECHANISM + "-1", "n,,", "n=,r=abc", new byte[0], "s", Optional.of("s"), asIs),
        "an unknown mechanism");
    assertEquals(
        new Outcome(false, "08P01"),
        plus("n=,r=abc", m -> m.replaceFirst(",r=abc", ",r=abd")),
        "another exchange's nonce");
    assertEquals(
        new Outcome(false, "08P01"),
        plus("n=,r=abc", m -> m.substring(0, m.lastIndexOf(",p="))),
        "no proof");
    assertEquals(
        new Outcome(false, "08P01"),
        plus("n=,r=abc", m -> m.substring(0, m.lastIndexOf(",p=") + 3) + "%%%"),
        "a proof that is not base64");
  }

  @Test
  void everyExchangeHasItsOwnSaltAndServerNonce() throws Exception {
    assertTrue(plus("n=,r=abc", UnaryOperator.identity()).authenticated());
    String first = lastServerFirst;
    assertTrue(plus("n=,r=abc", UnaryOperator.identity()).authenticated());
    String second = lastServerFirst;
    assertNotEquals(
        ClientAuthentication.attribute(first, 's'),
        ClientAuthentication.attribute(second, 's'),
        "a new salt each time");
    assertNotEquals(
        ClientAuthentication.attribute(first, 'r'),
        ClientAuthentication.attribute(second, 'r'),
        "a new server nonce each time");
  }

  /** The SQLSTATE the server refuses a first message with, read from what it wrote. */
  static String refusalOf(char type, byte[] body) throws Exception {
    java.io.ByteArrayOutputStream client = new java.io.ByteArrayOutputStream();
    Wire.writeMessage(client, type, body);
    java.io.ByteArrayOutputStream server = new java.io.ByteArrayOutputStream();
    assertFalse(
        new ClientAuthentication(
                new DataInputStream(new java.io.ByteArrayInputStream(client.toByteArray())),
                server,
                BINDING)
            .authenticate("neondb_owner", Optional.of("secret")));
    DataInputStream answer =
        new DataInputStream(new java.io.ByteArrayInputStream(server.toByteArray()));
    assertEquals('R', Wire.readMessage(answer).type());
    Wire.Message error = Wire.readMessage(answer);
    assertEquals('E', error.type());
    String fields = new String(error.body(), StandardCharsets.UTF_8);
    int code = fields.indexOf("\0C");
    return fields.substring(code + 2, code + 7);
  }

  static byte[] initialResponse(String mechanism, int declaredLength, String data) {
    byte[] name = (mechanism + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(name.length + 4 + bytes.length)
        .put(name)
        .putInt(declaredLength)
        .put(bytes)
        .array();
  }

  @Test
  void aFirstMessageThatIsNotAWellFormedSaslResponseIsRefused() throws Exception {
    assertEquals("08P01", refusalOf('Q', "SELECT 1\0".getBytes(StandardCharsets.UTF_8)));
    String first = "p=tls-server-end-point,,n=,r=abc";
    assertEquals(
        "08P01",
        refusalOf('p', initialResponse(Scram.MECHANISM_PLUS, first.length() + 1, first)),
        "a declared length that is not the data's");
    assertEquals(
        "08P01",
        refusalOf('p', initialResponse(Scram.MECHANISM_PLUS, 7, "garbage")),
        "no GS2 header");
  }
}
