package dev.supaneon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sizes as users write them, binary and decimal units alike. */
class DataSizeTest {

  @Test
  void binaryAndDecimalUnitsAndPlainBytes() {
    assertEquals(Optional.of(new DataSize(450L * 1024 * 1024)), DataSize.parse("450MiB"));
    assertEquals(Optional.of(new DataSize(512L * 1024 * 1024)), DataSize.parse("0.5 GiB"));
    assertEquals(Optional.of(new DataSize(500_000_000L)), DataSize.parse("500MB"));
    assertEquals(Optional.of(new DataSize(1_500_000_000L)), DataSize.parse("1.5gb"));
    assertEquals(Optional.of(new DataSize(2048)), DataSize.parse("2KiB"));
    assertEquals(Optional.of(new DataSize(12345)), DataSize.parse("12345"));
    assertEquals("450.0 MiB", DataSize.ofMebibytes(450).toString());
  }

  @Test
  void anythingElseIsNotASize() {
    for (String text : new String[] {"", "MiB", "-5MiB", "5 parsecs", "1,5GB"}) {
      assertEquals(Optional.empty(), DataSize.parse(text), text);
    }
    assertThrows(IllegalArgumentException.class, () -> new DataSize(-1));
    assertEquals(0, new DataSize(0).bytes(), "nothing is a size");
  }

  @Test
  void theBudgetSettingIsValidatedWithAnActionableMessage() {
    ConfigException failure =
        assertThrows(
            ConfigException.class,
            () ->
                new SettingsBuilder()
                    .set(Setting.SOURCE_URL, "postgresql://u:p@host:5432/db?sslmode=require")
                    .set(Setting.NEON_API_KEY, "key")
                    .set(Setting.NEON_PROJECT_ID, "project")
                    .set(Setting.STORAGE_BUDGET, "lots")
                    .backup());
    assertTrue(failure.getMessage().contains("450MiB"), failure.getMessage());
    assertEquals(
        Optional.of(new DataSize(300L * 1024 * 1024)),
        new SettingsBuilder()
            .set(Setting.SOURCE_URL, "postgresql://u:p@host:5432/db?sslmode=require")
            .set(Setting.NEON_API_KEY, "key")
            .set(Setting.NEON_PROJECT_ID, "project")
            .set(Setting.STORAGE_BUDGET, "300MiB")
            .backup()
            .storageBudget());
  }
}
