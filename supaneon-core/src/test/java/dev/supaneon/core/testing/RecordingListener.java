package dev.supaneon.core.testing;

import dev.supaneon.core.progress.Phase;
import dev.supaneon.core.progress.RunListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Keeps every line a run reports, for assertions (and prints them, for the test log). */
public final class RecordingListener implements RunListener {

  private final List<String> lines = new ArrayList<>();
  private final List<Phase> started = new ArrayList<>();
  private volatile BiConsumer<Phase, Long> onProgress = (phase, bytes) -> {};

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  public synchronized List<Phase> startedPhases() {
    return List.copyOf(started);
  }

  public synchronized String text() {
    return String.join("\n", lines);
  }

  public void onProgress(BiConsumer<Phase, Long> action) {
    this.onProgress = action;
  }

  private synchronized void add(String line) {
    lines.add(line);
    System.out.println(line);
  }

  @Override
  public void phaseStarted(Phase phase) {
    synchronized (this) {
      started.add(phase);
    }
    add("[start] " + phase.label());
  }

  @Override
  public void phaseFinished(Phase phase, Duration duration, String summary) {
    add("[done] " + phase.label() + " in " + duration.toMillis() + " ms: " + summary);
  }

  @Override
  public void progress(Phase phase, long bytes, Duration elapsed) {
    add("[progress] " + phase.label() + " " + bytes + " bytes after " + elapsed.toMillis() + " ms");
    onProgress.accept(phase, bytes);
  }

  @Override
  public void info(String message) {
    add("[info] " + message);
  }

  @Override
  public void warn(String message) {
    add("[warn] " + message);
  }
}
