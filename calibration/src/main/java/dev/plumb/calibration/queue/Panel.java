package dev.plumb.calibration.queue;

import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import java.nio.file.Path;
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
    YamlFields f = GoldDesign.reviewFile(path, "expected a mapping (default:, raters:, ...)");
    for (String name : f.keys()) {
      if (!OPTIONS.contains(name)) {
        throw f.error(name, "unknown option (options: " + String.join(", ", OPTIONS) + ")");
      }
    }
    Rates fallback = f.node("default") != null ? rates(f, "default") : null;
    Map<String, Rates> raters = new LinkedHashMap<>();
    if (f.has("raters")) {
      if (!(f.node("raters") instanceof MapNode)) {
        throw f.error("raters", "expected rater id → {sensitivity:, specificity:}");
      }
      YamlFields rs = f.object("raters");
      for (String rater : rs.keys()) {
        raters.put(rater, rates(rs, rater));
      }
    }
    if (fallback == null && raters.isEmpty()) {
      throw new InputException(Problem.of(path + ": no raters and no default; give raters: or default:"));
    }
    double cat = f.has("category_accuracy") ? f.number("category_accuracy", true, 0, 1) : 1;
    Long seed = f.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
    return new Panel(fallback, raters, cat, seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
  }

  /** {@code {sensitivity: x, specificity: y}}, both required, each in [0, 1]. */
  private static Rates rates(YamlFields parent, String key) {
    if (!(parent.node(key) instanceof MapNode)) {
      throw parent.error(key, "expected {sensitivity: ..., specificity: ...}");
    }
    YamlFields r = parent.object(key);
    r.only(List.of("sensitivity", "specificity"), (name, suggestion) -> "unknown option (sensitivity, specificity)"
        + YamlFields.hint(suggestion));
    return new Rates(r.number("sensitivity", true, 0, 1), r.number("specificity", true, 0, 1));
  }
}
