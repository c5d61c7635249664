package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The phase-2 (gold) design of a review queue ({@code review.yaml}, docs/review.md):
 *
 * <pre>
 * type: stratified            # srs | stratified (by the LLM's decision)
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
 */
public record GoldDesign(
    String type, String stratifyBy, Map<String, Integer> n, int weightClasses, String classesBy, int overlap,
    double honeypotRate, double raterBar, OptionalLong seed) {

  public static final String POSITIVE = "llm_positive";
  public static final String NEGATIVE = "llm_negative";
  public static final String ANY_POSITIVE = "any_positive";
  private static final List<String> OPTIONS =
      List.of("type", "stratify_by", "n", "weight_classes", "classes_by", "overlap", "honeypot_rate", "rater_bar", "seed");
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
    Located doc = Located.yaml(path);
    if (!(doc.root() instanceof ObjectNode o)) {
      throw new InputException(Problem.of(path + ": expected a mapping of review options (type:, n:, ...)"));
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!OPTIONS.contains(name)) {
        throw doc.error(name, "unknown option (options: " + String.join(", ", OPTIONS) + ")");
      }
    }
    JsonNode typeNode = o.get("type");
    if (typeNode == null || typeNode.isNull()) {
      throw new InputException(Problem.of(path + ": type: missing; srs or stratified"));
    }
    String type = typeNode.asText();
    if (!type.equals("srs") && !type.equals("stratified")) {
      throw doc.error("type", "unknown review design \"" + type + "\" (srs or stratified)");
    }
    String by = ANY_POSITIVE;
    if (o.has("stratify_by")) {
      if (type.equals("srs")) {
        throw doc.error("stratify_by", "only a stratified review design has strata");
      }
      JsonNode b = o.get("stratify_by");
      if (!b.isTextual() || b.asText().isEmpty()) {
        throw doc.error("stratify_by", "expected any_positive or a policy id, found " + b);
      }
      by = b.asText();
    }
    Map<String, Integer> n = new LinkedHashMap<>();
    JsonNode nNode = o.get("n");
    if (nNode == null || nNode.isNull()) {
      throw new InputException(Problem.of(path + ": n: missing; how many sampled units to review"
          + (type.equals("srs") ? "" : " per stratum (llm_positive:, llm_negative:)")));
    }
    if (type.equals("srs")) {
      n.put("all", count(doc, "n", nNode));
    } else {
      if (!nNode.isObject()) {
        throw doc.error("n", "expected the units to review per stratum, e.g. {llm_positive: 100, llm_negative: 100}");
      }
      for (String s : List.of(POSITIVE, NEGATIVE)) {
        if (!nNode.has(s)) {
          throw doc.error("n", "missing stratum " + s + " (a stratified review needs n for "
              + POSITIVE + " and " + NEGATIVE + ")");
        }
        n.put(s, count(doc, "n." + s, nNode.get(s)));
      }
      for (Iterator<String> it = nNode.fieldNames(); it.hasNext(); ) {
        String s = it.next();
        if (!n.containsKey(s)) {
          throw doc.error("n." + s, "unknown stratum (strata: " + POSITIVE + ", " + NEGATIVE + ")");
        }
      }
    }
    int classes = 1;
    if (o.has("weight_classes")) {
      JsonNode k = o.get("weight_classes");
      if (!k.isIntegralNumber() || !k.canConvertToInt() || k.asInt() < 1 || k.asInt() > MAX_WEIGHT_CLASSES) {
        throw doc.error("weight_classes", "expected a whole number from 1 (no weight classes) to "
            + MAX_WEIGHT_CLASSES + ", found " + k);
      }
      classes = k.asInt();
    }
    String classesBy = BY_WEIGHT;
    if (o.has("classes_by")) {
      JsonNode b = o.get("classes_by");
      if (!b.isTextual() || !(b.asText().equals(BY_WEIGHT) || b.asText().equals(BY_WEIGHT_AND_SCORE))) {
        throw doc.error("classes_by", "expected " + BY_WEIGHT + " or " + BY_WEIGHT_AND_SCORE + ", found " + b);
      }
      if (classes < 2) {
        throw doc.error("classes_by", "only weight classes have a basis; set weight_classes: 2 or more");
      }
      classesBy = b.asText();
    }
    int overlap = o.has("overlap") ? count(doc, "overlap", o.get("overlap")) : 1;
    if (overlap < 1) {
      throw doc.error("overlap", "must be at least 1 rater per item");
    }
    double rate = o.has("honeypot_rate") ? fraction(doc, "honeypot_rate", o.get("honeypot_rate")) : 0;
    double bar = o.has("rater_bar") ? fraction(doc, "rater_bar", o.get("rater_bar")) : 0.8;
    OptionalLong seed = OptionalLong.empty();
    if (o.has("seed")) {
      JsonNode s = o.get("seed");
      if (!s.isIntegralNumber() || !s.canConvertToLong()) {
        throw doc.error("seed", "expected an integer, found " + s);
      }
      seed = OptionalLong.of(s.asLong());
    }
    return new GoldDesign(type, type.equals("srs") ? null : by, n, classes, classesBy, overlap, rate, bar, seed);
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

  private static int count(Located doc, String field, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
      throw doc.error(field, "expected a whole number >= 0, found " + v);
    }
    return v.asInt();
  }

  private static double fraction(Located doc, String field, JsonNode v) {
    if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw doc.error(field, "expected a number in [0, 1], found " + v);
    }
    return v.asDouble();
  }
}
