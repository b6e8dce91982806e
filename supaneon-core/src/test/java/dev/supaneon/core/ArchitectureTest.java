package dev.supaneon.core;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Core's package structure, as {@code package-info.java} of this package describes it. */
class ArchitectureTest {

  static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.supaneon.core");
    assertFalse(core.isEmpty(), "core's classes were found");
  }

  @Test
  void corePackagesAreFreeOfCycles() {
    slices().matching("dev.supaneon.core.(*)..").should().beFreeOfCycles().check(core);
  }

  @Test
  void corePackagesDependDownwardsOnly() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("base")
        .definedBy("dev.supaneon.core")
        .layer("config")
        .definedBy("..core.config..")
        .layer("progress")
        .definedBy("..core.progress..")
        .layer("neon")
        .definedBy("..core.neon..")
        .layer("postgres")
        .definedBy("..core.postgres..")
        .layer("report")
        .definedBy("..core.report..")
        .layer("run")
        .definedBy("..core.run..")
        .layer("branch")
        .definedBy("..core.branch..")
        .layer("manifest")
        .definedBy("..core.manifest..")
        .layer("supabase")
        .definedBy("..core.supabase..")
        .layer("retention")
        .definedBy("..core.retention..")
        .layer("standby")
        .definedBy("..core.standby..")
        .layer("status")
        .definedBy("..core.status..")
        .layer("backup")
        .definedBy("..core.backup..")
        .layer("restoretest")
        .definedBy("..core.restoretest..")
        .whereLayer("base")
        .mayNotAccessAnyLayer()
        .whereLayer("config")
        .mayOnlyAccessLayers("base")
        .whereLayer("progress")
        .mayNotAccessAnyLayer()
        .whereLayer("neon")
        .mayOnlyAccessLayers("base", "config")
        .whereLayer("postgres")
        .mayOnlyAccessLayers("base", "config", "progress")
        .whereLayer("report")
        .mayOnlyAccessLayers("base", "progress")
        .whereLayer("run")
        .mayOnlyAccessLayers("progress", "neon", "report")
        .whereLayer("branch")
        .mayOnlyAccessLayers("base", "config", "neon", "postgres")
        .whereLayer("manifest")
        .mayOnlyAccessLayers("base", "config", "postgres")
        .whereLayer("supabase")
        .mayOnlyAccessLayers("base", "config", "postgres", "manifest")
        .whereLayer("retention")
        .mayOnlyAccessLayers("base", "config", "neon", "branch")
        .whereLayer("standby")
        .mayOnlyAccessLayers(
            "base", "config", "progress", "run", "neon", "postgres", "report", "branch", "manifest")
        .whereLayer("status")
        .mayOnlyAccessLayers(
            "base",
            "config",
            "progress",
            "run",
            "neon",
            "postgres",
            "report",
            "branch",
            "manifest",
            "standby")
        .whereLayer("backup")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("restoretest")
        .mayNotBeAccessedByAnyLayer()
        .check(core);
  }
}
