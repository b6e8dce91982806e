package dev.supaneon.neonlocal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaneon.neonlocal.testing.OpenApiContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator that guards every neon-local test call really rejects what the spec forbids. */
class OpenApiContractTest {

  @Test
  void theValidatorRejectsAnAnswerThatBreaksTheSpec() {
    assumeTrue(OpenApiContract.available(), OpenApiContract.unavailableReason());
    OpenApiContract.validate(
        "GET",
        "/api/v2/projects/p-1/branches/count",
        Map.of(),
        null,
        200,
        "application/json",
        "{\"count\":3}");
    AssertionError error =
        assertThrows(
            AssertionError.class,
            () ->
                OpenApiContract.validate(
                    "GET",
                    "/api/v2/projects/p-1/branches/br-a-1",
                    Map.of(),
                    null,
                    200,
                    "application/json",
                    "{\"branch\":{\"id\":\"br-a-1\"}}"));
    assertTrue(error.getMessage().contains("does not match"), error.getMessage());
    assertThrows(
        AssertionError.class,
        () ->
            OpenApiContract.validate(
                "GET",
                "/api/v2/projects/p-1/branches",
                Map.of("sort_by", "size"),
                null,
                200,
                "application/json",
                "{\"branches\":[],\"annotations\":{}}"),
        "query parameters are checked too");
  }
}
