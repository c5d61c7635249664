package dev.plumb.calibration.report;

import com.fasterxml.jackson.core.JsonToken;
import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.Numbers;
import dev.plumb.core.YamlFields;
import dev.plumb.core.YamlFile;
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
 * @param maxEce the LLM's expected calibration error of its stated confidence (weighted)
 * @param minDecisionAgreement the share of reviewed units (weighted) whose LLM decision equals the
 *     gold decision, over every decision the policy defines (borderline included)
 * @param maxGoldErrorShift how far the rater-error model moved the human-only estimate, relative to
 *     the estimate on the gold calls alone ({@link GoldQualityRule})
 */
public record SignOffRules(
    Threshold minGold, Threshold minGoldPositives, Threshold minRaterKappa, Threshold minSensitivity,
    Threshold maxRelativeHalfWidth, Threshold maxLlmGap, Threshold maxEce, Threshold minDecisionAgreement,
    Threshold maxGoldErrorShift) {


  private static final YamlFile<SignOffRules> FILE =
      YamlFile.optional("sign-off file", SignOffRules::defaults, SignOffRules::of);

  /** The YAML keys, in order. */
  public static final List<String> KEYS = List.of("min_gold", "min_gold_positives", "min_rater_kappa",
      "min_sensitivity", "max_relative_half_width", "max_llm_gap", "max_ece", "min_decision_agreement",
      "max_gold_error_shift");

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
   * above 0.2); ECE: warn above 0.1, no fail; decision agreement: warn below 0.8, no fail; the rater-error
   * model's shift of the estimate ≤ 0.5 (warn above 0.1) — the
   * reasons are in {@link QualityChecks}.
   */
  public static SignOffRules defaults() {
    return new SignOffRules(new Threshold(400, 200), new Threshold(30, 10), new Threshold(0.6, 0.4),
        new Threshold(0.7, 0.5), new Threshold(0.25, 0.5), new Threshold(0.2, 0.5), QualityChecks.ECE_DEFAULT,
        QualityChecks.AGREEMENT_DEFAULT, GoldQualityRule.DEFAULT);
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
    m.put("max_ece", maxEce);
    m.put("min_decision_agreement", minDecisionAgreement);
    m.put("max_gold_error_shift", maxGoldErrorShift);
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
    return FILE.read(path);
  }

  /** Parses sign-off YAML; {@code source} names it in messages. */
  public static SignOffRules parse(String yaml, String source) {
    return FILE.parse(yaml, source);
  }

  private static SignOffRules of(LocatedYaml doc) {
    if (!(doc.root() instanceof MapNode)) {
      throw doc.error("", "expected a mapping of thresholds (" + String.join(", ", KEYS) + ")");
    }
    YamlFields f = YamlFields.root(doc, "a mapping", YamlFields.failFast());
    Map<String, Threshold> rules = defaults().asMap();
    for (String key : f.keys()) {
      if (!KEYS.contains(key)) {
        throw f.errorAtKey(key, "unknown threshold (known: " + String.join(", ", KEYS) + ")");
      }
      rules.put(key, threshold(f, key));
    }
    return new SignOffRules(rules.get("min_gold"), rules.get("min_gold_positives"), rules.get("min_rater_kappa"),
        rules.get("min_sensitivity"), rules.get("max_relative_half_width"), rules.get("max_llm_gap"), rules.get("max_ece"),
        rules.get("min_decision_agreement"), rules.get("max_gold_error_shift"));
  }

  /** One rule's levels: a number, {@code {warn: x, fail: y}}, or off (null). */
  private static Threshold threshold(YamlFields f, String key) {
    Node v = f.node(key);
    if (v instanceof Scalar s && (s.isNull() || s.token() == JsonToken.VALUE_FALSE
        || s.isString() && s.text().equals("off"))) {
      return null;
    }
    if (v instanceof Scalar s && s.value().isNumber()) {
      double x = value(f, key);
      return new Threshold(x, x);
    }
    if (!(v instanceof MapNode)) {
      throw f.error(key, "expected a number, {warn: x, fail: y} or off, found " + found(v));
    }
    YamlFields levels = f.object(key);
    Double warn = null;
    Double fail = null;
    for (String level : levels.keys()) {
      switch (level) {
        case "warn" -> warn = value(levels, "warn");
        case "fail" -> fail = value(levels, "fail");
        default -> throw levels.errorAtKey(level, "unknown level; use warn and fail");
      }
    }
    if (warn == null && fail == null) {
      throw f.error(key, "give warn, fail or both, or off");
    }
    boolean minimum = key.startsWith("min_");
    Threshold def = defaults().asMap().get(key);
    double w;
    double fl;
    if (warn != null && fail != null) {
      w = warn;
      fl = fail;
    } else if (fail != null) {
      fl = fail;
      w = minimum ? Math.max(def.warn(), fl) : Math.min(def.warn(), fl);
    } else {
      w = warn;
      fl = minimum ? Math.min(def.fail(), w) : Math.max(def.fail(), w);
    }
    if (minimum ? w < fl : w > fl) {
      throw f.error(key, String.format(Locale.ROOT, "warn %s must be %s fail %s", Numbers.plain(w),
          minimum ? "at least" : "at most", Numbers.plain(fl)));
    }
    return new Threshold(w, fl);
  }

  private static double value(YamlFields f, String key) {
    Node n = f.node(key);
    if (!(n instanceof Scalar s) || !s.value().isNumber()) {
      throw f.error(key, "expected a number, found " + found(n));
    }
    double x = s.value().asDouble();
    if (!(x >= 0) || Double.isInfinite(x)) {
      throw f.error(key, "must be a number ≥ 0, found " + s.text());
    }
    return x;
  }

  private static String found(Node n) {
    return n instanceof Scalar s ? s.text() : n.describe();
  }
}
