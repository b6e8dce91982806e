package dev.supaneon.core.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.SupaneonException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Neon's plan limits are recognised by their messages, wherever those surface. */
class NeonQuotaTest {

  @Test
  void theStorageLimitAsPgRestoreReportsIt() {
    assertEquals(
        Optional.of(NeonQuota.STORAGE),
        NeonQuota.in(
            "pg_restore failed with exit code 1:\\n  pg_restore: error: could not execute query:"
                + " ERROR:  could not extend file because project size limit (512 MB) has been"
                + " exceeded"));
    assertEquals(
        Optional.of(NeonQuota.STORAGE),
        NeonQuota.in("ERROR: Exceeded neon.max_cluster_size limit (512 MB)."));
  }

  @Test
  void computeAndTransferQuotasAsTheApiReportsThem() {
    assertEquals(
        Optional.of(NeonQuota.COMPUTE),
        NeonQuota.in("Your project has exceeded the compute time quota of its plan"));
    assertEquals(
        Optional.of(NeonQuota.TRANSFER),
        NeonQuota.in("Your project has exceeded the data transfer quota of its plan"));
  }

  @Test
  void otherFailuresAreNotQuotas() {
    assertEquals(Optional.empty(), NeonQuota.in("connection refused"));
    assertEquals(Optional.empty(), NeonQuota.in(null));
  }

  @Test
  void theFailureKeepsTheOriginalAndSaysWhatToDo() {
    SupaneonException failure = NeonQuota.STORAGE.failure("the original", null);
    assertEquals(
        "Neon's storage limit was reached; the run stopped and left no verified backup: the"
            + " original",
        failure.getMessage());
    assertTrue(failure.suggestion().orElseThrow().contains("supaneon.storageBudget"));
  }

  @Test
  void aFailureThatSpeaksOfAQuotaIsRecognisedAsItsAndAnyOtherPassesUnchanged() {
    SupaneonException restore =
        new SupaneonException(
            "pg_restore failed: ERROR: could not extend file because project size limit (512 MB)"
                + " has been exceeded");
    SupaneonException recognised = NeonQuota.recognise(restore);
    assertTrue(
        recognised.getMessage().startsWith("Neon's storage limit was reached"),
        recognised.getMessage());
    assertSame(restore, recognised.getCause(), "the original failure stays the cause");

    SupaneonException refused = new SupaneonException("connection refused");
    assertSame(refused, NeonQuota.recognise(refused), "other failures pass unchanged");
  }
}
