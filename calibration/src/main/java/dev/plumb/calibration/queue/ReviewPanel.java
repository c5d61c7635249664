package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raters a planned review expects, for the raters' part of {@code plumb plan --review-budget}'s half-widths
 * (docs/review.md, "The raters' part of a planned half-width"): per policy id, each rater's sensitivity and
 * specificity with the variance of their estimates, and how many of them answer each item.
 *
 * <p>Either read from a pilot's rater model ({@link #read}: the {@code error_model} of a {@code plumb.raters/1}
 * file, as {@code queue import --consensus error-model} writes it beside its gold), or stated ({@link #stated}: every
 * rater with the same rates). Immutable.
 *
 * @param raters policy id → the counted raters' rates
 * @param excluded raters on the panel whose answers do not count (flagged by the honeypots): items drawn for them
 *     keep one answer fewer
 * @param perItem raters asked per item (the design's {@code overlap})
 * @param source where the rates came from, for the plan's text
 */
public record ReviewPanel(Map<String, List<Rater>> raters, List<String> excluded, int perItem, String source) {
  /**
   * One rater's rates for a policy and the variances of their estimates at the planned review's size.
   *
   * @param seVariance Var(Sê), 0 when the rates are taken as known
   * @param spVariance Var(Sp̂)
   */
  public record Rater(String id, double sensitivity, double specificity, double seVariance, double spVariance) {
    public Rater {
      if (!(sensitivity >= 0 && sensitivity <= 1 && specificity >= 0 && specificity <= 1)
          || !(seVariance >= 0) || !(spVariance >= 0)) {
        throw new IllegalArgumentException("rater " + id + ": rates outside [0, 1] or negative variances: Se "
            + sensitivity + ", Sp " + specificity + ", Var " + seVariance + ", " + spVariance);
      }
    }
  }

  public ReviewPanel {
    raters = Map.copyOf(raters);
    excluded = List.copyOf(excluded);
    if (perItem < 1) {
      throw new IllegalArgumentException("raters per item must be at least 1, found " + perItem);
    }
  }

  /** The policy's counted raters (by policy id), or empty when the panel has no rates for it. */
  public List<Rater> of(String policy) {
    return raters.getOrDefault(PolicyKey.idOf(policy), List.of());
  }

  /**
   * Every rater with the same stated rates, {@code perItem} of them per item, for every policy; the rates'
   * variances those of binomial proportions over the answers the planned review gives on units of each class
   * (set later by the plan, which knows the expected classes: {@link #withRateVariances}).
   */
  public static ReviewPanel stated(double sensitivity, double specificity, int perItem, List<String> policies) {
    Map<String, List<Rater>> byPolicy = new LinkedHashMap<>();
    for (String p : policies) {
      List<Rater> list = new ArrayList<>();
      for (int j = 0; j < perItem; j++) {
        list.add(new Rater("r" + (j + 1), sensitivity, specificity, 0, 0));
      }
      byPolicy.put(PolicyKey.idOf(p), list);
    }
    return new ReviewPanel(byPolicy, List.of(), perItem, String.format(java.util.Locale.ROOT,
        "stated: %d raters per item, sensitivity %s, specificity %s", perItem, sensitivity, specificity));
  }

  /** The same panel with the given rates' variances for one policy id's raters (in order). */
  ReviewPanel withRateVariances(String policyId, double[] seVariance, double[] spVariance) {
    Map<String, List<Rater>> copy = new LinkedHashMap<>(raters);
    List<Rater> old = copy.get(policyId);
    List<Rater> list = new ArrayList<>();
    for (int j = 0; j < old.size(); j++) {
      Rater r = old.get(j);
      list.add(new Rater(r.id(), r.sensitivity(), r.specificity(), seVariance[j], spVariance[j]));
    }
    copy.put(policyId, list);
    return new ReviewPanel(copy, excluded, perItem, source);
  }

  /** The file {@code queue import} writes beside a gold file: {@code STEM.raters.json} (QueueImport's names). */
  public static Path sibling(Path gold) {
    String stem = gold.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    return gold.resolveSibling(stem + ".raters.json");
  }

  /**
   * The rater model of a {@code plumb.raters/1} file's {@code error_model}: per policy id, each counted rater's
   * sensitivity and specificity, and Var = ((upper − lower)/(2·1.96))² from their 95% bootstrap intervals, scaled by
   * {@code scale} (the pilot's reviewed units over the planned ones: the rates rest on answers in proportion to the
   * review's size). Empty when the file is absent or has no error model (a majority or Dawid–Skene gold).
   *
   * @throws InputException naming the file and field when the file is there but its error model cannot be read
   */
  public static Optional<ReviewPanel> read(Path ratersFile, int perItem, double scale) {
    if (!Files.isRegularFile(ratersFile)) {
      return Optional.empty();
    }
    JsonNode root = Json.read(ratersFile);
    JsonNode model = root.path("error_model");
    if (!model.isObject() || model.isEmpty()) {
      return Optional.empty();
    }
    String file = ratersFile.toString();
    Map<String, List<Rater>> byPolicy = new LinkedHashMap<>();
    var fields = model.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      List<Rater> list = new ArrayList<>();
      JsonNode raters = e.getValue().path("raters");
      if (!raters.isArray() || raters.isEmpty()) {
        throw new InputException(Problem.of(file + ": error_model." + e.getKey() + ".raters: missing; a pilot's rater "
            + "model needs each rater's sensitivity and specificity"));
      }
      for (int j = 0; j < raters.size(); j++) {
        JsonNode r = raters.get(j);
        String at = "error_model." + e.getKey() + ".raters[" + j + "].";
        double se = number(file, at + "sensitivity", r.path("sensitivity"));
        double sp = number(file, at + "specificity", r.path("specificity"));
        list.add(new Rater(r.path("rater").asText("r" + (j + 1)), se, sp,
            scale * intervalVariance(file, at + "sensitivity_interval", r.path("sensitivity_interval")),
            scale * intervalVariance(file, at + "specificity_interval", r.path("specificity_interval"))));
      }
      byPolicy.put(PolicyKey.idOf(e.getKey()), list);
    }
    List<String> excluded = new ArrayList<>();
    root.path("excluded").forEach(x -> excluded.add(x.asText()));
    return Optional.of(new ReviewPanel(byPolicy, excluded, perItem, "pilot rater model " + ratersFile));
  }

  private static double number(String file, String field, JsonNode n) {
    if (!n.isNumber() || !(n.asDouble() >= 0 && n.asDouble() <= 1)) {
      throw new InputException(Problem.of(file + ": " + field + ": " + (n.isMissingNode() ? "missing" : "not a rate in"
          + " [0, 1]: " + n) + "; the plan reads the pilot's rater model from it"));
    }
    return n.asDouble();
  }

  /** ((upper − lower)/(2·1.96))² of a 95% interval given as [lower, upper] or {lower, upper}. */
  private static double intervalVariance(String file, String field, JsonNode n) {
    JsonNode lo = n.isArray() ? n.path(0) : n.path("lower");
    JsonNode hi = n.isArray() ? n.path(1) : n.path("upper");
    double lower = number(file, field + (n.isArray() ? "[0]" : ".lower"), lo);
    double upper = number(file, field + (n.isArray() ? "[1]" : ".upper"), hi);
    double se = Math.max(0, upper - lower) / (2 * 1.959963984540054);
    return se * se;
  }
}
