package dev.plumb.calibration.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The thresholds a policy's calibration must meet to be signed off (docs/report.md, "Sign-off").
 * Each rule has a WARN and a FAIL level; a disabled rule is {@code null}.
 *
 * @param minGold reviewed (gold) units per policy
 * @param minGoldPositives gold units judged positive
 * @param minRaterKappa Fleiss' κ among raters (measured only when rater answers are given)
 * @param minSensitivity the LLM's design-weighted sensitivity against gold
 * @param maxRelativeHalfWidth the headline interval's half-width divided by its estimate
 * @param maxLlmGap |LLM-only − headline| divided by the headline estimate
 */
public record SignOffRules(
    Threshold minGold, Threshold minGoldPositives, Threshold minRaterKappa, Threshold minSensitivity,
    Threshold maxRelativeHalfWidth, Threshold maxLlmGap) {

  /** The YAML keys, in order. */
  public static final List<String> KEYS = List.of("min_gold", "min_gold_positives", "min_rater_kappa",
      "min_sensitivity", "max_relative_half_width", "max_llm_gap");

  /**
   * A rule's two levels. For a minimum, a value below {@code fail} fails and below {@code warn}
   * warns ({@code warn ≥ fail}); for a maximum, above {@code fail} fails and above {@code warn}
   * warns ({@code warn ≤ fail}).
   */
  public record Threshold(double warn, double fail) {}

  /**
   * The defaults: gold ≥ 200 (warn below 400); gold positives ≥ 10 (warn below 30); raters' κ ≥ 0.4
   * (warn below 0.6, Landis &amp; Koch's "moderate"/"substantial"); LLM sensitivity ≥ 0.5 (warn below
   * 0.7); relative half-width ≤ 0.5 (warn above 0.25); LLM-only vs corrected gap ≤ 0.5 (warn
   * above 0.2).
   */
  public static SignOffRules defaults() {
    return new SignOffRules(new Threshold(400, 200), new Threshold(30, 10), new Threshold(0.6, 0.4),
        new Threshold(0.7, 0.5), new Threshold(0.25, 0.5), new Threshold(0.2, 0.5));
  }

  /** This rule set as YAML key → threshold (null when disabled), in {@link #KEYS} order. */
  public Map<String, Threshold> asMap() {
    Map<String, Threshold> m = new LinkedHashMap<>();
    m.put("min_gold", minGold);
    m.put("min_gold_positives", minGoldPositives);
    m.put("min_rater_kappa", minRaterKappa);
    m.put("min_sensitivity", minSensitivity);
    m.put("max_relative_half_width", maxRelativeHalfWidth);
    m.put("max_llm_gap", maxLlmGap);
    return m;
  }

  /**
   * Reads a sign-off file: a mapping of any of {@link #KEYS} to {@code {warn: x, fail: y}}, a
   * single number (both levels), or {@code off}. Missing keys keep their defaults.
   *
   * @throws InputException naming file, line, column and key for an unknown key, a non-number, a
   *     negative value or levels in the wrong order
   */
  public static SignOffRules read(Path path) {
    String source = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    return parse(text, source);
  }

  /** Parses sign-off YAML; {@code source} names it in messages. */
  public static SignOffRules parse(String yaml, String source) {
    Map<String, Threshold> rules = defaults().asMap();
    try (JsonParser p = YAMLFactory.builder().build().createParser(yaml)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return defaults();
      }
      if (t != JsonToken.START_OBJECT) {
        throw problem(source, p.currentTokenLocation(), "", "expected a mapping of thresholds (" + String.join(", ", KEYS) + ")");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        if (!KEYS.contains(key)) {
          throw problem(source, at, key, "unknown threshold (known: " + String.join(", ", KEYS) + ")");
        }
        if (!seen.add(key)) {
          throw problem(source, at, key, "written twice");
        }
        boolean minimum = key.startsWith("min_");
        JsonToken v = p.nextToken();
        JsonLocation vat = p.currentTokenLocation();
        Threshold threshold;
        if (v == JsonToken.VALUE_NULL || (v == JsonToken.VALUE_STRING && p.getText().equals("off"))
            || v == JsonToken.VALUE_FALSE) {
          threshold = null;
        } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
          double x = value(p, source, key);
          threshold = new Threshold(x, x);
        } else if (v == JsonToken.START_OBJECT) {
          Double warn = null;
          Double fail = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String level = p.currentName();
            JsonLocation lat = p.currentTokenLocation();
            p.nextToken();
            if (level.equals("warn")) {
              warn = value(p, source, key + ".warn");
            } else if (level.equals("fail")) {
              fail = value(p, source, key + ".fail");
            } else {
              throw problem(source, lat, key + "." + level, "unknown level; use warn and fail");
            }
          }
          if (warn == null && fail == null) {
            throw problem(source, vat, key, "give warn, fail or both, or off");
          }
          Threshold def = defaults().asMap().get(key);
          double w;
          double f;
          if (warn != null && fail != null) {
            w = warn;
            f = fail;
          } else if (fail != null) {
            f = fail;
            w = minimum ? Math.max(def.warn(), f) : Math.min(def.warn(), f);
          } else {
            w = warn;
            f = minimum ? Math.min(def.fail(), w) : Math.max(def.fail(), w);
          }
          if (minimum ? w < f : w > f) {
            throw problem(source, vat, key, String.format(Locale.ROOT, "warn %s must be %s fail %s",
                fmt(w), minimum ? "at least" : "at most", fmt(f)));
          }
          threshold = new Threshold(w, f);
        } else {
          throw problem(source, vat, key, "expected a number, {warn: x, fail: y} or off, found " + p.getText());
        }
        rules.put(key, threshold);
      }
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m
          && m.getProblemMark() != null) {
        throw new InputException(Problem.at(source, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1,
            "", "invalid YAML: " + m.getProblem().replaceAll("\\s+", " ").strip()));
      }
      JsonLocation l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : Math.max(0, l.getColumnNr()),
          "", "invalid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    return new SignOffRules(rules.get("min_gold"), rules.get("min_gold_positives"), rules.get("min_rater_kappa"),
        rules.get("min_sensitivity"), rules.get("max_relative_half_width"), rules.get("max_llm_gap"));
  }

  private static double value(JsonParser p, String source, String key) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw problem(source, p.currentTokenLocation(), key, "expected a number, found " + (t == JsonToken.START_OBJECT
          || t == JsonToken.START_ARRAY ? "a " + (t == JsonToken.START_OBJECT ? "mapping" : "list") : p.getText()));
    }
    double x = p.getDoubleValue();
    if (!(x >= 0) || Double.isInfinite(x)) {
      throw problem(source, p.currentTokenLocation(), key, "must be a number ≥ 0, found " + p.getText());
    }
    return x;
  }

  static String fmt(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  private static InputException problem(String source, JsonLocation at, String field, String message) {
    return new InputException(Problem.at(source, at.getLineNr(), Math.max(0, at.getColumnNr()), field, message));
  }
}
