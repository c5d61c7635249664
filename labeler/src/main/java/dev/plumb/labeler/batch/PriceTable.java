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
 * ({@code prices.json} beside this class) is a snapshot of public list prices; a file in the same
 * format ({@code {"models":{"gpt-4.1-mini":{"input":0.4,"output":1.6}}}}) overrides or adds
 * models. A model matches its exact name, else the longest table name it starts with followed by
 * {@code -} (dated snapshots such as {@code gpt-4o-mini-2024-07-18}), after dropping a
 * {@code provider/} prefix (LiteLLM style).
 */
public final class PriceTable {

  /** Dollars per million input and output tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {
    public Price {
      if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
        throw new IllegalArgumentException("prices must be >= 0");
      }
    }

    /** The cost of a call, in dollars. */
    public double cost(long inputTokens, long outputTokens) {
      return (Math.max(0, inputTokens) * inputPerMillion + Math.max(0, outputTokens) * outputPerMillion) / 1e6;
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
      JsonNode p = e.getValue();
      String field = "models." + e.getKey();
      if (!p.path("input").isNumber() || !p.path("output").isNumber()
          || p.get("input").asDouble() < 0 || p.get("output").asDouble() < 0) {
        throw new InputException(
            Problem.at(source, 0, field, "expected {\"input\": dollars per 1M tokens, \"output\": dollars per 1M tokens}"));
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), new Price(p.get("input").asDouble(), p.get("output").asDouble()));
    });
    return out;
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
