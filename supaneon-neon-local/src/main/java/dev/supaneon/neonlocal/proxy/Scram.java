package dev.supaneon.neonlocal.proxy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: the keys derived from a password, and
 * the proofs both sides exchange. Passwords are taken as UTF-8 without SASLprep, which is the same
 * for the ASCII passwords neon-local generates.
 */
final class Scram {

  static final String MECHANISM = "SCRAM-SHA-256";
  static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";
  static final String CHANNEL_BINDING = "tls-server-end-point";
  static final int ITERATIONS = 4096;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Scram() {}

  /** The keys of one password and salt. */
  record Keys(byte[] clientKey, byte[] storedKey, byte[] serverKey) {

    static Keys of(String password, byte[] salt, int iterations) {
      byte[] salted = saltedPassword(password, salt, iterations);
      byte[] clientKey = hmac(salted, "Client Key");
      return new Keys(clientKey, sha256(clientKey), hmac(salted, "Server Key"));
    }

    /** The client's proof for this exchange: ClientKey XOR HMAC(StoredKey, AuthMessage). */
    byte[] clientProof(String authMessage) {
      return xor(clientKey, hmac(storedKey, authMessage));
    }

    /** Whether a proof shows knowledge of the password, in constant time. */
    boolean acceptsProof(byte[] proof, String authMessage) {
      byte[] signature = hmac(storedKey, authMessage);
      if (proof.length != signature.length) {
        return false;
      }
      return MessageDigest.isEqual(sha256(xor(proof, signature)), storedKey);
    }

    byte[] serverSignature(String authMessage) {
      return hmac(serverKey, authMessage);
    }
  }

  static String nonce() {
    return base64(random(18));
  }

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] fromBase64(String text) {
    return Base64.getDecoder().decode(text);
  }

  /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 and one block. */
  static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(salt);
      byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
      byte[] result = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < result.length; j++) {
          result[j] ^= u[j];
        }
      }
      return result;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] result = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      result[i] = (byte) (a[i] ^ b[i]);
    }
    return result;
  }
}
