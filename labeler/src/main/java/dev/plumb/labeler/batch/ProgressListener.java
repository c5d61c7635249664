package dev.plumb.labeler.batch;

/**
 * Hears how a batch run is going. Every method is called from the thread that called
 * {@link BatchLabeler#run}, never concurrently, so implementations need no locking.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** Once, before the first request. */
  default void started(Progress progress) {}

  /** Periodically (about four times a second) while the run goes on. */
  default void progress(Progress progress) {}

  /** Something worth one line: a repaired file, a learned limit, a response-format fallback. */
  default void notice(String message) {}

  /** Once, after the label file was compacted and run.json written. */
  default void finished(RunSummary summary) {}
}
