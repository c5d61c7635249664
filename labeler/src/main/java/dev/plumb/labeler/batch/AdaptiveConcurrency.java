package dev.plumb.labeler.batch;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * How many requests may be in flight, adapted AIMD-style (as TCP congestion control): slow start
 * (+1 per success) until the first 429, then +1/limit per success (about +1 per round of
 * requests); a 429 multiplies the limit by 0.7, at most once a second. The limit never drops below
 * the floor the rate limiter needs to reach its target rate (Little's law: rate × latency × 1.2),
 * so a single 429 cannot starve a run that the token buckets already pace.
 *
 * <p>Thread-safe.
 */
final class AdaptiveConcurrency {
  private final int max;
  private final IntSupplier floor;
  private double limit;
  private int active;
  private boolean slowStart = true;
  private long lastDecrease = Long.MIN_VALUE / 2;

  AdaptiveConcurrency(int initial, int max, IntSupplier floor) {
    this.max = max;
    this.limit = Math.max(1, Math.min(initial, max));
    this.floor = floor;
  }

  /** Waits for a slot; returns false (without one) once {@code stopped} turns true. */
  synchronized boolean acquire(BooleanSupplier stopped) throws InterruptedException {
    while (active >= currentLimit()) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      wait(50);
    }
    if (stopped.getAsBoolean()) {
      return false;
    }
    active++;
    return true;
  }

  synchronized void release() {
    active--;
    notifyAll();
  }

  synchronized void onSuccess() {
    limit = Math.min(max, slowStart ? limit + 1 : limit + 1 / limit);
    notifyAll();
  }

  synchronized void onRateLimited(long nowNanos) {
    slowStart = false;
    if (nowNanos - lastDecrease > 1_000_000_000L) {
      limit = Math.max(1, limit * 0.7);
      lastDecrease = nowNanos;
    }
  }

  /** The number of requests allowed in flight now. */
  synchronized int currentLimit() {
    return Math.min(max, Math.max((int) limit, Math.max(1, floor.getAsInt())));
  }

  synchronized int active() {
    return active;
  }
}
