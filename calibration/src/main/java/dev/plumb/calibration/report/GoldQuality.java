package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.gold.RaterError;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's gold-quality section of one policy: the rater-error model's panel and per-rater
 * sensitivity and specificity (from {@code <gold>.raters.json}'s {@code error_model}, written by
 * {@code plumb queue import --consensus error-model}), and what the model did to the estimate.
 *
 * @param panel all answers pooled
 * @param raters each counted rater
 * @param honeypots known-answer items the model used
 * @param overlapped reviewed items with two or more counted answers
 * @param estimate human-only on the model's probabilities (what the report headlines)
 * @param callsEstimate human-only on the gold calls alone (0/1, as majority-style gold gives)
 * @param varianceShare the error model's share of human-only's variance, V_gold/(V1 + V2 + V_gold)
 * @param warnings why the error rates are too uncertain to trust, and how many more items would help
 */
public record GoldQuality(
    RaterError panel, List<RaterError> raters, int honeypots, int overlapped, double estimate, double callsEstimate,
    double varianceShare, List<String> warnings) {
  public GoldQuality {
    raters = List.copyOf(raters);
    warnings = List.copyOf(warnings);
  }

  /** (estimate − callsEstimate)/callsEstimate: how far the model moved the estimate; NaN at 0. */
  public double moved() {
    return callsEstimate > 0 ? (estimate - callsEstimate) / callsEstimate : Double.NaN;
  }

  /**
   * The {@code error_model} entries of a plumb.raters/1 file, policy → entry; empty when the file does
   * not exist or has none.
   */
  public static Map<String, JsonNode> errorModels(Path ratersFile) {
    Map<String, JsonNode> out = new TreeMap<>();
    if (!Files.isRegularFile(ratersFile)) {
      return out;
    }
    Json.read(ratersFile).path("error_model").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The section for one policy, or {@code null} when its gold has no error model.
   *
   * @param entry the policy's {@code error_model} entry of gold.raters.json, or null
   * @param humanOnly the human-only estimate on the gold as given
   */
  public static GoldQuality of(JsonNode entry, TwoPhaseSample sample, Corrected humanOnly, CalibrationOptions options) {
    if (entry == null && !sample.hasErrorModel()) {
      return null;
    }
    List<RaterError> raters = new ArrayList<>();
    if (entry != null) {
      entry.path("raters").forEach(r -> raters.add(rates(r)));
    }
    List<String> warnings = new ArrayList<>();
    if (entry != null) {
      entry.path("warnings").forEach(w -> warnings.add(w.asText()));
    } else {
      warnings.add("the gold carries p_positive but no error_model was found in the raters file beside it: the "
          + "raters' sensitivity and specificity are not shown");
    }
    double estimate = Double.NaN;
    double share = Double.NaN;
    if (humanOnly instanceof Corrected.Estimated e) {
      estimate = e.estimate();
      double vg = e.details().getOrDefault("variance_gold_model", 0.0);
      share = e.se() > 0 ? vg / (e.se() * e.se()) : 0;
    } else if (humanOnly instanceof Corrected.UpperBound u) {
      estimate = u.estimate();
    }
    Corrected calls = Calibration.estimateOnly(sample.withCalls(), CorrectedEstimator.HUMAN_ONLY, options);
    double callsEstimate = calls instanceof Corrected.Estimated c ? c.estimate()
        : calls instanceof Corrected.UpperBound u ? u.estimate() : Double.NaN;
    return new GoldQuality(entry == null ? null : rates(entry.path("panel")), raters,
        entry == null ? 0 : entry.path("honeypots").asInt(), entry == null ? 0 : entry.path("overlapped").asInt(),
        estimate, callsEstimate, share, warnings);
  }

  private static RaterError rates(JsonNode r) {
    return new RaterError(r.path("rater").asText(), r.path("answers").asInt(), num(r.path("positives")),
        num(r.path("sensitivity")), interval(r.path("sensitivity_interval")), num(r.path("specificity")),
        interval(r.path("specificity_interval")));
  }

  private static Interval interval(JsonNode i) {
    double lo = num(i.path("lower"));
    double hi = num(i.path("upper"));
    return Double.isNaN(lo) || Double.isNaN(hi) ? null : new Interval(lo, hi, 0.95, "bootstrap-percentile", false);
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /** report.json's {@code gold_quality} of the policy. */
  public ObjectNode json() {
    ObjectNode o = Json.object();
    o.put("model", "dawid-skene-anchored");
    o.put("honeypots", honeypots);
    o.put("overlapped", overlapped);
    if (panel != null) {
      o.set("panel", json(panel));
    }
    ArrayNode list = o.putArray("raters");
    raters.forEach(r -> list.add(json(r)));
    Json.putFinite(o, "estimate", estimate);
    Json.putFinite(o, "calls_estimate", callsEstimate);
    Json.putFinite(o, "moved", moved());
    Json.putFinite(o, "variance_share", varianceShare);
    ArrayNode w = o.putArray("warnings");
    warnings.forEach(w::add);
    return o;
  }

  private static ObjectNode json(RaterError r) {
    ObjectNode o = Json.object();
    o.put("rater", r.rater());
    o.put("answers", r.answers());
    Json.putFinite(o, "sensitivity", r.sensitivity());
    if (r.sensitivityInterval() != null) {
      o.putObject("sensitivity_interval").put("lower", r.sensitivityInterval().lower())
          .put("upper", r.sensitivityInterval().upper());
    }
    Json.putFinite(o, "specificity", r.specificity());
    if (r.specificityInterval() != null) {
      o.putObject("specificity_interval").put("lower", r.specificityInterval().lower())
          .put("upper", r.specificityInterval().upper());
    }
    return o;
  }

  /** The HTML of the section: the rates table, what the model moved, and the warnings. */
  public String html() {
    StringBuilder b = new StringBuilder("<h3>Gold quality (rater-error model)</h3>\n<p class=\"muted\">");
    b.append(Html.escape(String.format(Locale.ROOT, "Dawid–Skene on the raters' positive/negative calls, honeypots "
        + "clamped to their known answers, a prior per review stratum that varies with the unit's phase-1 weight; "
        + "%d honeypots, %d reviewed items with two or more answers; 95%% bootstrap intervals.", honeypots, overlapped)));
    b.append("</p>\n");
    List<Html.Row> rows = new ArrayList<>();
    if (panel != null) {
      rows.add(new Html.Row(row(panel).cells(), true));
    }
    raters.forEach(r -> rows.add(row(r)));
    if (!rows.isEmpty()) {
      b.append(Html.table(List.of("Rater", "Answers", "Sensitivity", "95% interval", "Specificity", "95% interval"),
          rows, ""));
    }
    if (Double.isFinite(estimate) && Double.isFinite(callsEstimate)) {
      b.append("<p>").append(Html.escape(String.format(Locale.ROOT, "Human-only on the gold calls alone: %s; on "
          + "each unit's error-corrected gold: %s%s. The error rates' uncertainty is %s of its variance.",
          Numbers.percent(callsEstimate, 3), Numbers.percent(estimate, 3), Double.isFinite(moved())
              ? String.format(Locale.ROOT, " (the correction moved it by %+.1f%%)", 100 * moved()) : "",
          Double.isFinite(varianceShare) ? String.format(Locale.ROOT, "%.0f%%", 100 * varianceShare) : "n/a")))
          .append("</p>\n");
    }
    for (String w : warnings) {
      b.append("<p>").append(Html.badge("WARN", Html.Tone.WARN)).append(' ').append(Html.escape(w)).append("</p>\n");
    }
    return b.toString();
  }

  private static Html.Row row(RaterError r) {
    return Html.Row.of(Html.Cell.text(r.rater()), Html.Cell.num(Numbers.count(r.answers())),
        Html.Cell.num(Numbers.fixed(r.sensitivity(), 3)), Html.Cell.num(ci(r.sensitivityInterval())),
        Html.Cell.num(Numbers.fixed(r.specificity(), 3)), Html.Cell.num(ci(r.specificityInterval())));
  }

  private static String ci(Interval i) {
    return i == null ? "n/a" : String.format(Locale.ROOT, "[%.3f, %.3f]", i.lower(), i.upper());
  }
}
