package dev.supaneon.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a run's JSON report and Markdown summary, and appends the summary to GitHub Actions' job
 * summary when {@code GITHUB_STEP_SUMMARY} names a file.
 */
public final class ReportWriter {

  public static final String GITHUB_STEP_SUMMARY = "GITHUB_STEP_SUMMARY";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
          .configure(SerializationFeature.INDENT_OUTPUT, true)
          .build();

  /** Where the files went. */
  public record Written(Path json, Path markdown, Optional<Path> stepSummary) {}

  private ReportWriter() {}

  public static String json(Object report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report cannot be written as JSON", e);
    }
  }

  public static Written write(
      Path directory,
      String baseName,
      Object report,
      String markdown,
      Map<String, String> environment)
      throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve(baseName + ".json");
    Path summary = directory.resolve(baseName + ".md");
    Files.writeString(json, json(report) + "\n", StandardCharsets.UTF_8);
    Files.writeString(summary, markdown, StandardCharsets.UTF_8);
    Optional<Path> step =
        Optional.ofNullable(environment.get(GITHUB_STEP_SUMMARY))
            .filter(value -> !value.isBlank())
            .map(Path::of);
    if (step.isPresent()) {
      Files.writeString(
          step.get(),
          markdown + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return new Written(json, summary, step);
  }
}
