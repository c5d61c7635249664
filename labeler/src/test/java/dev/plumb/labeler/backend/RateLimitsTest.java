package dev.plumb.labeler.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void should_parse_the_duration_formats_providers_send() {
    assertThat(RateLimits.duration("6m0s", NOW)).isEqualTo(Duration.ofMinutes(6));
    assertThat(RateLimits.duration("1s", NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimits.duration("20ms", NOW)).isEqualTo(Duration.ofMillis(20));
    assertThat(RateLimits.duration("1h2m3.5s", NOW)).isEqualTo(Duration.ofMillis(3_723_500));
    assertThat(RateLimits.duration("0.5s", NOW)).isEqualTo(Duration.ofMillis(500));
    assertThat(RateLimits.duration("250us", NOW)).isEqualTo(Duration.ofNanos(250_000));
    assertThat(RateLimits.duration("30", NOW)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RateLimits.duration("1.25", NOW)).isEqualTo(Duration.ofMillis(1250));
    assertThat(RateLimits.duration("2026-11-26T10:00:07Z", NOW)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RateLimits.duration("Thu, 26 Nov 2026 10:01:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(1));
    assertThat(RateLimits.duration("2026-11-26T09:00:00Z", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RateLimits.duration("soon", NOW)).isNull();
    assertThat(RateLimits.duration("", NOW)).isNull();
  }

  @Test
  void should_read_openai_headers_case_insensitively_and_prefer_retry_after_ms() {
    RateLimits r = RateLimits.parse(Map.of(
        "X-RateLimit-Limit-Requests", List.of("10000"), "x-ratelimit-remaining-requests", List.of("9998"),
        "x-ratelimit-reset-requests", List.of("12ms"), "x-ratelimit-limit-tokens", List.of("2000000"),
        "x-ratelimit-remaining-tokens", List.of("1999500"), "x-ratelimit-reset-tokens", List.of("6m0s"),
        "retry-after-ms", List.of("250"), "retry-after", List.of("1")), NOW);
    assertThat(r).isEqualTo(new RateLimits(10000L, 9998L, Duration.ofMillis(12), 2_000_000L, 1_999_500L,
        Duration.ofMinutes(6), Duration.ofMillis(250)));
  }

  @Test
  void should_read_anthropic_headers_with_timestamp_resets() {
    RateLimits r = RateLimits.parse(Map.of(
        "anthropic-ratelimit-requests-limit", List.of("50"), "anthropic-ratelimit-requests-remaining", List.of("0"),
        "anthropic-ratelimit-requests-reset", List.of("2026-11-26T10:00:02Z"),
        "anthropic-ratelimit-input-tokens-limit", List.of("40000"),
        "anthropic-ratelimit-input-tokens-remaining", List.of("39000"),
        "retry-after", List.of("2")), NOW);
    assertThat(r).isEqualTo(new RateLimits(50L, 0L, Duration.ofSeconds(2), 40000L, 39000L, null, Duration.ofSeconds(2)));
    assertThat(RateLimits.parse(Map.of(), NOW).isEmpty()).isTrue();
  }
}
