package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The phase-2 (gold) design of a review queue ({@code review.yaml}, docs/review.md):
 *
 * <pre>
 * type: stratified            # srs | stratified (by the LLM's decision) | active (confidence-driven)
 * stratify_by: any_positive   # any_positive, or one policy id (stratified only)
 * n:                          # srs: one number; stratified: per stratum
 *   llm_positive: 100
 *   llm_negative: 100
 * weight_classes: 4           # optional: split each stratum by phase-1 weight m·d1 (default 1)
 * classes_by: weight_and_score  # optional: ... by m·d1·max(0.1, √(s(1−s))), s the unit's risk score
 * overlap: 3                  # raters per item
 * honeypot_rate: 0.1          # honeypot items per sampled item
 * rater_bar: 0.8              # minimum honeypot accuracy; raters below are flagged
 * seed: 7                     # optional; --seed overrides it
 * </pre>
 *
 * <p>{@code type: active} takes {@code n:} as the expected number of reviews and an optional
 * {@code floor:} on every unit's inclusion probability ({@link ActiveInclusion}); it has no strata
 * or weight classes.
 *
 * @param type {@code srs} or {@code stratified}
 * @param stratifyBy {@code any_positive} or a policy id (only for stratified)
 * @param n stratum → units to review; {@code all} → n for SRS
 * @param weightClasses classes by phase-1 contribution weight within each stratum reviewed in part
 *     ({@link WeightClasses}); 1 for plain (stratified) SRS
 * @param classesBy {@code weight} (classes by m·d1) or {@code weight_and_score} (by m·d1 times the
 *     standard deviation √(s(1−s)) the unit's risk score s predicts, floored at 0.1)
 * @param overlap raters per item, at least 1
 * @param honeypotRate honeypot items per sampled item, in [0, 1]
 * @param raterBar minimum honeypot accuracy, in [0, 1]
 * @param seed the file's seed, if any
 * @param floor {@code active} only: the least inclusion probability, in (0, 1], or NaN for the default
 *     (half the uniform rate n/N)
 */
public record GoldDesign(
    String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy, int overlap,
    double honeypotRate, double raterBar, OptionalLong seed, double floor) {

  public static final String POSITIVE = "llm_positive";
  public static final String NEGATIVE = "llm_negative";
  public static final String ANY_POSITIVE = "any_positive";
  /** The confidence-driven review: Poisson sampling with π2 ∝ w√(q(1 − q)), floored. */
  public static final String ACTIVE = "active";
  private static final LocatedYaml.Kind REVIEW_FILE = LocatedYaml.Kind.of("review config file");
  private static final List<String> OPTIONS =
      List.of("type", "stratify_by", "n", "weight_classes", "classes_by", "overlap", "honeypot_rate", "rater_bar", "seed",
          "floor");
  /** Weight classes by the phase-1 contribution weight alone. */
  public static final String BY_WEIGHT = "weight";
  /** Weight classes by the contribution weight times the standard deviation the risk score predicts. */
  public static final String BY_WEIGHT_AND_SCORE = "weight_and_score";
  /** The most weight classes a stratum may be split into. */
  public static final int MAX_WEIGHT_CLASSES = 20;

  public GoldDesign {
    n = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(n));
    if (weightClasses < 1 || weightClasses > MAX_WEIGHT_CLASSES) {
      throw new IllegalArgumentException("weight_classes must be in [1, " + MAX_WEIGHT_CLASSES + "]: " + weightClasses);
    }
    if (!BY_WEIGHT.equals(classesBy) && !BY_WEIGHT_AND_SCORE.equals(classesBy)) {
      throw new IllegalArgumentException("classes_by must be weight or weight_and_score: " + classesBy);
    }
  }

  /** A srs or stratified design (no floor). */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy,
      int overlap, double honeypotRate, double raterBar, OptionalLong seed) {
    this(type, stratifyBy, n, weightClasses, classesBy, overlap, honeypotRate, raterBar, seed, Double.NaN);
  }

  /** A design whose classes (if any) go by the phase-1 weight alone. */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int weightClasses, int overlap,
      double honeypotRate, double raterBar, OptionalLong seed) {
    this(type, stratifyBy, n, weightClasses, BY_WEIGHT, overlap, honeypotRate, raterBar, seed);
  }

  /** A design without weight classes. */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int overlap, double honeypotRate,
      double raterBar, OptionalLong seed) {
    this(type, stratifyBy, n, 1, overlap, honeypotRate, raterBar, seed);
  }

  /** Reads and checks {@code review.yaml}; every problem names the line and option. */
  public static GoldDesign read(Path path) {
    YamlFields f = reviewFile(path, "expected a mapping of review options (type:, n:, ...)");
    for (String name : f.keys()) {
      if (!OPTIONS.contains(name)) {
        throw f.error(name, "unknown option (options: " + String.join(", ", OPTIONS) + ")");
      }
    }
    if (!f.has("type")) {
      throw new InputException(Problem.of(path + ": type: missing; srs, stratified or active"));
    }
    String type = f.node("type").json().asText();
    if (!type.equals("srs") && !type.equals("stratified") && !type.equals(ACTIVE)) {
      throw f.error("type", "unknown review design \"" + type + "\" (srs, stratified or active)");
    }
    boolean single = !type.equals("stratified"); // srs and active take one n
    double floor = Double.NaN;
    if (f.node("floor") != null) {
      if (!type.equals(ACTIVE)) {
        throw f.error("floor", "only an active review design has a floor on inclusion probabilities");
      }
      floor = f.number("floor", true, 0, 1);
      if (!(floor > 0)) {
        throw f.error("floor", "must be above 0: every unit needs a chance to be reviewed");
      }
    }
    if (type.equals(ACTIVE) && f.node("weight_classes") != null) {
      throw f.error("weight_classes", "an active review design has no strata to split; its inclusion "
          + "probabilities already follow the weights");
    }
    String by = ANY_POSITIVE;
    if (f.node("stratify_by") != null) {
      if (single) {
        throw f.error("stratify_by", "only a stratified review design has strata");
      }
      JsonNode b = f.node("stratify_by").json();
      if (!b.isTextual() || b.asText().isEmpty()) {
        throw f.error("stratify_by", "expected any_positive or a policy id, found " + b);
      }
      by = b.asText();
    }
    Map<String, Integer> n = new LinkedHashMap<>();
    if (!f.has("n")) {
      throw new InputException(Problem.of(path + ": n: missing; how many sampled units to review"
          + (type.equals("stratified") ? " per stratum (llm_positive:, llm_negative:)"
              : type.equals(ACTIVE) ? " (expected, over the draw)" : "")));
    }
    if (single) {
      n.put(type.equals(ACTIVE) ? ACTIVE : "all", count(f, "n"));
    } else {
      if (!(f.node("n") instanceof MapNode)) {
        throw f.error("n", "expected the units to review per stratum, e.g. {llm_positive: 100, llm_negative: 100}");
      }
      YamlFields strata = f.object("n");
      for (String s : List.of(POSITIVE, NEGATIVE)) {
        if (strata.node(s) == null) {
          throw f.error("n", "missing stratum " + s + " (a stratified review needs n for " + POSITIVE + " and "
              + NEGATIVE + ")");
        }
        n.put(s, count(strata, s));
      }
      for (String s : strata.keys()) {
        if (!n.containsKey(s)) {
          throw strata.error(s, "unknown stratum (strata: " + POSITIVE + ", " + NEGATIVE + ")");
        }
      }
    }
    int classes = 1;
    if (f.node("weight_classes") != null) {
      JsonNode k = f.node("weight_classes").json();
      if (!k.isIntegralNumber() || !k.canConvertToInt() || k.asInt() < 1 || k.asInt() > MAX_WEIGHT_CLASSES) {
        throw f.error("weight_classes", "expected a whole number from 1 (no weight classes) to "
            + MAX_WEIGHT_CLASSES + ", found " + k);
      }
      classes = k.asInt();
    }
    String classesBy = BY_WEIGHT;
    if (f.node("classes_by") != null) {
      JsonNode b = f.node("classes_by").json();
      if (!b.isTextual() || !(b.asText().equals(BY_WEIGHT) || b.asText().equals(BY_WEIGHT_AND_SCORE))) {
        throw f.error("classes_by", "expected " + BY_WEIGHT + " or " + BY_WEIGHT_AND_SCORE + ", found " + b);
      }
      if (classes < 2) {
        throw f.error("classes_by", "only weight classes have a basis; set weight_classes: 2 or more");
      }
      classesBy = b.asText();
    }
    int overlap = f.has("overlap") ? count(f, "overlap") : 1;
    if (overlap < 1) {
      throw f.error("overlap", "must be at least 1 rater per item");
    }
    double rate = f.has("honeypot_rate") ? f.number("honeypot_rate", true, 0, 1) : 0;
    double bar = f.has("rater_bar") ? f.number("rater_bar", true, 0, 1) : 0.8;
    Long seed = f.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
    return new GoldDesign(type, single ? null : by, n, classes, classesBy, overlap, rate, bar,
        seed == null ? OptionalLong.empty() : OptionalLong.of(seed), floor);
  }

  /** A review config file's root mapping ({@code review.yaml}, {@code panel.yaml}); every problem throws. */
  static YamlFields reviewFile(Path path, String notAMapping) {
    LocatedYaml doc = LocatedYaml.read(path, REVIEW_FILE);
    if (doc.isEmpty()) {
      throw new InputException(Problem.of(doc.source() + ": empty file"));
    }
    if (!(doc.root() instanceof MapNode)) {
      throw new InputException(Problem.of(path + ": " + notAMapping));
    }
    return YamlFields.root(doc, "a mapping", YamlFields.failFast());
  }

  /** The design as recorded in the queue manifest. */
  ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("type", type);
    if (stratifyBy != null) {
      o.put("stratify_by", stratifyBy);
    }
    if (type.equals("srs")) {
      o.put("n", n.get("all"));
    } else if (type.equals(ACTIVE)) {
      o.put("n", n.get(ACTIVE));
      if (!Double.isNaN(floor)) {
        o.put("floor", floor);
      }
    } else {
      ObjectNode ns = o.putObject("n");
      n.forEach(ns::put);
    }
    if (weightClasses > 1) {
      o.put("weight_classes", weightClasses);
      if (!BY_WEIGHT.equals(classesBy)) {
        o.put("classes_by", classesBy);
      }
    }
    o.put("overlap", overlap);
    o.put("honeypot_rate", honeypotRate);
    o.put("rater_bar", raterBar);
    return o;
  }

  /** A count of units or raters: a whole number >= 0. */
  private static int count(YamlFields f, String key) {
    return (int) (long) f.integer(key, true, 0, Integer.MAX_VALUE);
  }
}
