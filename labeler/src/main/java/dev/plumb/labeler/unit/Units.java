package dev.plumb.labeler.unit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads units from JSON Lines (docs/formats.md), streaming, with located errors. */
public final class Units {
  private Units() {}

  /** Streams every unit in {@code file} to {@code consumer}; duplicate ids are an error. */
  public static void forEach(Path file, Consumer<Unit> consumer) {
    Set<String> ids = new HashSet<>();
    Jsonl.forEach(
        file,
        line -> {
          Unit unit = parse(line.node(), file.toString(), line.number());
          if (!ids.add(unit.id())) {
            throw new InputException(
                Problem.at(file.toString(), line.number(), "id", "duplicate unit id \"" + unit.id() + "\""));
          }
          consumer.accept(unit);
        });
  }

  /** Problems {@link #check} lists before it only counts the rest. */
  public static final int MAX_PROBLEMS = 50;

  /**
   * Every problem of a units file, found in one pass without stopping at the first (the first
   * {@value #MAX_PROBLEMS}, then how many more): lines that are not JSON objects, units that do not
   * parse, duplicate ids. When the file does not look like units at all (its first record has no
   * {@code components}), a last line says how to make units from a file of texts. Empty when the
   * file is good. For a command to check its input before expensive work (training a model).
   */
  public static List<Problem> check(Path file) {
    String source = file.toString();
    List<Problem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int more = 0;
    boolean firstHasComponents = true;
    boolean first = true;
    try (Jsonl jsonl = Jsonl.open(file)) {
      for (Jsonl.Text t : jsonl.texts()) {
        Problem p = null;
        try {
          JsonNode node = dev.plumb.core.Json.mapper().readTree(t.text());
          if (!(node instanceof ObjectNode o)) {
            p = Problem.at(source, t.number(), "", "expected a JSON object");
          } else {
            if (first) {
              firstHasComponents = o.has("components");
            }
            Unit unit = parse(o, source, t.number());
            if (!ids.add(unit.id())) {
              p = Problem.at(source, t.number(), "id", "duplicate unit id \"" + unit.id() + "\"");
            }
          }
        } catch (InputException e) {
          p = e.problems().get(0);
        } catch (java.io.IOException e) {
          p = Problem.at(source, t.number(), "", "not valid JSON");
        }
        first = false;
        if (p != null) {
          if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
          } else {
            more++;
          }
        }
      }
    }
    if (more > 0) {
      problems.add(Problem.of(source + ": " + more + " more problems not shown"));
    }
    if (!problems.isEmpty() && !firstHasComponents) {
      problems.add(Problem.of(source + ": not a file of units (docs/formats.md); to make one from a file of texts:"
          + " plumb units from-texts --in " + source + " --text FIELD --out units.jsonl"));
    }
    return problems;
  }

  /** All units of a file, in file order. For files that fit in memory (tests, examples). */
  public static List<Unit> readAll(Path file) {
    List<Unit> units = new ArrayList<>();
    forEach(file, units::add);
    return units;
  }

  /**
   * The unit with {@code id} in {@code file}, parsing only that line (other lines must still be
   * JSON objects); empty when there is none. Stops at the first match.
   */
  public static java.util.Optional<Unit> find(Path file, String id) {
    try (Jsonl jsonl = Jsonl.open(file)) {
      for (Jsonl.Line line : jsonl) {
        JsonNode candidate = line.node().get("id");
        if (candidate != null && candidate.isTextual() && candidate.asText().equals(id)) {
          return java.util.Optional.of(parse(line.node(), file.toString(), line.number()));
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Parses one unit object; {@code source} and {@code line} locate errors. */
  public static Unit parse(ObjectNode node, String source, int line) {
    String id = requireText(node, "id", source, line);
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode attrs = node.get("attributes");
    if (attrs != null && !attrs.isNull()) {
      if (!attrs.isObject()) {
        throw new InputException(Problem.at(source, line, "attributes", "expected an object"));
      }
      Iterator<Map.Entry<String, JsonNode>> it = attrs.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        attributes.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
      }
    }
    JsonNode comps = node.get("components");
    if (comps == null || !comps.isArray() || comps.isEmpty()) {
      throw new InputException(Problem.at(source, line, "components", "expected a non-empty array"));
    }
    List<Component> components = new ArrayList<>(comps.size());
    Set<String> componentIds = new HashSet<>();
    for (int i = 0; i < comps.size(); i++) {
      JsonNode c = comps.get(i);
      String field = "components[" + i + "]";
      if (!c.isObject()) {
        throw new InputException(Problem.at(source, line, field, "expected an object"));
      }
      String cid = requireText((ObjectNode) c, "id", source, line, field + ".id");
      if (!componentIds.add(cid)) {
        throw new InputException(
            Problem.at(source, line, field + ".id", "duplicate component id \"" + cid + "\""));
      }
      String kind = optionalText(c, "kind", source, line, field + ".kind");
      String text = optionalText(c, "text", source, line, field + ".text");
      String image = optionalText(c, "image", source, line, field + ".image");
      if ((text == null || text.isEmpty()) && image == null) {
        throw new InputException(Problem.at(source, line, field, "needs text or an image"));
      }
      components.add(new Component(cid, kind == null ? "text" : kind, text, image));
    }
    return new Unit(id, attributes, components);
  }

  private static String requireText(ObjectNode node, String name, String source, int line) {
    return requireText(node, name, source, line, name);
  }

  private static String requireText(ObjectNode node, String name, String source, int line, String field) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new InputException(Problem.at(source, line, field, "missing"));
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new InputException(Problem.at(source, line, field, "expected a non-empty string"));
    }
    return v.asText();
  }

  private static String optionalText(JsonNode node, String name, String source, int line, String field) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InputException(Problem.at(source, line, field, "expected a string"));
    }
    return v.asText();
  }
}
