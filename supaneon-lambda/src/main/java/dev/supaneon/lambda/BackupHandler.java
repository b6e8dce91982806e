package dev.supaneon.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.backup.BackupFailedException;
import dev.supaneon.core.backup.BackupRun;
import dev.supaneon.core.config.BackupSettings;
import dev.supaneon.core.config.Setting;
import dev.supaneon.core.config.SettingsBuilder;
import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import dev.supaneon.core.report.BackupReport;
import dev.supaneon.core.report.BackupSummary;
import dev.supaneon.core.report.Formats;
import dev.supaneon.core.run.RunContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backup as a scheduled function (EventBridge Scheduler to AWS Lambda). Settings come from the
 * function's environment, as for the Maven goal; the two secrets are read at run time (see {@link
 * RuntimeSecrets}). The run must end before the function's time does, so its timeout is what
 * remains of it, less a minute. A failed backup fails the invocation.
 *
 * <p>The event is whatever the schedule sends: the template's input carries EventBridge Scheduler's
 * context attributes (schedule, scheduled time, attempt), which are logged; any other JSON object,
 * an EventBridge rule's Scheduled Event or a test invocation's {@code {}}, works too.
 */
public final class BackupHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final Duration MARGIN = Duration.ofMinutes(1);

  private final Map<String, String> environment;

  public BackupHandler() {
    this(System.getenv());
  }

  BackupHandler(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    LambdaLogger log = context.getLogger();
    Map<String, String> resolved;
    try {
      resolved =
          RuntimeSecrets.resolve(
              this.environment,
              () -> ParametersAndSecretsExtension.from(this.environment),
              warning -> log.log("supaneon WARNING: " + warning));
    } catch (SupaneonException e) {
      log.log("supaneon: configuration error: " + e.getMessage());
      throw e;
    }
    SettingsBuilder builder = new SettingsBuilder();
    if (!resolved.containsKey(Setting.RUN_TIMEOUT.environmentVariable())) {
      long remaining = Math.max(60_000, context.getRemainingTimeInMillis() - MARGIN.toMillis());
      builder.set(Setting.RUN_TIMEOUT, remaining + "ms");
    }
    if (!resolved.containsKey(Setting.REPORT_DIRECTORY.environmentVariable())) {
      builder.set(Setting.REPORT_DIRECTORY, "/tmp/supaneon");
    }
    BackupSettings settings;
    try {
      settings = builder.fromEnvironment(resolved).backup();
    } catch (SupaneonException e) {
      log.log("supaneon: configuration error: " + e.getMessage());
      throw e;
    }
    log.log(
        "supaneon: backup of "
            + settings.source()
            + " into Neon project "
            + settings.neon().projectId()
            + " ("
            + describe(event)
            + ")");
    BackupReport report;
    try {
      report =
          new BackupRun(
                  settings, RunContext.of(new LambdaRunListener(log)).withEnvironment(resolved))
              .execute();
    } catch (BackupFailedException e) {
      log.log(BackupSummary.markdown(e.report()));
      throw e;
    }
    log.log(BackupSummary.markdown(report));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("outcome", report.outcome().toString());
    result.put("runId", report.runId());
    result.put("branchId", report.branchId());
    result.put("branchName", report.branchName());
    result.put("tables", report.tableCount());
    result.put("rows", report.rowCount());
    result.put("bytes", report.archiveBytes());
    result.put("sha256", report.archiveSha256());
    result.put("durationMs", report.durationMs());
    return result;
  }

  /** Which schedule fired, when it was due and which attempt this is, as far as the event says. */
  static String describe(Map<String, Object> event) {
    if (event == null || event.isEmpty()) {
      return "invoked without an event";
    }
    if (event.containsKey("scheduledTime")) {
      return "schedule "
          + event.getOrDefault("schedule", "?")
          + " due "
          + event.get("scheduledTime")
          + ", attempt "
          + event.getOrDefault("attempt", "?")
          + ", execution "
          + event.getOrDefault("executionId", "?");
    }
    if (event.containsKey("detail-type")) {
      return event.get("detail-type")
          + " "
          + event.getOrDefault("id", "")
          + " at "
          + event.get("time");
    }
    return "invoked with an event of " + event.size() + " field(s)";
  }

  /** One log line per event, in the function's log stream. */
  private record LambdaRunListener(LambdaLogger log) implements RunListener {
    @Override
    public void phaseStarted(Phase phase) {
      log.log("supaneon [" + phase.label() + "] started");
    }

    @Override
    public void phaseFinished(Phase phase, Duration duration, String summary) {
      log.log(
          "supaneon ["
              + phase.label()
              + "] done in "
              + Formats.duration(duration)
              + ": "
              + summary);
    }

    @Override
    public void progress(Phase phase, long bytes, Duration elapsed) {
      log.log(
          "supaneon ["
              + phase.label()
              + "] "
              + Formats.bytes(bytes)
              + " after "
              + Formats.duration(elapsed));
    }

    @Override
    public void info(String message) {
      log.log("supaneon: " + message);
    }

    @Override
    public void warn(String message) {
      log.log("supaneon WARNING: " + message);
    }
  }
}
