package dev.plumb.history.monitor;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

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
    String source = path.toString();
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8), source);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  public static Rules parse(String yaml, String source) {
    Map<String, int[]> at = new HashMap<>();
    JsonNode root;
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        throw new InputException(Problem.of(source + ": empty rules file; it needs rules: with at least one rule"));
      }
      root = tree(p, "", at, source);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : Math.max(0, l.getColumnNr()),
          "", "invalid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    Reader r = new Reader(source, at);
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

  private static JsonNode tree(JsonParser p, String path, Map<String, int[]> at, String source) throws IOException {
    JsonToken t = p.currentToken();
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonLocation here = p.currentTokenLocation();
    at.putIfAbsent(path, new int[] {here.getLineNr(), here.getColumnNr()});
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          JsonLocation k = p.currentTokenLocation();
          if (o.has(name)) {
            throw new InputException(Problem.at(source, k.getLineNr(), k.getColumnNr(), child, "written twice"));
          }
          at.put(child, new int[] {k.getLineNr(), k.getColumnNr()});
          p.nextToken();
          JsonLocation v = p.currentTokenLocation();
          at.put(child + "=", new int[] {v.getLineNr(), v.getColumnNr()});
          o.set(name, tree(p, child + "=", at, source));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(tree(p, path.replaceAll("=$", "") + "[" + i++ + "]", at, source));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      default -> {
        return f.nullNode();
      }
    }
  }

  /** Turns one rule's tree into a rule, problem by problem. */
  private record Reader(String source, Map<String, int[]> at) {
    /** Located at the option's name (an option that should not be there). */
    InputException problemAtKey(String field, String message) {
      int[] pos = at.getOrDefault(field, new int[] {0, 0});
      return new InputException(Problem.at(source, pos[0], pos[1], field, message));
    }

    /** Located at the option's value. */
    InputException problem(String field, String message) {
      int[] pos = null;
      for (String f = field; pos == null; ) {
        pos = at.get(f + "=");
        if (pos == null) {
          pos = at.get(f);
        }
        int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
        if (pos == null && cut <= 0) {
          pos = new int[] {0, 0};
        } else if (pos == null) {
          f = f.substring(0, cut);
        }
      }
      return new InputException(Problem.at(source, pos[0], pos[1], field, message));
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
