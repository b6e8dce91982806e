package dev.supaneon.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The package rules of core and of its front ends, written once (see {@code
 * dev.supaneon.core.package-info}).
 */
public final class Architecture {

  public static final String CORE = "dev.supaneon.core";

  /** Core's internal packages: no front end may use them. */
  public static final List<String> INTERNAL =
      List.of("neon", "postgres", "supabase", "retention", "manifest");

  private Architecture() {}

  /** Checks that the front end in {@code frontEndPackage} uses core's public API only. */
  public static void checkFrontEnd(String frontEndPackage) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(frontEndPackage);
    if (classes.isEmpty()) {
      throw new AssertionError("no classes of " + frontEndPackage + " were found");
    }
    frontEndUsesOnlyTheApi().check(classes);
  }

  /** Front-end classes use core through its public API only. */
  public static ArchRule frontEndUsesOnlyTheApi() {
    return noClasses()
        .that()
        .resideOutsideOfPackage(CORE + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            INTERNAL.stream().map(p -> CORE + "." + p + "..").toArray(String[]::new))
        .because("front ends are thin: they call core's public API, never its internals");
  }
}
