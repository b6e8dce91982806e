package dev.supaneon.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.supaneon.core.testing.Architecture;
import org.junit.jupiter.api.Test;

/** This front end is thin: it uses core's public API and nothing else. */
class FrontEndArchitectureTest {

  @Test
  void usesCoresPublicApiOnly() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.supaneon.lambda");
    assertFalse(classes.isEmpty(), "the front end's classes were found");
    Architecture.frontEndUsesOnlyTheApi().check(classes);
  }
}
