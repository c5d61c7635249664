package dev.plumb.labeler.batch;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What a synchronous run ({@link Run}) and a batch run ({@link BatchApiRun}) share around their own
 * loops: {@code run.json} written when the run starts, while it runs and when it ends, with the
 * start time, the pre-pass's counts and the store's repair, and the listener told of the start and
 * the end. Called from the run's own thread.
 */
final class RunRecord {
  private final LabelerConfig cfg;
  private final RunFileWriter writer;
  private final Prepass input;
  private final LabelStore store;
  private final Supplier<Progress> progress;
  private final Supplier<double[]> inForce;
  private Instant startedAt;

  /**
   * @param progress the run's snapshot, taken afresh for every write and message
   * @param inForce the rate limits in force: requests and tokens per minute
   */
  RunRecord(LabelerConfig cfg, RunFileWriter writer, Prepass input, LabelStore store, Supplier<Progress> progress,
      Supplier<double[]> inForce) {
    this.cfg = cfg;
    this.writer = writer;
    this.input = input;
    this.store = store;
    this.progress = progress;
    this.inForce = inForce;
  }

  /** The run starts now: run.json says {@code running} and the listener hears of it. */
  void start() {
    startedAt = Instant.now();
    running();
    cfg.listener.started(progress.get());
  }

  /** Rewrites run.json with the counts so far. */
  void running() {
    write("running", null, null);
  }

  /**
   * The run is over: run.json records {@code outcome} (in lower case) with the compacted store's
   * {@code counts}, and the listener gets the summary, which is returned.
   *
   * @param message why the run stopped early, or null
   */
  RunSummary finish(RunSummary.Outcome outcome, String message, RunSummary.Counts counts) {
    write(outcome.name().toLowerCase(Locale.ROOT), counts, message);
    RunSummary summary = new RunSummary(outcome, message, counts, progress.get(), cfg.runFile);
    cfg.listener.finished(summary);
    return summary;
  }

  private void write(String status, RunSummary.Counts counts, String message) {
    writer.write(status, counts, message, progress.get(), startedAt, input.runFileInput(), inForce.get(), store.repair());
  }
}
