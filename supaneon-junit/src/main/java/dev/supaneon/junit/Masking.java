package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.TestBranches;
import dev.supaneon.core.config.PostgresUrl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs {@code @NeonRestoredBranch(masking = ...)} scripts from the class path on a new branch, in
 * one transaction, before any test sees it.
 */
final class Masking {

  private Masking() {}

  static void apply(PostgresUrl url, List<String> scripts, ClassLoader resources) {
    if (scripts.isEmpty()) {
      return;
    }
    try (Connection connection = TestBranches.connect(url, "the test branch, to mask it")) {
      connection.setAutoCommit(false);
      for (String script : scripts) {
        String sql = read(script, resources);
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
        } catch (SQLException e) {
          throw new SupaneonException(
              "@NeonRestoredBranch(masking): "
                  + script
                  + " failed: "
                  + e.getMessage()
                  + "; the branch was deleted so that no unmasked data reaches a test",
              e);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new SupaneonException(
          "@NeonRestoredBranch(masking): could not commit the masking on the branch: "
              + e.getMessage(),
          e);
    }
  }

  private static String read(String script, ClassLoader resources) {
    String path = script.startsWith("/") ? script.substring(1) : script;
    try (InputStream in = resources.getResourceAsStream(path)) {
      if (in == null) {
        throw new SupaneonException(
            "@NeonRestoredBranch(masking): "
                + script
                + " is not on the class path;"
                + " the branch was deleted so that no unmasked data reaches a test");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SupaneonException("@NeonRestoredBranch(masking): cannot read " + script, e);
    }
  }
}
