package dev.plumb.labeler.unit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import dev.plumb.core.UnitCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads units from JSON Lines (docs/formats.md), streaming, with located errors. */
public final class Units {
  private Units() {}

  /** Streams every unit in {@code file} to {@code consumer}; duplicate ids are an error. */
  public static void forEach(Path file, Consumer<Unit> consumer) {
    Map<String, Integer> ids = new HashMap<>();
    Jsonl.forEach(
        file,
        line -> {
          Unit unit = parse(line.node(), file.toString(), line.number());
          Integer first = ids.putIfAbsent(unit.id(), line.number());
          if (first != null) {
            throw UnitCheck.duplicateId(file.toString(), line.number(), unit.id(), first);
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
    Map<String, Integer> ids = new HashMap<>();
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
            Integer firstLine = ids.putIfAbsent(unit.id(), t.number());
            if (firstLine != null) {
              p = UnitCheck.duplicateId(source, t.number(), unit.id(), firstLine).problems().get(0);
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

  /**
   * Parses one unit object; {@code source} and {@code line} locate errors. Every field is checked by
   * {@link UnitCheck} with the units profile (components required), the checks and messages the
   * sampler applies to a frame: {@code weight}, {@code scores} and {@code attributes} too, although
   * the labeler reads only the attributes.
   */
  public static Unit parse(ObjectNode node, String source, int line) {
    try (JsonParser p = node.traverse()) {
      p.nextToken();
      String id = null;
      Map<String, String> attributes = Map.of();
      List<UnitCheck.Component> components = null;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> id = UnitCheck.id(v, p, source, line);
          case "weight" -> UnitCheck.weight(v, p, source, line);
          case "scores" -> UnitCheck.scores(v, p, source, line);
          case "attributes" -> attributes = UnitCheck.attributes(v, p, source, line);
          case "components" -> components = UnitCheck.components(v, p, source, line, true);
          default -> p.skipChildren();
        }
      }
      UnitCheck.complete(UnitCheck.Profile.UNITS, id, components != null, source, line);
      List<Component> parts = new ArrayList<>(components.size());
      for (UnitCheck.Component c : components) {
        parts.add(new Component(c.id(), c.kind(), c.text(), c.image()));
      }
      return new Unit(id, attributes, parts);
    } catch (java.io.IOException e) {
      // a tree is already valid JSON: traversing it cannot fail to parse
      throw new java.io.UncheckedIOException(e);
    }
  }
}
