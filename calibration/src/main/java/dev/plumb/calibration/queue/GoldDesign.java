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
 * n:                          # srs: one number; stratified: per stratum (with allocation: the total)
 *   llm_positive: 100
 *   llm_negative: 100
 * allocation: optimal         # optional: fixed (default) | proportional | neyman | optimal ({@link ReviewAllocation})
 * rounds: 4                   # optional: review in rounds ({@link SequentialReview}; default 1)
 * target_half_width: 0.25     # optional with rounds: stop once every policy's half-width is within 25% of its estimate
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
 * @param allocation how the strata are sized: {@code fixed} by {@code n} per stratum, otherwise the
 *     total {@code n} ({@link #TOTAL}) shared among strata × weight classes ({@link ReviewPlan})
 * @param rounds the sequential review's rounds and target ({@link Rounds#ONE}: one round, no target)
 * @param floor {@code active} only: the least inclusion probability, in (0, 1], or NaN for the default
 *     (half the uniform rate n/N)
 */
public record GoldDesign(
    String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy, int overlap,
    double honeypotRate, double raterBar, OptionalLong seed, ReviewAllocation allocation, Rounds rounds, double floor) {

  /**
   * A sequential review: {@code count} rounds towards the design's n, and the relative half-width
   * (of every policy's headline interval, at the round's α-spending level) at which to stop; NaN: none.
   */
  public record Rounds(int count, double target) {
    /** One round, the review as drawn. */
    public static final Rounds ONE = new Rounds(1, Double.NaN);
  }

  public static final String POSITIVE = "llm_positive";
  public static final String NEGATIVE = "llm_negative";
  public static final String ANY_POSITIVE = "any_positive";
  /** The confidence-driven review: Poisson sampling with π2 ∝ w√(q(1 − q)), floored. */
  public static final String ACTIVE = "active";
  private static final LocatedYaml.Kind REVIEW_FILE = LocatedYaml.Kind.of("review config file");
  private static final List<String> OPTIONS =
      List.of("type", "stratify_by", "n", "allocation", "weight_classes", "classes_by", "overlap", "honeypot_rate",
          "rater_bar", "seed", "rounds", "target_half_width", "floor");
  /** Weight classes by the phase-1 contribution weight alone. */
  public static final String BY_WEIGHT = "weight";
  /** Weight classes by the contribution weight times the standard deviation the risk score predicts. */
  public static final String BY_WEIGHT_AND_SCORE = "weight_and_score";
  /** The most weight classes a stratum may be split into. */
  public static final int MAX_WEIGHT_CLASSES = 20;
  /** The most review rounds. */
  public static final int MAX_ROUNDS = 20;
  /** The key of {@code n} holding the total review budget when the allocation is not fixed. */
  public static final String TOTAL = "total";

  public GoldDesign {
    n = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(n));
    if (weightClasses < 1 || weightClasses > MAX_WEIGHT_CLASSES) {
      throw new IllegalArgumentException("weight_classes must be in [1, " + MAX_WEIGHT_CLASSES + "]: " + weightClasses);
    }
    if (!BY_WEIGHT.equals(classesBy) && !BY_WEIGHT_AND_SCORE.equals(classesBy)) {
      throw new IllegalArgumentException("classes_by must be weight or weight_and_score: " + classesBy);
    }
    java.util.Objects.requireNonNull(allocation, "allocation");
    java.util.Objects.requireNonNull(rounds, "rounds");
    if (allocation != ReviewAllocation.FIXED && !n.containsKey(TOTAL)) {
      throw new IllegalArgumentException("allocation " + allocation.id() + " needs the total budget n." + TOTAL);
    }
  }

  /** A design with n per stratum as written ({@code allocation: fixed}). */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy,
      int overlap, double honeypotRate, double raterBar, OptionalLong seed) {
    this(type, stratifyBy, n, weightClasses, classesBy, overlap, honeypotRate, raterBar, seed, ReviewAllocation.FIXED,
        Rounds.ONE, Double.NaN);
  }

  /** A design in one round. */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy,
      int overlap, double honeypotRate, double raterBar, OptionalLong seed, ReviewAllocation allocation) {
    this(type, stratifyBy, n, weightClasses, classesBy, overlap, honeypotRate, raterBar, seed, allocation, Rounds.ONE,
        Double.NaN);
  }

  /** The total review budget under an allocation other than fixed. */
  public int budget() {
    return n.get(TOTAL);
  }

  /** A design in one round with a floor ({@code active}; NaN: the default). */
  public GoldDesign(String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy,
      int overlap, double honeypotRate, double raterBar, OptionalLong seed, double floor) {
    this(type, stratifyBy, n, weightClasses, classesBy, overlap, honeypotRate, raterBar, seed, ReviewAllocation.FIXED,
        Rounds.ONE, floor);
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
    ReviewAllocation allocation = allocation(f, type);
    Map<String, Integer> n = new LinkedHashMap<>();
    if (!f.has("n")) {
      throw new InputException(Problem.of(path + ": n: missing; how many sampled units to review"
          + (type.equals("stratified") ? " per stratum (llm_positive:, llm_negative:)"
              : type.equals(ACTIVE) ? " (expected, over the draw)" : "")));
    }
    if (single) {
      n.put(type.equals(ACTIVE) ? ACTIVE : "all", count(f, "n"));
    } else if (allocation != ReviewAllocation.FIXED) {
      if (f.node("n") instanceof MapNode) {
        throw f.error("n", "with allocation: " + allocation.id() + ", n is the total review budget (one number);"
            + " per-stratum sizes go with allocation: fixed");
      }
      n.put(TOTAL, count(f, "n"));
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
    if (type.equals(ACTIVE) && f.node("rounds") != null) {
      throw f.error("rounds", "an active review design is drawn in one round (Poisson sampling); review in rounds"
          + " with a srs or stratified design");
    }
    return new GoldDesign(type, single ? null : by, n, classes, classesBy, overlap, rate, bar,
        seed == null ? OptionalLong.empty() : OptionalLong.of(seed), allocation, rounds(f), floor);
  }

  /** {@code rounds:} (1–20) and {@code target_half_width:} (in (0, 1], only with rounds). */
  private static Rounds rounds(YamlFields f) {
    int count = f.has("rounds") ? (int) (long) f.integer("rounds", true, 1, MAX_ROUNDS) : 1;
    if (!f.has("target_half_width")) {
      return count == 1 ? Rounds.ONE : new Rounds(count, Double.NaN);
    }
    if (count < 2) {
      throw f.error("target_half_width", "a target to stop at needs rounds: 2 or more");
    }
    return new Rounds(count, f.number("target_half_width", true, 0, 1));
  }

  /** {@code allocation:}, fixed when absent; only a stratified design has strata to allocate to. */
  private static ReviewAllocation allocation(YamlFields f, String type) {
    if (f.node("allocation") == null) {
      return ReviewAllocation.FIXED;
    }
    JsonNode a = f.node("allocation").json();
    ReviewAllocation rule = a.isTextual() ? ReviewAllocation.parse(a.asText()) : null;
    if (rule == null) {
      throw f.error("allocation", "expected fixed, proportional, neyman or optimal, found " + a);
    }
    if (rule != ReviewAllocation.FIXED && !type.equals("stratified")) {
      throw f.error("allocation", "only a stratified review design has strata to allocate to");
    }
    return rule;
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
    } else if (allocation != ReviewAllocation.FIXED) {
      o.put("n", budget());
      o.put("allocation", allocation.id());
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
    if (rounds.count() > 1) {
      o.put("rounds", rounds.count());
      if (!Double.isNaN(rounds.target())) {
        o.put("target_half_width", rounds.target());
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
