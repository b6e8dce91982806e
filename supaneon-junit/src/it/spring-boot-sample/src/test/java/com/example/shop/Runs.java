package com.example.shop;

import dev.supaneon.junit.RestoredBranch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Notes which branch each test class saw, for verify.groovy. */
final class Runs {
  private Runs() {}

  static void record(String testClass, RestoredBranch branch) throws IOException {
    Files.writeString(Path.of("target", "spring-runs.txt"), testClass + " " + branch.branchId() + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
