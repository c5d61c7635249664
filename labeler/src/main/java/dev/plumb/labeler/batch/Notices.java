package dev.plumb.labeler.batch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A thread-safe mailbox for one-line notices from components that run on worker threads (a
 * backend switching response format). Give it to the backend as its notice consumer and to
 * {@link LabelerConfig.Builder#notices}; the run hands each notice to its
 * {@link ProgressListener} on the run's own thread.
 */
public final class Notices implements Consumer<String> {
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(String notice) {
    queue.add(notice);
  }

  /** The oldest notice not yet taken, or {@code null}. */
  String poll() {
    return queue.poll();
  }
}
