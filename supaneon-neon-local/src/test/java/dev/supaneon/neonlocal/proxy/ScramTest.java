package dev.supaneon.neonlocal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 against RFC 7677's own example exchange (user "user", password "pencil"). */
class ScramTest {

  static final String CLIENT_FIRST_BARE = "n=user,r=rOprNGfwEbeRWgbNEkqO";
  static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  static final String CLIENT_FINAL_WITHOUT_PROOF =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  static final String AUTH_MESSAGE =
      CLIENT_FIRST_BARE + "," + SERVER_FIRST + "," + CLIENT_FINAL_WITHOUT_PROOF;

  static Scram.Keys keys(String password) {
    return Scram.Keys.of(password, Scram.fromBase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  }

  @Test
  void theClientsProofAndTheServersSignatureAreTheRfcs() {
    Scram.Keys keys = keys("pencil");
    assertEquals(
        "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        Scram.base64(keys.clientProof(AUTH_MESSAGE)));
    assertEquals(
        "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        Scram.base64(keys.serverSignature(AUTH_MESSAGE)));
  }

  @Test
  void onlyTheRightPasswordsProofIsAccepted() {
    byte[] proof = Scram.fromBase64("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    assertTrue(keys("pencil").acceptsProof(proof, AUTH_MESSAGE));
    assertFalse(keys("pencils").acceptsProof(proof, AUTH_MESSAGE), "another password");
    assertFalse(
        keys("pencil").acceptsProof(proof, AUTH_MESSAGE + "x"), "a proof of another exchange");
    byte[] flipped = proof.clone();
    flipped[31] ^= 1;
    assertFalse(keys("pencil").acceptsProof(flipped, AUTH_MESSAGE), "one bit changed");
    assertFalse(
        keys("pencil").acceptsProof(new byte[16], AUTH_MESSAGE), "a proof of the wrong length");
  }

  @Test
  void attributesAreFoundByTheirLetterOnly() {
    assertEquals("4096", ClientAuthentication.attribute(SERVER_FIRST, 'i'));
    assertEquals("W22ZaJ0SNY7soEsUEjb6gQ==", ClientAuthentication.attribute(SERVER_FIRST, 's'));
    assertEquals(null, ClientAuthentication.attribute(SERVER_FIRST, 'p'));
  }
}
