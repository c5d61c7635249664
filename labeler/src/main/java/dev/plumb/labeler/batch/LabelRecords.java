package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.PolicyAnswer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Label records exactly as docs/formats.md describes them. One request labels every policy of a
 * unit; its usage and cost are split evenly over the unit's records (remainders on the first), so
 * sums over a label file are what the run spent.
 */
final class LabelRecords {
  private LabelRecords() {}

  /** What every record of one answer shares. */
  record Meta(
      String model, String backend, String provider, String prompt, int attempts, long latencyMs,
      long inputTokens, long outputTokens, double costUsd, boolean cached, List<String> imagesOmitted,
      int policies, int index, long cachedInputTokens, long cacheWriteInputTokens) {

    /** Without prompt-cache figures (a backend or mode that reports none). */
    Meta(String model, String backend, String provider, String prompt, int attempts, long latencyMs,
        long inputTokens, long outputTokens, double costUsd, boolean cached, List<String> imagesOmitted,
        int policies, int index) {
      this(model, backend, provider, prompt, attempts, latencyMs, inputTokens, outputTokens, costUsd, cached,
          imagesOmitted, policies, index, 0, 0);
    }
  }

  static ObjectNode ok(String unit, PolicyAnswer a, Meta m) {
    ObjectNode r = Json.object();
    r.put("unit", unit);
    r.put("policy", a.policy());
    r.put("decision", a.decision());
    r.put("positive", a.positive());
    r.put("category", a.category()); // null becomes JSON null
    if (Double.isNaN(a.confidence())) {
      r.putNull("confidence"); // the model's output format states none
    } else {
      r.put("confidence", a.confidence());
    }
    r.put("rationale", a.rationale());
    ArrayNode ev = r.putArray("evidence");
    a.evidence().forEach(ev::add);
    r.put("status", "ok");
    if (a.score() != null) {
      r.putRawValue("score", new RawValue(score(a.score())));
    }
    return common(r, m);
  }

  static ObjectNode invalid(String unit, String policy, String raw, String error, Meta m) {
    ObjectNode r = Json.object();
    r.put("unit", unit);
    r.put("policy", policy);
    r.put("status", "invalid");
    r.put("raw", raw);
    r.put("error", error);
    return common(r, m);
  }

  static ObjectNode failed(String unit, String policy, String error, Meta m) {
    ObjectNode r = Json.object();
    r.put("unit", unit);
    r.put("policy", policy);
    r.put("status", "failed");
    r.put("error", error);
    return common(r, m);
  }

  private static ObjectNode common(ObjectNode r, Meta m) {
    r.put("model", m.model());
    r.put("backend", m.backend());
    if (!m.provider().equals(m.backend())) {
      r.put("provider", m.provider());
    }
    r.put("prompt", m.prompt());
    r.put("attempts", m.attempts());
    r.put("latency_ms", m.latencyMs());
    ObjectNode usage = r.putObject("usage");
    usage.put("input", share(m.inputTokens(), m.policies(), m.index()));
    usage.put("output", share(m.outputTokens(), m.policies(), m.index()));
    // subsets of "input", priced at the cached-input and cache-write rates
    usage.put("cached_input_tokens", share(m.cachedInputTokens(), m.policies(), m.index()));
    usage.put("cache_write_input_tokens", share(m.cacheWriteInputTokens(), m.policies(), m.index()));
    r.putRawValue("cost_usd", new RawValue(usd(m.costUsd() / m.policies())));
    if (!m.imagesOmitted().isEmpty()) {
      ArrayNode omitted = r.putArray("images_omitted");
      m.imagesOmitted().forEach(omitted::add);
    }
    if (m.cached()) {
      r.put("cached", true);
    }
    return r;
  }

  /** A score with 6 decimals, written plainly (docs/formats.md: the label's {@code score}). */
  static String score(double p) {
    return BigDecimal.valueOf(p).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** Dollars with 8 decimals, written plainly (never {@code 1.2E-7}). */
  static String usd(double dollars) {
    return BigDecimal.valueOf(dollars).setScale(8, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  private static long share(long total, int parts, int index) {
    if (total <= 0) {
      return 0;
    }
    return total / parts + (index == 0 ? total % parts : 0);
  }
}
