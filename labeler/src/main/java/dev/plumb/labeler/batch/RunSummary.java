package dev.plumb.labeler.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a batch run ended.
 *
 * @param outcome why it ended
 * @param message for anything but {@link Outcome#COMPLETE}: one line saying what happened and what to do
 * @param counts the run's (unit, policy) labels in the final file
 * @param progress the last progress snapshot
 * @param runFile where run.json was written
 */
public record RunSummary(Outcome outcome, String message, Counts counts, Progress progress, Path runFile) {

  /** Why a run ended. Every outcome but {@code COMPLETE} leaves work a rerun of the same command resumes. */
  public enum Outcome {
    /** Every label is ok, invalid or failed. */
    COMPLETE,
    /** --budget-usd would have been exceeded by the next request. */
    BUDGET_REACHED,
    /** Most recent requests failed (the circuit breaker opened). */
    CIRCUIT_OPEN,
    /** The provider refused the run (key, quota, model): nothing would succeed. */
    STOPPED,
    /** Cancelled from outside (Ctrl-C). */
    INTERRUPTED,
    /** Batch mode without waiting: batches are submitted and not all finished; a rerun collects them. */
    SUBMITTED
  }

  /**
   * Status counts of this run's (unit, policy) pairs in the final label file.
   *
   * @param missing pairs with no record (a stopped run; a rerun labels them)
   * @param superseded older records compaction removed (failed ones that were retried, other prompts or models)
   */
  public record Counts(long ok, long invalid, long failed, long missing, long superseded) {
    public long total() {
      return ok + invalid + failed + missing;
    }
  }

  public RunSummary {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(progress, "progress");
  }

  public Duration wall() {
    return progress.elapsed();
  }
}
