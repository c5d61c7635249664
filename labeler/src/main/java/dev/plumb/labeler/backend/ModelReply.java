package dev.plumb.labeler.backend;

import java.util.Objects;

/**
 * What a model answered.
 *
 * @param text the answer text (empty when the model refused or returned nothing)
 * @param refusal the model's refusal message, or {@code null}
 * @param truncated whether the answer stopped at the output token cap
 * @param inputTokens prompt tokens the provider counted, or -1 when it did not say
 * @param outputTokens answer tokens the provider counted, or -1 when it did not say
 * @param limits the rate-limit headers of the response
 * @param format the response format that produced the answer ({@code json_schema},
 *     {@code json_object} or {@code text})
 */
public record ModelReply(
    String text, String refusal, boolean truncated, long inputTokens, long outputTokens, RateLimits limits, String format) {
  public ModelReply {
    text = text == null ? "" : text;
    limits = limits == null ? RateLimits.NONE : limits;
    Objects.requireNonNull(format, "format");
  }
}
