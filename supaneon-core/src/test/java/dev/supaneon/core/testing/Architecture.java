package dev.supaneon.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
