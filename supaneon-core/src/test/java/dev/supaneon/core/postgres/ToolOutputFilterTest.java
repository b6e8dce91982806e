package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.core.config.Secret;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolOutputFilterTest {

  @Test
  void statementsRowDataAndConnectionStringsAreRemoved() {
    ToolOutputFilter filter = new ToolOutputFilter(List.of(Secret.of("hunter2-canary")));
    List<String> input =
        List.of(
            "pg_restore: error: could not execute query: ERROR:  relation \"users\" already exists",
            "Command was: CREATE TABLE public.users (",
            "    email text NOT NULL, ssn text",
            ");",
            "pg_restore: error: COPY failed for table \"users\": ERROR:  duplicate key value violates unique constraint \"users_pkey\"",
            "DETAIL:  Key (email)=(alice@example.com) already exists.",
            "CONTEXT:  COPY users, line 7: \"alice@example.com\t123-45-6789\"",
            "ERROR:  new row for relation \"t\" violates check constraint. Failing row contains (1, secret-value).",
            "pg_dump: error: connection to server at postgresql://u:hunter2-canary@h/db failed",
            "pg_dump: error: password=hunter2-canary rejected",
            "pg_dump: detail: Command was: COPY public.patients (name, diagnosis) TO stdout;");
    List<String> output = new ArrayList<>();
    input.forEach(line -> filter.filter(line).ifPresent(output::add));
    String all = String.join("\n", output);
    for (String forbidden :
        List.of(
            "CREATE TABLE",
            "ssn text",
            "alice@example.com",
            "123-45-6789",
            "diagnosis",
            "secret-value",
            "hunter2-canary")) {
      assertFalse(all.contains(forbidden), forbidden + " leaked:\n" + all);
    }
    assertTrue(all.contains("relation \"users\" already exists"), all);
    assertTrue(all.contains("COPY users, line 7: (row data not shown)"), all);
    assertTrue(all.contains("Key (email)=(…) already exists"), all);
    assertEquals(7, output.size(), "the three lines of the statement are dropped:\n" + all);
  }

  @Test
  void aStatementLineShowsOnlyItsNumberAndOtherLinesMentioningLineStay() {
    ToolOutputFilter filter = new ToolOutputFilter(List.of());
    assertEquals(
        java.util.Optional.of("LINE 3: (statement not shown)"),
        filter.filter("LINE 3: INSERT INTO patients VALUES ('alice')"));
    assertEquals(
        java.util.Optional.of("pg_restore: warning: LINE numbers are approximate"),
        filter.filter("pg_restore: warning: LINE numbers are approximate"));
  }
}
