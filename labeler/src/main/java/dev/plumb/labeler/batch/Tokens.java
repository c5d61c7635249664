package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The token counts of a run's calls as {@code run.json} records them, for the session and for the
 * running total alike (docs/labeler.md): {@code cachedInput} and {@code cacheWriteInput} are parts of
 * {@code input}, priced at the cached-input and cache-write rates.
 */
record Tokens(long input, long cachedInput, long cacheWriteInput, long output) {

  /** The session's counts so far. */
  static Tokens of(Progress p) {
    return new Tokens(p.inputTokens(), p.cachedInputTokens(), p.cacheWriteInputTokens(), p.outputTokens());
  }

  /** A {@code tokens} object of an earlier run.json; a count it lacks (older files) is 0. */
  static Tokens read(JsonNode tokens) {
    return new Tokens(tokens.path("input").asLong(), tokens.path("cached_input").asLong(),
        tokens.path("cache_write_input").asLong(), tokens.path("output").asLong());
  }

  Tokens plus(Tokens o) {
    return new Tokens(input + o.input, cachedInput + o.cachedInput, cacheWriteInput + o.cacheWriteInput, output + o.output);
  }

  /** Writes the counts into {@code tokens} under run.json's keys, in its order. */
  void write(ObjectNode tokens) {
    tokens.put("input", input);
    tokens.put("cached_input", cachedInput);
    tokens.put("cache_write_input", cacheWriteInput);
    tokens.put("output", output);
  }
}
