package dev.plumb.labeler.batch;

import java.time.Duration;

/**
 * What a run would send and cost, computed without sending anything.
 *
 * <p>Three cost figures, each the prompt at its rate plus every answer at the output cap (the most
 * the answers can cost, so a budget set from them holds): {@code list} — every prompt token at the
 * input rate; {@code cached} — with the provider's prompt caching as plumb asks for it (the
 * prompt's shared leading messages, {@link #cacheablePrefixTokens}, read from the cache by
 * {@link #cacheHitRate} of the requests after each cache key's first, the rest writing it);
 * {@code batch} — the same at the Batch API's rates. {@link #expected} gives the same three with
 * the answers at their expected length instead of the cap: what the run will most likely cost.
 *
 * @param units units in the file
 * @param labels (unit, policy) labels the run covers
 * @param resumed labels already done in the output file (skipped)
 * @param requests model calls needed (one per unit with anything left to label; more if answers need a retry)
 * @param promptTokens prompt tokens over those calls, the response schema included (exact with the
 *     model's tokenizer, no floor; characters / 4 without one)
 * @param images image parts over those calls
 * @param maxOutputTokens the output cap summed over those calls (the most the answers can cost)
 * @param tokenizer how tokens were counted: a tokenizer name, a scaled count
 *     ({@code o200k_base x 1.20 (Claude estimate, +/-10%)}), or {@code chars/4}
 * @param price the model's price, or {@code null} when the price table does not know it
 * @param inputCostUsd prompt cost at the list input rate ({@code null} without a price)
 * @param maxOutputCostUsd the most the answers can cost at the list output rate ({@code null} without a price)
 * @param rpm the requests/minute limit used for the time estimate (0 when unknown)
 * @param tpm the tokens/minute limit used for the time estimate (0 when unknown)
 * @param time expected wall time at those limits, or {@code null} when no limit is known
 * @param schemaTokens tokens of the response schema, counted once per request in {@code promptTokens}
 * @param cacheablePrefixTokens tokens of a request's prefix the provider can cache, on average over the
 *     requests that have one (0 when prompt caching is off or every prefix is below the provider's
 *     minimum); the same for every request when the prompt has one shared prefix
 * @param cachePrefixes how many distinct cacheable prefixes the requests have: 1 for the unified
 *     prompt, one per policy for gpt-oss-safeguard (each policy's system message is static across
 *     units and cached on its own); 0 without caching
 * @param cachedInputTokens expected prompt tokens read from the cache over all calls
 * @param cacheWriteInputTokens expected prompt tokens written to the cache at a write price (Anthropic)
 * @param cacheHitRate the share of eligible requests expected to hit the cache (from the previous
 *     run of the same prompt and model when there is one, else {@code 0.9}; 0 without caching)
 * @param listCostUsd prompt + output cap at list rates ({@code null} without a price)
 * @param cachedCostUsd the same with expected caching ({@code null} without a price)
 * @param batchCostUsd the same at Batch API rates ({@code null} without a batch price)
 * @param tokenError the relative error of {@code promptTokens}: 0 with the model's own tokenizer
 * @param expected the figures with answers at their expected length
 */
public record DryRunEstimate(
    long units, long labels, long resumed, long requests, long promptTokens, long images, long maxOutputTokens,
    String tokenizer, PriceTable.Price price, Double inputCostUsd, Double maxOutputCostUsd,
    double rpm, double tpm, Duration time,
    long schemaTokens, long cacheablePrefixTokens, int cachePrefixes, long cachedInputTokens, long cacheWriteInputTokens,
    double cacheHitRate, Double listCostUsd, Double cachedCostUsd, Double batchCostUsd,
    double tokenError, Expected expected) {

  /**
   * What the run will most likely cost: the answers at their expected length.
   *
   * @param outputTokens expected answer tokens over all calls
   * @param outputBasis where the expected length comes from: the previous run of the same prompt
   *     and model (its output tokens per call), else the prompt's default ({@link
   *     LabelingPrompt#expectedAnswer}: plumb's unified answer or the model profile's)
   * @param cacheHitBasis where {@code cacheHitRate} comes from
   * @param listCostUsd prompt at list rates + expected answers ({@code null} without a price)
   * @param cachedCostUsd the same with expected caching ({@code null} without a price)
   * @param batchCostUsd the same at Batch API rates ({@code null} without a batch price)
   */
  public record Expected(long outputTokens, String outputBasis, String cacheHitBasis, Double listCostUsd,
      Double cachedCostUsd, Double batchCostUsd) {}
}
