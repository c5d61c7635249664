package dev.plumb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.batch.DryRunEstimate;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code plumb label --dry-run --json}: the estimate as one object (docs/labeler.md),
 * {@code {"units","requests","tokens":{"input","cached_input","output_max"},"cost_usd":{"list","cached","batch"}}}
 * and more. Costs are {@code null} when the price table does not know the model (or its batch rates).
 */
final class DryRunJson {
  private DryRunJson() {}

  static ObjectNode of(DryRunEstimate e, String model) {
    ObjectNode o = Json.object();
    o.put("model", model);
    o.put("units", e.units());
    o.put("labels", e.labels());
    o.put("resumed", e.resumed());
    o.put("requests", e.requests());
    o.put("tokenizer", e.tokenizer());
    o.put("tokens_error", e.tokenError());
    ObjectNode t = o.putObject("tokens");
    t.put("input", e.promptTokens());
    t.put("cached_input", e.cachedInputTokens());
    t.put("cache_write_input", e.cacheWriteInputTokens());
    t.put("output_max", e.maxOutputTokens());
    t.put("output_expected", e.expected().outputTokens());
    t.put("schema_per_request", e.schemaTokens());
    t.put("cacheable_prefix", e.cacheablePrefixTokens());
    t.put("cache_prefixes", e.cachePrefixes());
    o.put("images", e.images());
    o.put("cache_hit_rate", e.cacheHitRate());
    o.put("cache_hit_basis", e.expected().cacheHitBasis());
    o.put("output_expected_basis", e.expected().outputBasis());
    ObjectNode c = costs(o.putObject("cost_usd"), e.listCostUsd(), e.cachedCostUsd(), e.batchCostUsd());
    usd(c, "output_max", e.maxOutputCostUsd());
    // the prompt's share of each figure: what unifying the prompt, caching and batching change
    costs(c.putObject("prompt"), e.inputCostUsd(), e.cachedCostUsd() == null ? null : e.cachedCostUsd() - e.maxOutputCostUsd(),
        e.batchCostUsd() == null ? null : e.batchCostUsd() - e.price().batch().cost(0, e.maxOutputTokens()));
    // the same three with the answers at their expected length: what the run will most likely cost
    costs(c.putObject("expected"), e.expected().listCostUsd(), e.expected().cachedCostUsd(), e.expected().batchCostUsd());
    if (e.time() != null) {
      o.put("seconds", e.time().getSeconds());
    }
    return o;
  }

  /** The three prices of one figure: at list rates, with expected prompt caching, at batch rates. */
  private static ObjectNode costs(ObjectNode o, Double list, Double cached, Double batch) {
    usd(o, "list", list);
    usd(o, "cached", cached);
    usd(o, "batch", batch);
    return o;
  }

  /** Dollars to 6 decimals (a millionth of a dollar is below any price's resolution here). */
  private static void usd(ObjectNode o, String name, Double dollars) {
    if (dollars == null) {
      o.putNull(name);
    } else {
      o.put(name, BigDecimal.valueOf(dollars).setScale(6, RoundingMode.HALF_UP));
    }
  }
}
