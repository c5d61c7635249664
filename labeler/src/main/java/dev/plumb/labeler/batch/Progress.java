package dev.plumb.labeler.batch;

import java.time.Duration;

/**
 * A snapshot of a running batch, for progress bars and log lines. Counts are (unit, policy)
 * labels of this session unless named otherwise.
 *
 * @param total labels this session has to produce (what was not already done)
 * @param done labels written this session ({@code ok + invalid + failed})
 * @param resumed labels already done when the session started
 * @param requests model calls sent (validation retries and retries included)
 * @param rateLimited 429 responses
 * @param retries calls that repeated an earlier one (after a 429, an error or an invalid answer)
 * @param errors timeouts, connection failures, 5xx and rejected requests
 * @param cacheHits answers taken from the response cache
 * @param costUsd what the calls of this session cost (0 when the model has no price)
 * @param inFlight calls awaiting an answer
 * @param concurrency calls allowed in flight now (adaptive)
 * @param targetRpm requests/minute being aimed at (0 when no limit is known)
 * @param targetTpm tokens/minute being aimed at (0 when no limit is known)
 * @param cachedInputTokens of {@code inputTokens}, those the provider read from its prompt cache
 * @param cacheWriteInputTokens of {@code inputTokens}, those written to the prompt cache at a write price
 */
public record Progress(
    long total, long done, long ok, long invalid, long failed, long resumed,
    long requests, long rateLimited, long retries, long errors, long cacheHits,
    long inputTokens, long outputTokens, double costUsd, Duration elapsed,
    int inFlight, int concurrency, double targetRpm, double targetTpm,
    long cachedInputTokens, long cacheWriteInputTokens) {

  /** A snapshot without prompt-cache figures. */
  public Progress(
      long total, long done, long ok, long invalid, long failed, long resumed,
      long requests, long rateLimited, long retries, long errors, long cacheHits,
      long inputTokens, long outputTokens, double costUsd, Duration elapsed,
      int inFlight, int concurrency, double targetRpm, double targetTpm) {
    this(total, done, ok, invalid, failed, resumed, requests, rateLimited, retries, errors, cacheHits, inputTokens,
        outputTokens, costUsd, elapsed, inFlight, concurrency, targetRpm, targetTpm, 0, 0);
  }

  /** Labels per second over the whole session so far (0 before the first second). */
  public double labelsPerSecond() {
    double s = elapsed.toMillis() / 1000.0;
    return s < 1 ? 0 : done / s;
  }

  /** Requests per minute over the session so far. */
  public double requestsPerMinute() {
    double s = elapsed.toMillis() / 1000.0;
    return s < 1 ? 0 : requests * 60 / s;
  }

  /** Estimated time left at the rate so far, or {@code null} when there is no rate yet. */
  public Duration eta() {
    double rate = labelsPerSecond();
    return rate <= 0 ? null : Duration.ofSeconds((long) Math.ceil((total - done) / rate));
  }
}
