package dev.plumb.labeler.backend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider said about its rate limits in one response's headers. Every field is
 * {@code null} when the provider did not send it.
 *
 * <p>Understands OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (resets as
 * Go durations: {@code 6m0s}, {@code 1s}, {@code 20ms}), Anthropic's
 * {@code anthropic-ratelimit-*} (resets as RFC 3339 timestamps), and {@code retry-after-ms} /
 * {@code retry-after} (seconds or an HTTP date).
 *
 * @param limitRequests requests allowed per minute
 * @param remainingRequests requests left in the provider's window when it answered
 * @param resetRequests time until the request window is full again
 * @param limitTokens tokens allowed per minute
 * @param remainingTokens tokens left in the window
 * @param resetTokens time until the token window is full again
 * @param retryAfter how long the provider asked every client to wait before the next request
 */
public record RateLimits(
    Long limitRequests,
    Long remainingRequests,
    Duration resetRequests,
    Long limitTokens,
    Long remainingTokens,
    Duration resetTokens,
    Duration retryAfter) {

  public static final RateLimits NONE = new RateLimits(null, null, null, null, null, null, null);

  private static final Pattern GO_DURATION =
      Pattern.compile("((?:\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+");
  private static final Pattern GO_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  /** Whether any field is known. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * Reads the rate-limit headers of a response.
   *
   * @param headers header names in any case; the first value of each is used
   * @param now the time the response arrived, to turn absolute reset times into durations
   */
  public static RateLimits parse(Map<String, List<String>> headers, Instant now) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (k, v) -> {
          if (k != null && v != null && !v.isEmpty() && v.get(0) != null) {
            h.put(k, v.get(0).trim());
          }
        });
    Long limitReq = number(h.get("x-ratelimit-limit-requests"));
    Long remReq = number(h.get("x-ratelimit-remaining-requests"));
    Duration resetReq = duration(h.get("x-ratelimit-reset-requests"), now);
    Long limitTok = number(h.get("x-ratelimit-limit-tokens"));
    Long remTok = number(h.get("x-ratelimit-remaining-tokens"));
    Duration resetTok = duration(h.get("x-ratelimit-reset-tokens"), now);
    // Anthropic names the same things differently and reports resets as timestamps.
    limitReq = first(limitReq, number(h.get("anthropic-ratelimit-requests-limit")));
    remReq = first(remReq, number(h.get("anthropic-ratelimit-requests-remaining")));
    resetReq = first(resetReq, duration(h.get("anthropic-ratelimit-requests-reset"), now));
    for (String kind : List.of("tokens", "input-tokens")) {
      limitTok = first(limitTok, number(h.get("anthropic-ratelimit-" + kind + "-limit")));
      remTok = first(remTok, number(h.get("anthropic-ratelimit-" + kind + "-remaining")));
      resetTok = first(resetTok, duration(h.get("anthropic-ratelimit-" + kind + "-reset"), now));
    }
    Duration retry = null;
    Long ms = number(h.get("retry-after-ms"));
    if (ms != null) {
      retry = Duration.ofMillis(ms);
    } else {
      retry = duration(h.get("retry-after"), now);
    }
    return new RateLimits(limitReq, remReq, resetReq, limitTok, remTok, resetTok, retry);
  }

  /**
   * Parses a duration as providers write it: a Go duration ({@code 6m0s}, {@code 1.5s},
   * {@code 20ms}), a plain number of seconds ({@code 30}, {@code 0.5}), an RFC 3339 timestamp or
   * an HTTP date (both turned into the time from {@code now}, never negative). Returns {@code null}
   * for anything else.
   */
  public static Duration duration(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+(\\.\\d+)?")) {
        return nanos(new BigDecimal(t).multiply(BigDecimal.valueOf(1_000_000_000L)));
      }
      if (GO_DURATION.matcher(t).matches()) {
        BigDecimal total = BigDecimal.ZERO;
        Matcher m = GO_PART.matcher(t);
        while (m.find()) {
          total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        return nanos(total);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    Instant at = null;
    try {
      at = ZonedDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        at = ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    Duration d = Duration.between(now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  private static Duration nanos(BigDecimal n) {
    return Duration.ofNanos(n.longValue());
  }

  private static Long number(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text).longValue();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }
}
