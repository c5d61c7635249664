package dev.plumb.labeler.backend;

import java.util.List;
import java.util.Objects;

/**
 * What a model answered.
 *
 * @param text the answer text (empty when the model refused or returned nothing)
 * @param refusal the model's refusal message, or {@code null}
 * @param truncated whether the answer stopped at the output token cap
 * @param inputTokens every prompt token the provider counted — those read from and written to its
 *     prompt cache included — or -1 when it did not say
 * @param outputTokens answer tokens the provider counted, or -1 when it did not say
 * @param limits the rate-limit headers of the response
 * @param format the response format that produced the answer ({@code json_schema},
 *     {@code json_object} or {@code text})
 * @param cachedInputTokens of {@code inputTokens}, those read from the provider's prompt cache
 *     (OpenAI {@code usage.prompt_tokens_details.cached_tokens}, Anthropic
 *     {@code cache_read_input_tokens}, Gemini {@code cachedContentTokenCount}); 0 when none or not said
 * @param cacheWriteInputTokens of {@code inputTokens}, those written to the prompt cache at a
 *     write price (Anthropic {@code cache_creation_input_tokens}); 0 when none or not said
 * @param logprobs the answer's tokens with their log-probabilities, in order, when the request asked
 *     for them and the server sent them; else empty
 */
public record ModelReply(
    String text, String refusal, boolean truncated, long inputTokens, long outputTokens, RateLimits limits, String format,
    long cachedInputTokens, long cacheWriteInputTokens, List<TokenLogprob> logprobs) {
  public ModelReply {
    logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    text = text == null ? "" : text;
    limits = limits == null ? RateLimits.NONE : limits;
    Objects.requireNonNull(format, "format");
    // a provider never reports more cached than prompt tokens; a confused one must not make the uncached part negative
    cachedInputTokens = Math.max(0, cachedInputTokens);
    cacheWriteInputTokens = Math.max(0, cacheWriteInputTokens);
    if (inputTokens >= 0 && cachedInputTokens + cacheWriteInputTokens > inputTokens) {
      inputTokens = cachedInputTokens + cacheWriteInputTokens;
    }
  }

  /** A reply without log-probabilities. */
  public ModelReply(
      String text, String refusal, boolean truncated, long inputTokens, long outputTokens, RateLimits limits, String format,
      long cachedInputTokens, long cacheWriteInputTokens) {
    this(text, refusal, truncated, inputTokens, outputTokens, limits, format, cachedInputTokens, cacheWriteInputTokens,
        List.of());
  }

  /** A reply without prompt-cache figures (a server that does not cache, the local classifier). */
  public ModelReply(
      String text, String refusal, boolean truncated, long inputTokens, long outputTokens, RateLimits limits, String format) {
    this(text, refusal, truncated, inputTokens, outputTokens, limits, format, 0, 0);
  }
}
