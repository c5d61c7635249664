package dev.plumb.labeler.batch;

import java.util.Locale;

/**
 * How a provider caches a prompt prefix, for the dry run's expected-caching figure.
 *
 * <ul>
 *   <li>{@link #OPENAI}: automatic for prompts of 1,024 tokens or more, in 128-token steps of the
 *       longest previously seen prefix; no write charge (OpenAI, "Prompt caching" guide).
 *   <li>{@link #ANTHROPIC}: only what {@code cache_control} marks (plumb marks the system block),
 *       at least 1,024 tokens (2,048 for Haiku 3/3.5, 4,096 for Haiku 4.5 and Opus 4.5); a miss
 *       writes the block at the cache-write rate (Anthropic, "Prompt caching").
 *   <li>{@link #GEMINI}: implicit caching of a repeated prefix of 1,024 tokens or more (4,096 for
 *       2.5 Pro); no write charge for implicit hits (Google, "Context caching").
 * </ul>
 */
enum CachePlan {
  OPENAI(128, false),
  ANTHROPIC(1, true),
  GEMINI(1, false);

  /**
   * The share of requests after a cache key's first that are assumed to hit: an assumption for
   * budgeting, not a provider promise (OpenAI routes by prefix and may miss under load); a run's
   * {@code session.tokens.cached_input} in run.json shows the real rate.
   */
  static final double EXPECTED_HIT_RATE = 0.9;

  private final int step;
  final boolean writes;

  CachePlan(int step, boolean writes) {
    this.step = step;
    this.writes = writes;
  }

  static CachePlan of(String provider) {
    return switch (provider) {
      case "anthropic" -> ANTHROPIC;
      case "gemini" -> GEMINI;
      default -> OPENAI;
    };
  }

  /** Whether the provider caches without being asked (so {@code --no-prompt-cache} cannot stop it). */
  boolean implicit() {
    return this != ANTHROPIC;
  }

  /** The smallest prefix the provider caches for {@code model}. */
  int minimum(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return switch (this) {
      case OPENAI -> 1024;
      case ANTHROPIC -> m.contains("haiku-4") || m.contains("opus-4-5") ? 4096 : m.contains("haiku") ? 2048 : 1024;
      case GEMINI -> m.contains("pro") ? 4096 : 1024;
    };
  }

  /** Tokens of a {@code prefix}-token shared prefix that can be read from the cache: 0 below the minimum. */
  long cacheable(long prefix, String model) {
    return prefix < minimum(model) ? 0 : prefix / step * step;
  }
}
