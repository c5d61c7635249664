package dev.plumb.labeler.batch;

/**
 * Opens when most recent requests failed: among the last {@code window} finished requests (at
 * least {@code minimum} of them), more than {@code threshold} of them failed. 429s are not
 * failures here (they are pacing signals); timeouts, resets, 5xx and rejected requests are.
 * Once open it stays open: the run stops cleanly and a rerun resumes.
 *
 * <p>Thread-safe.
 */
final class CircuitBreaker {
  private final boolean[] ring;
  private final int minimum;
  private final double threshold;
  private int count;
  private int next;
  private int failures;
  private boolean open;

  CircuitBreaker(int window, int minimum, double threshold) {
    this.ring = new boolean[window];
    this.minimum = Math.min(minimum, window);
    this.threshold = threshold;
  }

  synchronized void success() {
    record(false);
  }

  /** Records a failure; returns whether the breaker is now open. */
  synchronized boolean failure() {
    record(true);
    return open;
  }

  private void record(boolean failed) {
    if (count == ring.length) {
      if (ring[next]) {
        failures--;
      }
    } else {
      count++;
    }
    ring[next] = failed;
    if (failed) {
      failures++;
    }
    next = (next + 1) % ring.length;
    if (count >= minimum && failures > threshold * count) {
      open = true;
    }
  }

  synchronized boolean open() {
    return open;
  }

  /** "37 of the last 50 requests failed", for the stop message. */
  synchronized String describe() {
    return failures + " of the last " + count + " requests failed";
  }
}
