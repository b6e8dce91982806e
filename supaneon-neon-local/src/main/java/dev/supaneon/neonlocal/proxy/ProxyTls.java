package dev.supaneon.neonlocal.proxy;

import dev.supaneon.neonlocal.postgres.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The proxy's TLS: a self-signed certificate for localhost that clients see (one per JVM: keytool
 * takes a second), the {@code tls-server-end-point} channel-binding data of that certificate, and
 * the client side towards the backing server, which is neon-local's own and not verified.
 */
final class ProxyTls {

  private static ProxyTls shared;

  private final SSLContext serverContext;
  private final SSLContext backendContext;
  private final byte[] endPointBinding;

  private ProxyTls(SSLContext serverContext, SSLContext backendContext, byte[] endPointBinding) {
    this.serverContext = serverContext;
    this.backendContext = backendContext;
    this.endPointBinding = endPointBinding;
  }

  static synchronized ProxyTls shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static ProxyTls create() {
    String password = Base64.getUrlEncoder().encodeToString(Scram.random(18));
    Path directory = null;
    try {
      directory = Files.createTempDirectory("neon-local-proxy");
      KeyStore store = SelfSignedCertificate.generateKeyStore(directory, password);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(keys.getKeyManagers(), null, new SecureRandom());
      SSLContext backend = SSLContext.getInstance("TLS");
      backend.init(null, new TrustManager[] {new OwnServer()}, new SecureRandom());
      X509Certificate certificate =
          (X509Certificate) store.getCertificate(SelfSignedCertificate.ALIAS);
      return new ProxyTls(server, backend, endPointHash(certificate));
    } catch (IOException e) {
      throw new UncheckedIOException("neon-local's proxy could not make its certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("neon-local's proxy could not set up TLS", e);
    } finally {
      if (directory != null) {
        directory.toFile().delete();
      }
    }
  }

  /**
   * RFC 5929's tls-server-end-point: the certificate hashed with its signature's hash, SHA-256 when
   * that is MD5 or SHA-1; libpq and pgjdbc compute the same.
   */
  static byte[] endPointHash(X509Certificate certificate) throws GeneralSecurityException {
    String signature = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
    String digest = "SHA-256";
    if (signature.startsWith("SHA384")) {
      digest = "SHA-384";
    } else if (signature.startsWith("SHA512")) {
      digest = "SHA-512";
    }
    return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
  }

  /** TLS over an accepted connection whose client asked for SSL; the handshake is done here. */
  SSLSocket acceptTls(Socket plain) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            serverContext
                .getSocketFactory()
                .createSocket(
                    plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
    tls.setUseClientMode(false);
    tls.startHandshake();
    return tls;
  }

  /** TLS towards the backing server over a connection that it agreed to encrypt. */
  SSLSocket connectTls(Socket plain, String host) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            backendContext.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    return tls;
  }

  /** The channel-binding data clients must send with SCRAM-SHA-256-PLUS. */
  byte[] endPointBinding() {
    return endPointBinding.clone();
  }

  /**
   * The backing server is neon-local's own, reached on loopback: its certificate is not checked.
   */
  private static final class OwnServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
