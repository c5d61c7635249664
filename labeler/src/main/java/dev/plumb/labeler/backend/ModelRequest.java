package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.unit.Unit;
import java.util.List;

/**
 * One model call: the conversation, the JSON Schema the answer must follow, and the output cap.
 *
 * @param messages system, user (and, in a validation retry, assistant + user) messages in order
 * @param schema JSON Schema of the answer object (sent as a strict {@code json_schema} response
 *     format where the server supports it), or {@code null} for a free-text answer (a safety model's
 *     own output format, docs/labeler.md "Model profiles"): then no response format is asked for
 * @param maxOutputTokens the answer's token cap, at least 1
 * @param temperature the sampling temperature, or {@code null} for the provider's default
 * @param unit the unit being labeled, for backends that do not read text (the local classifier);
 *     may be {@code null}
 * @param promptCacheKey {@code null} to leave the provider's prompt caching alone; else the key that
 *     groups requests sharing a prompt prefix (OpenAI {@code prompt_cache_key}) — with it the backend
 *     also turns on caching where the provider needs asking (Anthropic {@code cache_control} on the
 *     system block). Never part of the response cache's key: it changes the price, not the answer.
 * @param topLogprobs 0 to ask for no log-probabilities; else how many alternatives per answer token
 *     to ask for ({@code logprobs: true, top_logprobs: n}), from which a label's score is read
 */
public record ModelRequest(
    List<ChatMessage> messages, JsonNode schema, int maxOutputTokens, Double temperature, Unit unit, String promptCacheKey,
    int topLogprobs) {
  public ModelRequest {
    messages = List.copyOf(messages);
    if (topLogprobs < 0 || topLogprobs > 20) {
      throw new IllegalArgumentException("topLogprobs must be in [0, 20]: " + topLogprobs);
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a model request needs at least one message");
    }
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be >= 1: " + maxOutputTokens);
    }
  }

  /** A request that asks for no log-probabilities. */
  public ModelRequest(
      List<ChatMessage> messages, JsonNode schema, int maxOutputTokens, Double temperature, Unit unit, String promptCacheKey) {
    this(messages, schema, maxOutputTokens, temperature, unit, promptCacheKey, 0);
  }

  /** A request that leaves prompt caching to the provider's defaults. */
  public ModelRequest(List<ChatMessage> messages, JsonNode schema, int maxOutputTokens, Double temperature, Unit unit) {
    this(messages, schema, maxOutputTokens, temperature, unit, null);
  }

  /** The same request with more messages appended (a validation retry). */
  public ModelRequest plus(List<ChatMessage> more) {
    List<ChatMessage> all = new java.util.ArrayList<>(messages);
    all.addAll(more);
    return new ModelRequest(all, schema, maxOutputTokens, temperature, unit, promptCacheKey, topLogprobs);
  }
}
