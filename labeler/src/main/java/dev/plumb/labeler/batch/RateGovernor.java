package dev.plumb.labeler.batch;

import dev.plumb.labeler.backend.RateLimits;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Paces requests so that a run goes as fast as the provider's limits allow and no faster.
 *
 * <p><b>Pacing.</b> Two token buckets, requests/minute and tokens/minute, kept as GCRA
 * ("virtual scheduling", ITU-T I.371): a request of cost {@code c} may start when
 * {@code tat - τ <= now}, after which {@code tat = max(tat, start) + c·T}, with {@code T} the time
 * one unit buys at the target rate and {@code τ = (capacity - c)·T}. The capacity is half a
 * second of the rate (or one request, if larger): providers enforce limits per second as well as
 * per minute, so a minute's budget is never spent in a burst. The target rate is
 * {@code limit × headroom × factor}: headroom (0.98) absorbs clock and network jitter, the factor
 * drops by 20% on a 429 and recovers by 1% per success once 5 s have passed without one.
 *
 * <p><b>Provider's window.</b> A third and fourth bucket mirror the provider's per-minute
 * windows (capacity = the limit), re-synced from every response's
 * {@code x-ratelimit-remaining-*} headers (minus what is still in flight). They only bind when the
 * provider counts more than we do — another client on the same key, a tokenizer mismatch.
 * Limits in headers ({@code x-ratelimit-limit-*}) become the pacing limits when none were
 * configured, and cap configured ones that are higher.
 *
 * <p><b>429.</b> Everyone pauses: for {@code retry-after-ms}/{@code retry-after} when given, else
 * until the exhausted window resets ({@code x-ratelimit-reset-*} with remaining 0), else for an
 * exponential backoff with jitter (by default 0.5 s doubling to 30 s).
 *
 * <p>Thread-safe; times are nanoseconds from the given clock.
 */
final class RateGovernor {
  static final double HEADROOM = 0.98;
  private static final double BURST_SECONDS = 0.5;
  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier clock;
  private final Meter requests;
  private final Meter tokens;
  private double factor = 1.0;
  private long lastDecrease = Long.MIN_VALUE / 2;
  private int consecutive429;
  private long pausedUntil;

  /**
   * @param rpm configured requests/minute, 0 to learn from headers
   * @param tpm configured tokens/minute, 0 to learn from headers
   */
  private final long backoffBaseNanos;
  private final long backoffCapNanos;

  RateGovernor(double rpm, double tpm, LongSupplier clock) {
    this(rpm, tpm, Duration.ofMillis(500), Duration.ofSeconds(30), clock);
  }

  /**
   * @param backoffBase first pause after a 429 that says nothing about when to retry (doubling after each)
   * @param backoffCap the longest such pause
   */
  RateGovernor(double rpm, double tpm, Duration backoffBase, Duration backoffCap, LongSupplier clock) {
    this.backoffBaseNanos = backoffBase.toNanos();
    this.backoffCapNanos = backoffCap.toNanos();
    this.clock = clock;
    long now = clock.getAsLong();
    this.requests = new Meter(rpm, now);
    this.tokens = new Meter(tpm, now);
    this.pausedUntil = now;
  }

  /**
   * Books a start time for a request of {@code cost} estimated tokens and returns it (possibly
   * now, possibly in the future). The caller sleeps until then and must call again if
   * {@link #pausedUntil()} moved past its start meanwhile.
   */
  synchronized long reserve(long cost) {
    long start = Math.max(clock.getAsLong(), pausedUntil);
    // every bucket's constraint first, then every bucket books the same start
    start = tokens.earliest(requests.earliest(start, 1, factor), cost, factor);
    requests.book(start, 1, factor);
    tokens.book(start, cost, factor);
    return start;
  }

  /** Until when every request waits (a 429's retry-after); in the past when not paused. */
  synchronized long pausedUntil() {
    return pausedUntil;
  }

  /**
   * Learns from a response's headers.
   *
   * @param inFlightRequests requests sent and not yet answered (the provider may not have counted them)
   * @param inFlightTokens their estimated tokens
   */
  synchronized void observe(RateLimits limits, long inFlightRequests, long inFlightTokens) {
    if (limits.isEmpty()) {
      return;
    }
    long now = clock.getAsLong();
    requests.learnLimit(limits.limitRequests());
    tokens.learnLimit(limits.limitTokens());
    pausedUntil = Math.max(pausedUntil, requests.resync(limits.remainingRequests(), inFlightRequests, limits.resetRequests(), now));
    pausedUntil = Math.max(pausedUntil, tokens.resync(limits.remainingTokens(), inFlightTokens, limits.resetTokens(), now));
  }

  /** A request succeeded: the rate recovers gradually once 5 s have passed without a 429. */
  synchronized void onSuccess() {
    consecutive429 = 0;
    if (factor < 1 && clock.getAsLong() - lastDecrease > 5 * SECOND) {
      factor = Math.min(1.0, factor + 0.01);
    }
  }

  /**
   * A 429: pauses every request and lowers the target rate.
   *
   * @return the wait imposed on everyone
   */
  synchronized Duration onRateLimited(RateLimits limits) {
    long now = clock.getAsLong();
    consecutive429++;
    Duration wait = limits.retryAfter();
    if (wait == null && limits.remainingTokens() != null && limits.remainingTokens() <= 0) {
      wait = limits.resetTokens();
    }
    if (wait == null && limits.remainingRequests() != null && limits.remainingRequests() <= 0) {
      wait = limits.resetRequests();
    }
    if (wait == null) {
      long cap = Math.min(backoffCapNanos, backoffBaseNanos << Math.min(20, consecutive429 - 1));
      wait = Duration.ofNanos((long) (cap * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
    pausedUntil = Math.max(pausedUntil, now + wait.toNanos());
    // no burst after the pause: the buckets restart empty at its end
    requests.restartAt(pausedUntil);
    tokens.restartAt(pausedUntil);
    if (now - lastDecrease > SECOND) {
      factor = Math.max(0.3, factor * 0.8);
      lastDecrease = now;
    }
    return wait;
  }

  /** The requests/minute being aimed at now (0 when unknown). */
  synchronized double targetRpm() {
    return requests.perMinute * HEADROOM * factor;
  }

  /** The tokens/minute being aimed at now (0 when unknown). */
  synchronized double targetTpm() {
    return tokens.perMinute * HEADROOM * factor;
  }

  /** The limits in force (configured or learned): [requests/min, tokens/min], 0 when unknown. */
  synchronized double[] limits() {
    return new double[] {requests.perMinute, tokens.perMinute};
  }

  /**
   * One per-minute limit (requests, each costing 1, or tokens): the pacing bucket at the target
   * rate and the mirror of the provider's window, in the GCRA form described on the class.
   * Guarded by the governor's lock.
   */
  private static final class Meter {
    /** The configured limit per minute; 0 to learn it from headers. */
    private final double configured;
    /** The limit in force (configured, or learned and capping it); 0 when unknown. */
    private double perMinute;
    /** The pacing bucket's theoretical arrival time. */
    private long tat;
    /** The provider's limit per minute from headers; 0 when not told. */
    private long window;
    /** The provider window's theoretical arrival time. */
    private long windowTat;

    Meter(double configured, long now) {
      this.configured = configured;
      this.perMinute = configured;
      this.tat = now;
      this.windowTat = now;
    }

    /** The earliest start, not before {@code start}, at which both buckets admit {@code cost} units. */
    long earliest(long start, long cost, double factor) {
      double rate = rate(factor);
      if (rate > 0 && cost > 0) {
        double cap = Math.max(cost, rate * BURST_SECONDS);
        start = Math.max(start, tat - (long) ((cap - cost) * (long) (SECOND / rate)));
      }
      long tw = windowTick(cost);
      if (tw > 0) {
        start = Math.max(start, windowTat - Math.max(0, window - cost) * tw);
      }
      return start;
    }

    /** Books {@code cost} units at {@code start} in both buckets. */
    void book(long start, long cost, double factor) {
      double rate = rate(factor);
      long t = rate > 0 && cost > 0 ? (long) (SECOND / rate) : 0;
      if (t > 0) {
        tat = Math.max(tat, start) + cost * t;
      }
      long tw = windowTick(cost);
      if (tw > 0) {
        windowTat = Math.max(windowTat, start) + cost * tw;
      }
    }

    /** A limit from {@code x-ratelimit-limit-*}: mirrored, and the pacing limit unless a lower one was configured. */
    void learnLimit(Long limit) {
      if (limit != null && limit > 0) {
        window = limit;
        perMinute = configured > 0 ? Math.min(configured, window) : window;
      }
    }

    /**
     * Re-syncs the window from {@code x-ratelimit-remaining-*} (less what is in flight).
     *
     * @return until when everyone pauses: the window's reset when it is exhausted and its size is
     *     unknown; {@link Long#MIN_VALUE} otherwise
     */
    long resync(Long remaining, long inFlight, Duration reset, long now) {
      if (remaining == null) {
        return Long.MIN_VALUE;
      }
      long left = remaining - inFlight;
      if (window > 0) {
        windowTat = Math.max(windowTat, now + Math.max(0, window - left) * (60 * SECOND / window));
      } else if (left <= 0 && reset != null) {
        return now + reset.toNanos();
      }
      return Long.MIN_VALUE;
    }

    /** After a pause the pacing bucket restarts empty: no burst at its end. */
    void restartAt(long time) {
      tat = Math.max(tat, time);
    }

    private double rate(double factor) {
      return perMinute * HEADROOM * factor / 60.0;
    }

    /** Nanoseconds one unit takes in the provider's window; 0 when it does not bind. */
    private long windowTick(long cost) {
      long tw = window > 0 ? 60 * SECOND / window : 0;
      return cost > 0 ? tw : 0;
    }
  }
}
