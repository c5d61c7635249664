package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.labeler.backend.RateLimits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacing arithmetic on a fake clock. */
class RateGovernorTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * S);

  @Test
  void should_spread_requests_evenly_and_never_burst_more_than_half_a_second() {
    RateGovernor g = new RateGovernor(6000, 0, now::get); // 100/s × 0.98 = 98/s
    long t0 = now.get();
    long[] starts = new long[200];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = g.reserve(1);
    }
    // the first half second's worth (49) may start at once; then one every 1/98 s
    assertThat(starts[48]).isEqualTo(t0);
    assertThat(starts[49]).isGreaterThan(t0);
    long interval = (long) (S / 98.0);
    assertThat(starts[150] - starts[149]).isBetween(interval - 2, interval + 2);
    // 200 requests take about (200 - 49) / 98 s
    assertThat((double) (starts[199] - t0) / S).isBetween(1.53, 1.55);
  }

  @Test
  void should_pace_tokens_by_each_request_size() {
    RateGovernor g = new RateGovernor(0, 60_000, now::get); // 980 tokens/s
    long t0 = now.get();
    g.reserve(490); // half a second of tokens: immediate
    long second = g.reserve(980);
    long third = g.reserve(980);
    assertThat((double) (second - t0) / S).isBetween(0.4999, 0.5001); // waits for the first request's debt
    assertThat((double) (third - second) / S).isBetween(0.999, 1.001);
  }

  @Test
  void should_pause_everyone_for_retry_after_and_lower_the_rate() {
    RateGovernor g = new RateGovernor(600, 0, now::get);
    Duration wait = g.onRateLimited(new RateLimits(null, null, null, null, null, null, Duration.ofMillis(1500)));
    assertThat(wait).isEqualTo(Duration.ofMillis(1500));
    assertThat(g.pausedUntil()).isEqualTo(now.get() + 1_500_000_000L);
    assertThat(g.reserve(1)).isGreaterThanOrEqualTo(now.get() + 1_500_000_000L);
    assertThat(g.targetRpm()).isEqualTo(600 * 0.98 * 0.8, org.assertj.core.data.Offset.offset(1e-9));
    // recovery: 1% per success, once 5 s have passed without a 429
    now.addAndGet(6 * S);
    g.onSuccess();
    assertThat(g.targetRpm()).isEqualTo(600 * 0.98 * 0.81, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void should_wait_for_the_token_reset_when_a_429_names_no_retry_after() {
    RateGovernor g = new RateGovernor(0, 0, now::get);
    Duration wait = g.onRateLimited(new RateLimits(null, null, null, 100_000L, 0L, Duration.parse("PT6M"), null));
    assertThat(wait).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void should_learn_limits_from_headers_and_hold_back_when_the_provider_counts_more() {
    RateGovernor g = new RateGovernor(0, 0, now::get);
    assertThat(g.limits()).containsExactly(0, 0);
    g.observe(new RateLimits(600L, 599L, Duration.ofMillis(100), 100_000L, 99_000L, Duration.ofSeconds(1), null), 0, 0);
    assertThat(g.limits()).containsExactly(600, 100_000);
    // another client on the key: only 2 requests left in the provider's window
    g.observe(new RateLimits(600L, 2L, null, null, null, null, null), 0, 0);
    long t0 = now.get();
    g.reserve(1);
    g.reserve(1);
    long third = g.reserve(1);
    assertThat(third - t0).isGreaterThanOrEqualTo(S / 10 - 1); // one request per 100 ms refills the window
  }

  @Test
  void should_cap_a_configured_limit_by_the_providers() {
    RateGovernor g = new RateGovernor(10_000, 0, now::get);
    g.observe(new RateLimits(500L, 499L, null, null, null, null, null), 0, 0);
    assertThat(g.limits()[0]).isEqualTo(500);
  }

  @Test
  void circuit_breaker_should_open_only_when_most_recent_calls_failed() {
    CircuitBreaker b = new CircuitBreaker(10, 5, 0.5);
    for (int i = 0; i < 5; i++) {
      b.success();
    }
    for (int i = 0; i < 5; i++) {
      assertThat(b.failure()).isFalse(); // at most half
    }
    assertThat(b.failure()).isTrue(); // 6 of the last 10
    assertThat(b.describe()).isEqualTo("6 of the last 10 requests failed");
    CircuitBreaker early = new CircuitBreaker(10, 5, 0.5);
    for (int i = 0; i < 4; i++) {
      assertThat(early.failure()).isFalse(); // fewer than the minimum seen
    }
    assertThat(early.failure()).isTrue();
  }

  @Test
  void price_table_should_match_dated_model_names_and_accept_overrides() throws Exception {
    PriceTable t = PriceTable.builtIn();
    assertThat(t.price("gpt-4o-mini-2024-07-18")).isEqualTo(t.price("gpt-4o-mini"));
    assertThat(t.price("openai/gpt-4.1-mini")).isEqualTo(t.price("gpt-4.1-mini"));
    assertThat(t.price("gpt-4o")).isNotEqualTo(t.price("gpt-4o-mini"));
    assertThat(t.price("llama3.2")).isEmpty();
    java.nio.file.Path f = java.nio.file.Files.createTempFile("prices", ".json");
    java.nio.file.Files.writeString(f, "{\"models\":{\"llama3.2\":{\"input\":0,\"output\":0.5}}}");
    assertThat(t.overriddenBy(f).price("llama3.2")).contains(new PriceTable.Price(0, 0.5));
    java.nio.file.Files.writeString(f, "{\"models\":{\"x\":{\"input\":\"cheap\"}}}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.overriddenBy(f))
        .hasMessage(f + ": models.x.input: expected dollars per 1M tokens (a number >= 0), found \"cheap\"");
    java.nio.file.Files.delete(f);
  }
}
