package dev.supaneon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A secret never shows: not printed, and scrubbed from any text that picked it up. */
class SecretTest {

  @Test
  void scrubRemovesEveryOccurrenceOfTheSecret() {
    Secret secret = Secret.of("s3cr3t-Value");
    String scrubbed =
        secret.scrub("connect failed for s3cr3t-Value at host (password s3cr3t-Value)");
    assertFalse(scrubbed.contains("s3cr3t-Value"), scrubbed);
    assertEquals("connect failed for **** at host (password ****)", scrubbed);
  }

  @Test
  void theSecretPrintsAsStars() {
    Secret secret = Secret.of("s3cr3t-Value");
    assertEquals("****", secret.toString());
    assertFalse(("" + secret).contains("s3cr3t"));
  }

  @Test
  void secretsOfFourCharactersOrMoreAreScrubbedShorterOnesWouldMangleTheText() {
    assertEquals("key=****.", Secret.of("abcd").scrub("key=abcd."));
    assertEquals("key=abc.", Secret.of("abc").scrub("key=abc."));
    assertEquals(null, Secret.of("abcd").scrub(null));
  }

  @Test
  void anEmptySecretIsEmptyAndAnyOtherIsNot() {
    assertTrue(Secret.of("").isEmpty());
    assertFalse(Secret.of("x").isEmpty());
  }
}
