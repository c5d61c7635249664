package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prices per model in US dollars per million tokens. The built-in table
 * ({@code prices.json} beside this class) is a snapshot of public list prices, each provider's
 * with its source page and date; a file in the same format overrides or adds models:
 *
 * <pre>{"models":{"gpt-4.1-mini":{"input":0.4,"cached_input":0.1,"output":1.6,
 *                   "batch":{"input":0.2,"output":0.8}}}}</pre>
 *
 * {@code input} and {@code output} are required; {@code cached_input} (prompt tokens read from
 * the provider's prompt cache) and {@code cache_write} (prompt tokens written to it, Anthropic's
 * 5-minute write) default to {@code input}; {@code batch} holds the Batch API's rates in the
 * same shape (its {@code cached_input} defaulting to its own {@code input}: no cheaper rate for a
 * batch's cache hits unless the provider publishes one — Anthropic and gpt-5 halve their cached
 * rate, Gemini 2.5 keeps its standard one, OpenAI's gpt-4.1/4o/o-series list none; sources in
 * {@code prices.json} and docs/labeler.md). A model matches its exact name, else the longest table
 * name it starts with followed by {@code -} (dated snapshots such as
 * {@code gpt-4o-mini-2024-07-18}), after dropping a {@code provider/} prefix (LiteLLM style).
 */
public final class PriceTable {

  /**
   * Dollars per million tokens.
   *
   * @param inputPerMillion uncached prompt tokens
   * @param outputPerMillion answer tokens
   * @param cachedInputPerMillion prompt tokens read from the provider's prompt cache
   * @param cacheWritePerMillion prompt tokens written to the prompt cache (Anthropic charges a
   *     premium; OpenAI and Gemini's implicit caching charge the input rate)
   * @param batch the Batch API's rates, or {@code null} when the table has none
   */
  public record Price(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion,
      double cacheWritePerMillion, Price batch) {
    public Price {
      if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0) || !(cachedInputPerMillion >= 0)
          || !(cacheWritePerMillion >= 0)) {
        throw new IllegalArgumentException("prices must be >= 0");
      }
      if (batch != null && batch.batch() != null) {
        throw new IllegalArgumentException("batch rates have no batch rates of their own");
      }
    }

    /** Input and output rates only: cached and cache-write tokens at the input rate, no batch rates. */
    public Price(double inputPerMillion, double outputPerMillion) {
      this(inputPerMillion, outputPerMillion, inputPerMillion, inputPerMillion, null);
    }

    /** The cost of a call without prompt-cache figures, in dollars. */
    public double cost(long inputTokens, long outputTokens) {
      return cost(inputTokens, 0, 0, outputTokens);
    }

    /**
     * The cost of a call, in dollars:
     * {@code ((in − cached − write)·input + cached·cached_input + write·cache_write + out·output) / 10⁶}.
     * Negative counts (not reported) count as 0.
     *
     * @param inputTokens every prompt token, cached and cache-write ones included
     * @param cachedInputTokens of those, the ones read from the prompt cache
     * @param cacheWriteInputTokens of those, the ones written to the prompt cache
     */
    public double cost(long inputTokens, long cachedInputTokens, long cacheWriteInputTokens, long outputTokens) {
      long cached = Math.max(0, cachedInputTokens);
      long write = Math.max(0, cacheWriteInputTokens);
      long plain = Math.max(0, Math.max(0, inputTokens) - cached - write);
      return (plain * inputPerMillion + cached * cachedInputPerMillion + write * cacheWritePerMillion
          + Math.max(0, outputTokens) * outputPerMillion) / 1e6;
    }
  }

  private final Map<String, Price> prices;
  private final String asOf;

  private PriceTable(Map<String, Price> prices, String asOf) {
    this.prices = Map.copyOf(prices);
    this.asOf = asOf;
  }

  /** The built-in table. */
  public static PriceTable builtIn() {
    try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
      JsonNode root = Json.mapper().readTree(in);
      return new PriceTable(parse(root, "prices.json"), root.path("as_of").asText(""));
    } catch (IOException e) {
      throw new IllegalStateException("built-in price table unreadable", e);
    }
  }

  /** The built-in table with {@code file}'s models added or replaced. */
  public PriceTable overriddenBy(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(file + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": invalid JSON: " + e.getMessage()), e);
    }
    Map<String, Price> merged = new LinkedHashMap<>(prices);
    merged.putAll(parse(root, file.toString()));
    return new PriceTable(merged, asOf + " + " + file.getFileName());
  }

  private static Map<String, Price> parse(JsonNode root, String source) {
    JsonNode models = root.get("models");
    if (models == null || !models.isObject()) {
      throw new InputException(Problem.at(source, 0, "models", "expected an object of model -> {input, output}"));
    }
    Map<String, Price> out = new LinkedHashMap<>();
    models.fields().forEachRemaining(e -> {
      String field = "models." + e.getKey();
      JsonNode p = e.getValue();
      Price batch = null;
      if (p.has("batch")) {
        batch = price(p.get("batch"), source, field + ".batch", null);
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), price(p, source, field, batch));
    });
    return out;
  }

  private static Price price(JsonNode p, String source, String field, Price batch) {
    if (!p.isObject()) {
      throw new InputException(Problem.at(source, 0, field, RATES));
    }
    double input = rate(p, "input", null, source, field);
    double output = rate(p, "output", null, source, field);
    return new Price(input, output, rate(p, "cached_input", input, source, field),
        rate(p, "cache_write", input, source, field), batch);
  }

  private static final String RATES =
      "expected {\"input\": dollars per 1M tokens, \"output\": dollars per 1M tokens}";

  /** A rate in dollars per million tokens; {@code fallback} when absent (required when it is null). */
  private static double rate(JsonNode p, String name, Double fallback, String source, String field) {
    JsonNode v = p.get(name);
    if (v == null && fallback != null) {
      return fallback;
    }
    if (v == null) {
      throw new InputException(Problem.at(source, 0, field, RATES));
    }
    if (!v.isNumber() || v.asDouble() < 0) {
      throw new InputException(
          Problem.at(source, 0, field + "." + name, "expected dollars per 1M tokens (a number >= 0), found " + v));
    }
    return v.asDouble();
  }

  /** The price of {@code model}, if the table knows it. */
  public Optional<Price> price(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    Price exact = prices.get(m);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (String name : prices.keySet()) {
      if (m.startsWith(name + "-") && (best == null || name.length() > best.length())) {
        best = name;
      }
    }
    return Optional.ofNullable(best == null ? null : prices.get(best));
  }

  /** When the built-in prices were taken (and which file overrode them). */
  public String asOf() {
    return asOf;
  }
}
