package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A simulated rater panel ({@code panel.yaml}, docs/review.md): each rater's sensitivity (chance of
 * a positive answer on a truly positive unit) and specificity (chance of a negative answer on a
 * truly negative one), a default for raters not listed, and how often a correct positive answer
 * also gets the right category.
 *
 * <pre>
 * default: {sensitivity: 0.90, specificity: 0.98}
 * category_accuracy: 0.9
 * raters:
 *   r01: {sensitivity: 0.95, specificity: 0.99}
 *   r05: {sensitivity: 0.60, specificity: 0.85}   # the sloppy one
 * seed: 11
 * </pre>
 */
public record Panel(Rates fallback, Map<String, Rates> raters, double categoryAccuracy, OptionalLong seed) {
  private static final List<String> OPTIONS = List.of("default", "raters", "category_accuracy", "seed");

  /** One rater's error rates. */
  public record Rates(double sensitivity, double specificity) {}

  public Panel {
    raters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(raters));
  }

  /** The rates of {@code rater}: its own, else the default, else null. */
  public Rates rates(String rater) {
    return raters.getOrDefault(rater, fallback);
  }

  public static Panel read(Path path) {
    Located doc = Located.yaml(path);
    if (!(doc.root() instanceof ObjectNode o)) {
      throw new InputException(Problem.of(path + ": expected a mapping (default:, raters:, ...)"));
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!OPTIONS.contains(name)) {
        throw doc.error(name, "unknown option (options: " + String.join(", ", OPTIONS) + ")");
      }
    }
    Rates fallback = o.has("default") ? rates(doc, "default", o.get("default")) : null;
    Map<String, Rates> raters = new LinkedHashMap<>();
    JsonNode rs = o.get("raters");
    if (rs != null && !rs.isNull()) {
      if (!rs.isObject()) {
        throw doc.error("raters", "expected rater id → {sensitivity:, specificity:}");
      }
      rs.fields().forEachRemaining(e -> raters.put(e.getKey(), rates(doc, "raters." + e.getKey(), e.getValue())));
    }
    if (fallback == null && raters.isEmpty()) {
      throw new InputException(Problem.of(path + ": no raters and no default; give raters: or default:"));
    }
    double cat = 1;
    if (o.has("category_accuracy")) {
      JsonNode c = o.get("category_accuracy");
      if (!c.isNumber() || c.asDouble() < 0 || c.asDouble() > 1) {
        throw doc.error("category_accuracy", "expected a number in [0, 1], found " + c);
      }
      cat = c.asDouble();
    }
    OptionalLong seed = OptionalLong.empty();
    if (o.has("seed")) {
      JsonNode s = o.get("seed");
      if (!s.isIntegralNumber() || !s.canConvertToLong()) {
        throw doc.error("seed", "expected an integer, found " + s);
      }
      seed = OptionalLong.of(s.asLong());
    }
    return new Panel(fallback, raters, cat, seed);
  }

  private static Rates rates(Located doc, String field, JsonNode v) {
    if (!v.isObject()) {
      throw doc.error(field, "expected {sensitivity: ..., specificity: ...}");
    }
    double[] r = new double[2];
    String[] names = {"sensitivity", "specificity"};
    for (int i = 0; i < 2; i++) {
      JsonNode x = v.get(names[i]);
      if (x == null || !x.isNumber() || x.asDouble() < 0 || x.asDouble() > 1) {
        throw doc.error(field + (x == null ? "" : "." + names[i]),
            (x == null ? names[i] + ": missing; " : "") + "expected a number in [0, 1]" + (x == null ? "" : ", found " + x));
      }
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!List.of(names).contains(name)) {
        throw doc.error(field + "." + name, "unknown option (sensitivity, specificity)");
      }
    }
    r[0] = v.get("sensitivity").asDouble();
    r[1] = v.get("specificity").asDouble();
    return new Rates(r[0], r[1]);
  }
}
