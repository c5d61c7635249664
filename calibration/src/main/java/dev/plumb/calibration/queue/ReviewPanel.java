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
   * @param seVariance Var(Sê), 0 when the rates are taken as known, NaN when the plan sets it from the review it
   *     plans ({@link #stated})
   * @param spVariance Var(Sp̂), likewise
   */
  public record Rater(String id, double sensitivity, double specificity, double seVariance, double spVariance) {
    public Rater {
      if (!(sensitivity >= 0 && sensitivity <= 1 && specificity >= 0 && specificity <= 1)
          || !(seVariance >= 0 || Double.isNaN(seVariance)) || !(spVariance >= 0 || Double.isNaN(spVariance))) {
        throw new IllegalArgumentException("rater " + id + ": rates outside [0, 1] or negative variances: Se "
            + sensitivity + ", Sp " + specificity + ", Var " + seVariance + ", " + spVariance);
      }
    }
  }

  /** The key of a stated panel's raters: they answer for every policy. */
  private static final String EVERY = "*";

  public ReviewPanel {
    raters = Map.copyOf(raters);
    excluded = List.copyOf(excluded);
    if (perItem < 1) {
      throw new IllegalArgumentException("raters per item must be at least 1, found " + perItem);
    }
  }

  /** The policy's counted raters (by policy id), or empty when the panel has no rates for it. */
  public List<Rater> of(String policy) {
    return raters.getOrDefault(PolicyKey.idOf(policy), raters.getOrDefault(EVERY, List.of()));
  }

  /**
   * {@code perItem} raters with the same stated rates, every one answering every item, for every policy; the rates'
   * variances are left to the plan (NaN), which knows the review: each rater's Se is a proportion over the answers
   * on the expected Σ π2 q violating reviewed units, Var = Se(1 − Se)/Σ π2 q, and Sp over the clean ones (the
   * overlapped units' classes taken as known, as {@code plumb plan gold} does; honeypots, whose classes the plan does
   * not know, left out).
   */
  public static ReviewPanel stated(double sensitivity, double specificity, int perItem) {
    List<Rater> list = new ArrayList<>();
    for (int j = 0; j < perItem; j++) {
      list.add(new Rater("r" + (j + 1), sensitivity, specificity, Double.NaN, Double.NaN));
    }
    return new ReviewPanel(Map.of(EVERY, list), List.of(), perItem, String.format(java.util.Locale.ROOT,
        "stated: %d raters per item, sensitivity %s, specificity %s", perItem, sensitivity, specificity));
  }

  /**
   * The pilot's rater model, if its gold has one: {@link #read} of the gold's sibling {@code STEM.raters.json}, the
   * rates' variances scaled by (the pilot's reviewed units)/{@code budget}.
   */
  public static Optional<ReviewPanel> ofPilot(Path pilotGold, int perItem, int budget) {
    Path file = sibling(pilotGold);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    java.util.Set<String> units = new java.util.HashSet<>();
    dev.plumb.calibration.files.GoldFile.forEach(pilotGold, g -> units.add(g.unit()));
    return read(file, perItem, units.size() / (double) Math.max(1, budget));
  }

  /** The file {@code queue import} writes beside a gold file: {@code STEM.raters.json} (QueueImport's names). */
  public static Path sibling(Path gold) {
    return QueueImport.beside(gold, ".raters.json");
  }

  /**
   * The rater model of a {@code plumb.raters/1} file's {@code error_model}: per policy id, each counted rater's
   * sensitivity and specificity, and Var = ((upper − lower)/(2z))² from their bootstrap intervals (z at the file's
   * {@code level}, 0.95 when absent), scaled by
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
    // the bootstrap intervals are at the file's level (95% unless it says otherwise)
    double z = dev.plumb.calibration.stats.BinomialInterval.z(root.path("level").isNumber()
        && root.path("level").asDouble() > 0 && root.path("level").asDouble() < 1 ? root.path("level").asDouble() : 0.95);
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
            scale * intervalVariance(file, at + "sensitivity_interval", r.path("sensitivity_interval"), z),
            scale * intervalVariance(file, at + "specificity_interval", r.path("specificity_interval"), z)));
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

  /** ((upper − lower)/(2z))² of an interval given as [lower, upper] or {lower, upper}, z its level's normal quantile. */
  private static double intervalVariance(String file, String field, JsonNode n, double z) {
    JsonNode lo = n.isArray() ? n.path(0) : n.path("lower");
    JsonNode hi = n.isArray() ? n.path(1) : n.path("upper");
    double lower = number(file, field + (n.isArray() ? "[0]" : ".lower"), lo);
    double upper = number(file, field + (n.isArray() ? "[1]" : ".upper"), hi);
    double se = Math.max(0, upper - lower) / (2 * z);
    return se * se;
  }
}
