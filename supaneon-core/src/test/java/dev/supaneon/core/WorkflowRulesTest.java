package dev.supaneon.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's GitHub workflows follow SECURITY.md: every action pinned by commit SHA, the
 * smallest permissions, no {@code pull_request_target}, secrets only in a step's {@code env}.
 */
class WorkflowRulesTest {

  /** An action by commit SHA, or this repository's own action ({@code ./}). */
  static final Pattern PINNED =
      Pattern.compile("uses: ([\\w.-]+/[\\w./-]+@[0-9a-f]{40}( #.*)?|\\./)");

  /** This repository's workflows and the examples users copy. */
  static List<Path> workflows() throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path directory :
        List.of(Path.of("..", ".github", "workflows"), Path.of("..", "examples", "workflows"))) {
      try (Stream<Path> files = Files.list(directory)) {
        files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(found::add);
      }
    }
    assertTrue(found.size() >= 7, "the workflows and examples were found: " + found);
    return found;
  }

  static final Path ACTION = Path.of("..", "action.yml");

  @Test
  void everyActionIsPinnedByCommitSha() throws IOException {
    List<Path> files = new ArrayList<>(workflows());
    files.add(ACTION);
    for (Path workflow : files) {
      for (String line : Files.readAllLines(workflow, StandardCharsets.UTF_8)) {
        String trimmed = line.strip().replaceFirst("^- ", "");
        if (trimmed.startsWith("uses:")) {
          assertTrue(PINNED.matcher(trimmed).matches(), workflow.getFileName() + ": " + trimmed);
        }
      }
    }
  }

  @Test
  void permissionsAreReadOnlyAndPullRequestTargetIsNeverUsed() throws IOException {
    for (Path workflow : workflows()) {
      String text = Files.readString(workflow, StandardCharsets.UTF_8);
      assertTrue(
          text.contains("\npermissions:\n  contents: read\n"),
          workflow.getFileName() + " asks for contents: read only");
      assertFalse(
          Pattern.compile(":\\s*write\\b").matcher(text).find(),
          workflow.getFileName() + " asks for no write permission");
      assertFalse(text.contains("pull_request_target"), workflow.getFileName().toString());
    }
  }

  @Test
  void secretsAppearOnlyInAStepsEnv() throws IOException {
    for (Path workflow : workflows()) {
      List<String> lines = Files.readAllLines(workflow, StandardCharsets.UTF_8);
      List<String> misplaced = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).contains("secrets.")) {
          continue;
        }
        int indent = indent(lines.get(i));
        String parent = "";
        for (int j = i - 1; j >= 0; j--) {
          if (!lines.get(j).isBlank() && indent(lines.get(j)) < indent) {
            parent = lines.get(j).strip();
            break;
          }
        }
        if (!parent.equals("env:") || indent < 10) {
          misplaced.add((i + 1) + ": " + lines.get(i).strip());
        }
      }
      assertTrue(misplaced.isEmpty(), workflow.getFileName() + ": " + misplaced);
    }
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
