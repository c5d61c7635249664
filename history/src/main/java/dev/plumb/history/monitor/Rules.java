package dev.plumb.history.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rules file ({@code rules.yaml}): a list of {@link Rule}s, checked completely before anything is
 * evaluated; every problem names the file, line, column and field (docs/monitoring.md).
 */
public record Rules(List<Rule> rules) {
  private static final LocatedYaml.Kind RULES_FILE = LocatedYaml.Kind.of("rules file");

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
    return of(LocatedYaml.read(path, RULES_FILE));
  }

  public static Rules parse(String yaml, String source) {
    return of(LocatedYaml.parse(yaml, source, RULES_FILE));
  }

  private static Rules of(LocatedYaml doc) {
    if (doc.isEmpty()) {
      throw new InputException(Problem.of(doc.source() + ": empty rules file; it needs rules: with at least one rule"));
    }
    JsonNode root = doc.tree();
    Reader r = new Reader(doc);
    if (!(root instanceof ObjectNode o) || !o.has("rules")) {
      throw r.problem("", "expected a mapping with rules: (a list of rules)");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("rules")) {
        throw r.problemAtKey(f, "unknown option (the file holds rules: only)");
      }
    }
    if (!(o.get("rules") instanceof ArrayNode list) || list.isEmpty()) {
      throw r.problem("rules", "expected a non-empty list of rules");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Rule rule = r.rule(list.get(i), "rules[" + i + "]");
      if (!names.add(rule.name())) {
        throw r.problem("rules[" + i + "].name", "duplicate rule name \"" + rule.name() + "\"");
      }
      rules.add(rule);
    }
    return new Rules(rules);
  }

  /** Turns one rule's tree into a rule, problem by problem. */
  private record Reader(LocatedYaml doc) {
    /** Located at the option's name (an option that should not be there). */
    InputException problemAtKey(String field, String message) {
      return doc.errorAtKey(field, message);
    }

    /** Located at the option's value. */
    InputException problem(String field, String message) {
      return doc.error(field, message);
    }

    Rule rule(JsonNode node, String path) {
      if (!(node instanceof ObjectNode o)) {
        throw problem(path, "expected a rule (a mapping with name: and type:)");
      }
      String type = text(o, path, "type", null);
      if (type == null) {
        throw problem(path, "type: missing; one of threshold, change, quality, sizes");
      }
      List<String> allowed = OPTIONS.get(type);
      if (allowed == null) {
        throw problem(path + ".type", "unknown rule type \"" + type + "\" (one of threshold, change, quality, sizes)");
      }
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!allowed.contains(f)) {
          throw problemAtKey(path + "." + f, "not an option of a " + type + " rule (its options: " + String.join(", ", allowed) + ")");
        }
      }
      String name = text(o, path, "name", type);
      List<String> policies = list(o, path, "policies", List.of());
      return switch (type) {
        case "threshold" -> {
          double above = number(o, path, "above", Double.NaN, 0, 1);
          double below = number(o, path, "below", Double.NaN, 0, 1);
          if (Double.isNaN(above) && Double.isNaN(below)) {
            throw problem(path, "a threshold rule needs above: or below: (a proportion, e.g. 0.01)");
          }
          Rule.Bound bound = enumValue(o, path, "bound", Rule.Bound.class, Rule.Bound.LOWER);
          yield new Rule.Threshold(name, policies, list(o, path, "domains", List.of("all")), bound, above, below);
        }
        case "change" -> {
          int trailing = (int) number(o, path, "trailing", 14, 1, 1000);
          int min = (int) number(o, path, "min_periods", Math.min(7, trailing), 1, trailing);
          double alpha = number(o, path, "alpha", 0.01, 1e-12, 0.5);
          Rule.Direction dir = enumValue(o, path, "direction", Rule.Direction.class, Rule.Direction.BOTH);
          List<Rule.Comparable> comparable = new ArrayList<>();
          List<String> names = list(o, path, "comparable", List.of("version", "prompt", "model"));
          for (int i = 0; i < names.size(); i++) {
            try {
              comparable.add(Rule.Comparable.valueOf(names.get(i).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw problem(path + ".comparable[" + i + "]", "unknown \"" + names.get(i) + "\" (version, prompt or model)");
            }
          }
          double minRel = number(o, path, "min_relative", 0, 0, 100);
          yield new Rule.Change(name, policies, list(o, path, "domains", List.of("all")), trailing, min, alpha, dir,
              comparable, minRel);
        }
        case "quality" -> {
          double se = number(o, path, "sensitivity", Double.NaN, 0, 1);
          double sp = number(o, path, "specificity", Double.NaN, 0, 1);
          double k = number(o, path, "kappa", Double.NaN, -1, 1);
          if (Double.isNaN(se) && Double.isNaN(sp) && Double.isNaN(k)) {
            throw problem(path, "a quality rule needs at least one of sensitivity:, specificity:, kappa:");
          }
          yield new Rule.Quality(name, policies, se, sp, k);
        }
        default -> {
          double frac = number(o, path, "min_fraction", Double.NaN, 0, 1);
          int sample = (int) number(o, path, "sample", 0, 0, Integer.MAX_VALUE);
          int gold = (int) number(o, path, "gold", 0, 0, Integer.MAX_VALUE);
          if (Double.isNaN(frac) && sample == 0 && gold == 0) {
            throw problem(path, "a sizes rule needs min_fraction: (of plan), sample: or gold:");
          }
          yield new Rule.Sizes(name, policies, frac, sample, gold);
        }
      };
    }

    String text(ObjectNode o, String path, String field, String fallback) {
      JsonNode v = o.get(field);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw problem(path + "." + field, "expected a non-empty text");
      }
      return v.asText();
    }

    double number(ObjectNode o, String path, String field, double fallback, double min, double max) {
      JsonNode v = o.get(field);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isNumber()) {
        throw problem(path + "." + field, "expected a number, got \"" + v.asText() + "\"");
      }
      double d = v.asDouble();
      if (d < min || d > max) {
        throw problem(path + "." + field, "must be between " + plain(min) + " and " + plain(max) + ", got " + plain(d));
      }
      return d;
    }

    List<String> list(ObjectNode o, String path, String field, List<String> fallback) {
      JsonNode v = o.get(field);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (v.isTextual()) {
        return List.of(v.asText());
      }
      if (!(v instanceof ArrayNode a) || a.isEmpty()) {
        throw problem(path + "." + field, "expected a non-empty list of names");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).isTextual()) {
          throw problem(path + "." + field + "[" + i + "]", "expected a name");
        }
        out.add(a.get(i).asText());
      }
      return out;
    }

    <E extends Enum<E>> E enumValue(ObjectNode o, String path, String field, Class<E> type, E fallback) {
      String v = text(o, path, field, null);
      if (v == null) {
        return fallback;
      }
      try {
        return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
          names.add(c.name().toLowerCase(Locale.ROOT));
        }
        throw problem(path + "." + field, "unknown \"" + v + "\" (one of " + String.join(", ", names) + ")");
      }
    }

    private static String plain(double d) {
      return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
  }
}
