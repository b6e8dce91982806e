package dev.supaneon.neonlocal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;

/**
 * A throw-away certificate and key for a local server's SSL, made with the JDK's keytool so that no
 * OpenSSL installation is needed.
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem) {

  /** The key and certificate's alias in the generated key store. */
  public static final String ALIAS = "server";

  static SelfSignedCertificate generate(Path workDirectory) {
    String storePassword = randomToken();
    try {
      KeyStore store = generateKeyStore(workDirectory, storePassword);
      Key key = store.getKey(ALIAS, storePassword.toCharArray());
      Certificate certificate = store.getCertificate(ALIAS);
      return new SelfSignedCertificate(
          pem("CERTIFICATE", certificate.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new PostgresLaunchException("Could not read the generated certificate", e);
    }
  }

  /**
   * A new EC key and its self-signed certificate for localhost, under the alias {@value #ALIAS}, in
   * a PKCS12 store protected by the given password. The file keytool writes is deleted.
   */
  public static KeyStore generateKeyStore(Path workDirectory, String storePassword) {
    Path keyStore = workDirectory.resolve("server-" + randomToken() + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    try {
      ExternalCommand.of(
              keytool.toString(),
              "-genkeypair",
              "-alias",
              ALIAS,
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-dname",
              "CN=localhost",
              "-ext",
              "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
              "-validity",
              "3650",
              "-storetype",
              "PKCS12",
              "-keystore",
              keyStore.toString(),
              "-storepass:env",
              "SUPANEON_KEYSTORE_PASSWORD",
              "-keypass:env",
              "SUPANEON_KEYSTORE_PASSWORD")
          .environment("SUPANEON_KEYSTORE_PASSWORD", storePassword)
          .runChecked();
      try (InputStream in = Files.newInputStream(keyStore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, storePassword.toCharArray());
        return store;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new PostgresLaunchException("Could not read the generated certificate", e);
    } finally {
      try {
        Files.deleteIfExists(keyStore);
      } catch (IOException ignored) {
        // the work directory is deleted with the server
      }
    }
  }

  static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
