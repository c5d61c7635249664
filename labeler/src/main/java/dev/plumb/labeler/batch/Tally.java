package dev.plumb.labeler.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A run's counters, updated by every worker at once: calls, retries, rate limits, errors, cache
 * hits, tokens, cost, labels written by outcome, and the calls in flight. Thread-safe; a
 * {@link #progress} snapshot reads each counter once, so its fields may be a few updates apart.
 */
final class Tally {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong inputTokens = new AtomicLong();
  private final AtomicLong outputTokens = new AtomicLong();
  private final AtomicLong cachedInputTokens = new AtomicLong();
  private final AtomicLong cacheWriteInputTokens = new AtomicLong();
  private final DoubleAdder cost = new DoubleAdder();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong inFlightTokens = new AtomicLong();

  /** A call starts: a request (a retry when {@code retry}), in flight with {@code tokens} reserved. */
  void callStarted(boolean retry, long tokens) {
    requests.incrementAndGet();
    if (retry) {
      retries.incrementAndGet();
    }
    inFlight.incrementAndGet();
    inFlightTokens.addAndGet(tokens);
  }

  /** A call returned or failed: no longer in flight. */
  void callEnded(long tokens) {
    inFlight.decrementAndGet();
    inFlightTokens.addAndGet(-tokens);
  }

  long requests() {
    return requests.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  long inFlightTokens() {
    return inFlightTokens.get();
  }

  /** Tokens a call used and what they cost. */
  void used(long in, long out, double usd) {
    used(in, 0, 0, out, usd);
  }

  /** Tokens a call used ({@code in} includes the cached and cache-write ones) and what they cost. */
  void used(long in, long cached, long cacheWrite, long out, double usd) {
    inputTokens.addAndGet(in);
    cachedInputTokens.addAndGet(cached);
    cacheWriteInputTokens.addAndGet(cacheWrite);
    outputTokens.addAndGet(out);
    cost.add(usd);
  }

  void rateLimited() {
    rateLimited.incrementAndGet();
  }

  void error() {
    errors.incrementAndGet();
  }

  void cacheHit() {
    cacheHits.incrementAndGet();
  }

  void ok(int labels) {
    ok.addAndGet(labels);
  }

  void invalid(int labels) {
    invalid.addAndGet(labels);
  }

  void failed(int labels) {
    failed.addAndGet(labels);
  }

  /**
   * The counters as {@link Progress}.
   *
   * @param todo labels this session set out to write
   * @param resumed labels already written by earlier sessions
   */
  Progress progress(long todo, long resumed, Duration elapsed, int concurrency, double targetRpm, double targetTpm) {
    long o = ok.get();
    long i = invalid.get();
    long f = failed.get();
    return new Progress(
        todo, o + i + f, o, i, f, resumed, requests.get(), rateLimited.get(), retries.get(), errors.get(),
        cacheHits.get(), inputTokens.get(), outputTokens.get(), cost.sum(), elapsed,
        inFlight.get(), concurrency, targetRpm, targetTpm, cachedInputTokens.get(), cacheWriteInputTokens.get());
  }
}
