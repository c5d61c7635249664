package dev.plumb.labeler.batch;

import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.unit.Unit;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * One request of a unit on its way to labels (one per unit with the unified prompt; a profile may
 * need one per policy): the policies of the request it still needs, its request (extended when an
 * invalid answer is asked again), what its calls used, and its retry state. A job waits in the
 * retry queue until {@link #readyAt} ({@link System#nanoTime()} scale). Handled by one worker at a
 * time.
 */
final class Job implements Delayed {
  final Unit unit;
  /** The policies the request answers ({@link LabelingPrompt#requests()}); {@link #policies} those still to record. */
  final List<String> group;
  final List<String> policies;
  ModelRequest request;
  List<String> imagesOmitted = List.of();
  int calls;
  int transientFailures;
  int rateLimited;
  boolean validationRetried;
  long inputTokens;
  long outputTokens;
  long cachedInputTokens;
  long cacheWriteInputTokens;
  double cost;
  long latencyMs;
  long readyAt;

  Job(Unit unit, List<String> group, List<String> policies) {
    this.unit = unit;
    this.group = group;
    this.policies = policies;
  }

  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(readyAt - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed o) {
    return Long.compare(readyAt, ((Job) o).readyAt);
  }
}
