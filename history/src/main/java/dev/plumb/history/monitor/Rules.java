package dev.plumb.history.monitor;

import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.YamlFields;
import dev.plumb.core.YamlFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rules file ({@code rules.yaml}): a list of {@link Rule}s, checked completely before anything is
 * evaluated; every problem names the file, line, column and field (docs/monitoring.md).
 */
public record Rules(List<Rule> rules) {
  private static final YamlFile<Rules> FILE =
      YamlFile.required("rules file", "rules: with at least one rule", Rules::of);

  private static final Map<String, List<String>> OPTIONS = Map.of(
      "threshold", List.of("name", "type", "policies", "domains", "bound", "above", "below"),
      "change", List.of("name", "type", "policies", "domains", "trailing", "min_periods", "alpha", "direction",
          "comparable", "min_relative"),
      "quality", List.of("name", "type", "policies", "sensitivity", "specificity", "kappa"),
      "sizes", List.of("name", "type", "policies", "min_fraction", "sample", "gold"));

  public Rules {
    rules = List.copyOf(rules);
  }

  public static Rules read(Path path) {
    return FILE.read(path);
  }

  public static Rules parse(String yaml, String source) {
    return FILE.parse(yaml, source);
  }

  private static Rules of(LocatedYaml doc) {
    if (!(doc.root() instanceof MapNode m) || m.get("rules") == null) {
      throw doc.error("", "expected a mapping with rules: (a list of rules)");
    }
    YamlFields f = YamlFields.root(doc, "a mapping", YamlFields.failFast());
    f.only(List.of("rules"), (key, suggestion) -> "unknown option (the file holds rules: only)");
    if (!(f.node("rules") instanceof SeqNode list) || list.items().isEmpty()) {
      throw f.error("rules", "expected a non-empty list of rules");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Node item : list.items()) {
      if (!(item instanceof MapNode)) {
        throw doc.error(item.path(), "expected a rule (a mapping with name: and type:)");
      }
      YamlFields r = YamlFields.of(item, doc.source(), YamlFields.failFast(), "a rule");
      Rule rule = rule(r);
      if (!names.add(rule.name())) {
        throw r.error("name", "duplicate rule name \"" + rule.name() + "\"");
      }
      rules.add(rule);
    }
    return new Rules(rules);
  }

  /** One rule, from its fields (every problem throws). */
  private static Rule rule(YamlFields r) {
    String type = r.string("type", false);
    if (type == null) {
      throw r.error("", "type: missing; one of threshold, change, quality, sizes");
    }
    List<String> allowed = OPTIONS.get(type);
    if (allowed == null) {
      throw r.error("type", "unknown rule type \"" + type + "\" (one of threshold, change, quality, sizes)");
    }
    r.only(allowed, (key, suggestion) -> "not an option of a " + type + " rule (its options: "
        + String.join(", ", allowed) + ")");
    String name = or(r.string("name", false), type);
    List<String> policies = or(r.names("policies"), List.of());
    return switch (type) {
      case "threshold" -> {
        double above = number(r, "above", Double.NaN, 0, 1);
        double below = number(r, "below", Double.NaN, 0, 1);
        if (Double.isNaN(above) && Double.isNaN(below)) {
          throw r.error("", "a threshold rule needs above: or below: (a proportion, e.g. 0.01)");
        }
        Rule.Bound bound = choice(r, "bound", Rule.Bound.class, Rule.Bound.LOWER);
        yield new Rule.Threshold(name, policies, or(r.names("domains"), List.of("all")), bound, above, below);
      }
      case "change" -> {
        int trailing = (int) number(r, "trailing", 14.0, 1, 1000);
        int min = (int) number(r, "min_periods", Math.min(7, trailing), 1, trailing);
        double alpha = number(r, "alpha", 0.01, 1e-12, 0.5);
        Rule.Direction dir = choice(r, "direction", Rule.Direction.class, Rule.Direction.BOTH);
        List<Rule.Comparable> comparable = new ArrayList<>();
        List<String> given = or(r.names("comparable"), List.of("version", "prompt", "model"));
        for (int i = 0; i < given.size(); i++) {
          try {
            comparable.add(Rule.Comparable.valueOf(given.get(i).toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            Node at = r.node("comparable") instanceof SeqNode seq ? seq.items().get(i) : r.node("comparable");
            throw r.errorAt(at, "unknown \"" + given.get(i) + "\" (version, prompt or model)");
          }
        }
        double minRel = number(r, "min_relative", 0.0, 0, 100);
        yield new Rule.Change(name, policies, or(r.names("domains"), List.of("all")), trailing, min, alpha, dir,
            comparable, minRel);
      }
      case "quality" -> {
        double se = number(r, "sensitivity", Double.NaN, 0, 1);
        double sp = number(r, "specificity", Double.NaN, 0, 1);
        double k = number(r, "kappa", Double.NaN, -1, 1);
        if (Double.isNaN(se) && Double.isNaN(sp) && Double.isNaN(k)) {
          throw r.error("", "a quality rule needs at least one of sensitivity:, specificity:, kappa:");
        }
        yield new Rule.Quality(name, policies, se, sp, k);
      }
      default -> {
        double frac = number(r, "min_fraction", Double.NaN, 0, 1);
        int sample = (int) number(r, "sample", 0.0, 0, Integer.MAX_VALUE);
        int gold = (int) number(r, "gold", 0.0, 0, Integer.MAX_VALUE);
        if (Double.isNaN(frac) && sample == 0 && gold == 0) {
          throw r.error("", "a sizes rule needs min_fraction: (of plan), sample: or gold:");
        }
        yield new Rule.Sizes(name, policies, frac, sample, gold);
      }
    };
  }

  /** An enum constant by its lower-case name. */
  private static <E extends Enum<E>> E choice(YamlFields r, String key, Class<E> type, E fallback) {
    List<String> names = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    String v = r.choice(key, false, names);
    return v == null ? fallback : Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
  }

  /** A number in [min, max], or {@code fallback} when not given; a text is "expected a number, got "x"". */
  private static double number(YamlFields r, String key, double fallback, double min, double max) {
    if (r.node(key) instanceof Scalar s && !s.isNull() && !s.value().isNumber()) {
      throw r.error(key, "expected a number, got \"" + s.text() + "\"");
    }
    Double v = r.number(key, false, min, max);
    return v == null ? fallback : v;
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
