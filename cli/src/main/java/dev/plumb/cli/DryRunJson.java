package dev.plumb.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.batch.DryRunEstimate;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code plumb label --dry-run --json}: the estimate as one object (docs/labeler.md), declared by
 * {@link Estimate} and its parts: keys are the components in snake_case, in component order. Costs
 * are {@code null} when the price table does not know the model (or its batch rates).
 */
final class DryRunJson {
  private DryRunJson() {}

  /** The whole object; {@code seconds} is written only when a rate limit gives a time estimate. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Estimate(String model, long units, long labels, long resumed, long requests, String tokenizer, double tokensError,
      Tokens tokens, long images, double cacheHitRate, String cacheHitBasis, String outputExpectedBasis, CostUsd costUsd,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long seconds) {}

  /** {@code tokens}: the prompt's, the cache's and the answers' token counts over all requests. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Tokens(long input, long cachedInput, long cacheWriteInput, long outputMax, long outputExpected,
      long schemaPerRequest, long cacheablePrefix, int cachePrefixes) {}

  /**
   * {@code cost_usd}: the three prices of the whole run, the answers' cap at list rates, the prompt's
   * share of each (what unifying the prompt, caching and batching change) and the three with the
   * answers at their expected length (what the run will most likely cost).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record CostUsd(BigDecimal list, BigDecimal cached, BigDecimal batch, BigDecimal outputMax, Costs prompt, Costs expected) {}

  /** The three prices of one figure: at list rates, with expected prompt caching, at batch rates. */
  record Costs(BigDecimal list, BigDecimal cached, BigDecimal batch) {
    Costs(Double list, Double cached, Double batch) {
      this(usd(list), usd(cached), usd(batch));
    }
  }

  static ObjectNode of(DryRunEstimate e, String model) {
    DryRunEstimate.Expected x = e.expected();
    Costs prompt = new Costs(e.inputCostUsd(), e.cachedCostUsd() == null ? null : e.cachedCostUsd() - e.maxOutputCostUsd(),
        e.batchCostUsd() == null ? null : e.batchCostUsd() - e.price().batch().cost(0, e.maxOutputTokens()));
    CostUsd cost = new CostUsd(usd(e.listCostUsd()), usd(e.cachedCostUsd()), usd(e.batchCostUsd()), usd(e.maxOutputCostUsd()),
        prompt, new Costs(x.listCostUsd(), x.cachedCostUsd(), x.batchCostUsd()));
    Tokens tokens = new Tokens(e.promptTokens(), e.cachedInputTokens(), e.cacheWriteInputTokens(), e.maxOutputTokens(),
        x.outputTokens(), e.schemaTokens(), e.cacheablePrefixTokens(), e.cachePrefixes());
    return Json.tree(new Estimate(model, e.units(), e.labels(), e.resumed(), e.requests(), e.tokenizer(), e.tokenError(),
        tokens, e.images(), e.cacheHitRate(), x.cacheHitBasis(), x.outputBasis(), cost,
        e.time() == null ? null : e.time().getSeconds()));
  }

  /** Dollars to 6 decimals (a millionth of a dollar is below any price's resolution here). */
  private static BigDecimal usd(Double dollars) {
    return dollars == null ? null : BigDecimal.valueOf(dollars).setScale(6, RoundingMode.HALF_UP);
  }
}
