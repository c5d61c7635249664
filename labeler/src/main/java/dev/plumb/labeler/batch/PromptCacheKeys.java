package dev.plumb.labeler.batch;

import dev.plumb.core.Hashing;

/**
 * The {@code prompt_cache_key} of a request: the prompt fingerprint, sharded by unit when the run
 * sends more requests a minute than one key is cached well at.
 *
 * <p>OpenAI routes requests by a hash of the prompt's first tokens and the key; when one
 * prefix-and-key combination gets more than about {@value #RPM_PER_KEY} requests a minute, the
 * overflow goes to machines that do not hold the prefix (OpenAI, "Prompt caching" guide, 2025).
 * So a run sending R requests a minute spreads its units over the next power of two ≥ R / 15
 * keys, by a hash of the unit id. Powers of two keep a unit's shard stable as the rate grows
 * (shard {@code h mod 2n} is within shard {@code h mod n}), so a change costs only the new shards'
 * first requests. Each shard pays one uncached prefix, so the count is capped at {@link #MAX_SHARDS}.
 */
final class PromptCacheKeys {
  /** Requests a minute per prefix and key that OpenAI documents as cached well. */
  static final double RPM_PER_KEY = 15;

  /** At most this many keys: beyond it, the uncached first request of each shard costs more than the overflow. */
  static final int MAX_SHARDS = 64;

  private PromptCacheKeys() {}

  /** Shards for a run sending {@code requestsPerMinute} (1 when the rate is not known yet). */
  static int shards(double requestsPerMinute) {
    if (!(requestsPerMinute > RPM_PER_KEY)) {
      return 1;
    }
    int needed = (int) Math.min(MAX_SHARDS, Math.ceil(requestsPerMinute / RPM_PER_KEY));
    return Math.min(MAX_SHARDS, Integer.highestOneBit(needed - 1) << 1);
  }

  /**
   * {@code plumb-<16 hex of the fingerprint>} with one shard, else {@code plumb-<hex>-<shard>}: short
   * (no provider limit is approached), no unit data in it, the same for every unit of a shard.
   */
  static String key(String fingerprint, String unitId, int shards) {
    String hex = (fingerprint.startsWith("sha256:") ? fingerprint : Hashing.sha256(fingerprint)).substring(7);
    String base = "plumb-" + hex.substring(0, Math.min(16, hex.length()));
    if (shards <= 1) {
      return base;
    }
    return base + "-" + Math.floorMod(unitId.hashCode(), shards);
  }
}
