package dev.supaneon.maven;

import dev.supaneon.core.testing.Architecture;
import org.junit.jupiter.api.Test;

/** This front end is thin: it uses core's public API and nothing else. */
class FrontEndArchitectureTest {

  @Test
  void usesCoresPublicApiOnly() {
    Architecture.checkFrontEnd("dev.supaneon.maven");
  }
}
