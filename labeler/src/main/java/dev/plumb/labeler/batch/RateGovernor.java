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
  private final double userRpm;
  private final double userTpm;
  private double rpm;
  private double tpm;
  private double factor = 1.0;
  private long lastDecrease = Long.MIN_VALUE / 2;
  private int consecutive429;

  private long tatReq;
  private long tatTok;
  private long windowReq;
  private long windowTok;
  private long windowTatReq;
  private long windowTatTok;
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
    this.userRpm = rpm;
    this.userTpm = tpm;
    this.rpm = rpm;
    this.tpm = tpm;
    this.clock = clock;
    long now = clock.getAsLong();
    this.tatReq = now;
    this.tatTok = now;
    this.windowTatReq = now;
    this.windowTatTok = now;
    this.pausedUntil = now;
  }

  /**
   * Books a start time for a request of {@code tokens} estimated tokens and returns it (possibly
   * now, possibly in the future). The caller sleeps until then and must call again if
   * {@link #pausedUntil()} moved past its start meanwhile.
   */
  synchronized long reserve(long tokens) {
    long now = clock.getAsLong();
    long start = Math.max(now, pausedUntil);
    double reqRate = rpm * HEADROOM * factor / 60.0;
    double tokRate = tpm * HEADROOM * factor / 60.0;
    long tReq = 0;
    long tTok = 0;
    if (reqRate > 0) {
      tReq = (long) (SECOND / reqRate);
      double cap = Math.max(1, reqRate * BURST_SECONDS);
      start = Math.max(start, tatReq - (long) ((cap - 1) * tReq));
    }
    if (tokRate > 0 && tokens > 0) {
      tTok = (long) (SECOND / tokRate);
      double cap = Math.max(tokens, tokRate * BURST_SECONDS);
      start = Math.max(start, tatTok - (long) ((cap - tokens) * tTok));
    }
    long twReq = windowReq > 0 ? 60 * SECOND / windowReq : 0;
    long twTok = windowTok > 0 ? 60 * SECOND / windowTok : 0;
    if (twReq > 0) {
      start = Math.max(start, windowTatReq - (windowReq - 1) * twReq);
    }
    if (twTok > 0 && tokens > 0) {
      start = Math.max(start, windowTatTok - Math.max(0, windowTok - tokens) * twTok);
    }
    if (tReq > 0) {
      tatReq = Math.max(tatReq, start) + tReq;
    }
    if (tTok > 0) {
      tatTok = Math.max(tatTok, start) + tokens * tTok;
    }
    if (twReq > 0) {
      windowTatReq = Math.max(windowTatReq, start) + twReq;
    }
    if (twTok > 0 && tokens > 0) {
      windowTatTok = Math.max(windowTatTok, start) + tokens * twTok;
    }
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
    if (limits.limitRequests() != null && limits.limitRequests() > 0) {
      windowReq = limits.limitRequests();
      rpm = userRpm > 0 ? Math.min(userRpm, windowReq) : windowReq;
    }
    if (limits.limitTokens() != null && limits.limitTokens() > 0) {
      windowTok = limits.limitTokens();
      tpm = userTpm > 0 ? Math.min(userTpm, windowTok) : windowTok;
    }
    if (limits.remainingRequests() != null) {
      long left = limits.remainingRequests() - inFlightRequests;
      if (windowReq > 0) {
        windowTatReq = Math.max(windowTatReq, now + Math.max(0, windowReq - left) * (60 * SECOND / windowReq));
      } else if (left <= 0 && limits.resetRequests() != null) {
        pausedUntil = Math.max(pausedUntil, now + limits.resetRequests().toNanos());
      }
    }
    if (limits.remainingTokens() != null) {
      long left = limits.remainingTokens() - inFlightTokens;
      if (windowTok > 0) {
        windowTatTok = Math.max(windowTatTok, now + Math.max(0, windowTok - left) * (60 * SECOND / windowTok));
      } else if (left <= 0 && limits.resetTokens() != null) {
        pausedUntil = Math.max(pausedUntil, now + limits.resetTokens().toNanos());
      }
    }
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
    tatReq = Math.max(tatReq, pausedUntil);
    tatTok = Math.max(tatTok, pausedUntil);
    if (now - lastDecrease > SECOND) {
      factor = Math.max(0.3, factor * 0.8);
      lastDecrease = now;
    }
    return wait;
  }

  /** The requests/minute being aimed at now (0 when unknown). */
  synchronized double targetRpm() {
    return rpm * HEADROOM * factor;
  }

  /** The tokens/minute being aimed at now (0 when unknown). */
  synchronized double targetTpm() {
    return tpm * HEADROOM * factor;
  }

  /** The limits in force (configured or learned): [requests/min, tokens/min], 0 when unknown. */
  synchronized double[] limits() {
    return new double[] {rpm, tpm};
  }
}
