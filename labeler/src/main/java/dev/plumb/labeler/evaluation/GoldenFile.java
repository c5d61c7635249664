package dev.plumb.labeler.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a golden file (docs/prompt-test.md): JSON Lines, one unit per line in the unit format
 * (docs/formats.md) plus {@code "expected"}, the answer per policy id —
 * {@code {"self_harm": {"decision": "violating", "category": "promotion"}, "harassment": "safe"}}
 * (a string is a decision alone). One file can serve several policies; a test of one policy uses
 * the lines that expect something of it. Relative image paths resolve against the file's directory.
 */
public final class GoldenFile {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);
  private static final Set<String> FIELDS = Set.of("decision", "category", "positive", "reason");

  private GoldenFile() {}

  /**
   * The cases of {@code file} for {@code policy}, in file order.
   *
   * @param policyIds every policy id of the library: an expectation for another id is an error
   * @param takenIds ids golden units must not use (the policy's example ids)
   * @throws InputException listing every problem, {@code file:line: field: message}
   */
  public static List<TestCase> read(Path file, Policy policy, Collection<String> policyIds, Set<String> takenIds) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + ": file not found");
    }
    String source = file.toString();
    Path base = file.toAbsolutePath().getParent();
    List<Problem> problems = new ArrayList<>();
    List<TestCase> cases = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int lines = 0;
    try (Jsonl jsonl = Jsonl.open(file)) {
      for (Jsonl.Line line : jsonl) {
        lines++;
        int n = line.number();
        Unit unit;
        try {
          unit = Units.parse(line.node(), source, n);
        } catch (InputException e) {
          problems.addAll(e.problems());
          continue;
        }
        Integer first = seen.putIfAbsent(unit.id(), n);
        if (first != null) {
          problems.add(Problem.at(source, n, "id", "duplicate unit id " + Json.line(unit.id()) + " (first at line " + first + ")"));
          continue;
        }
        if (takenIds.contains(unit.id())) {
          problems.add(Problem.at(source, n, "id", Json.line(unit.id()) + " is the id of an example of " + policy.key()
              + "; give golden units ids of their own"));
          continue;
        }
        JsonNode expected = line.node().get("expected");
        if (expected == null || expected.isNull()) {
          problems.add(Problem.at(source, n, "expected", "missing; e.g. \"expected\": {\"" + policy.id() + "\": {\"decision\": \""
              + policy.decisions().get(0).id() + "\"}}"));
          continue;
        }
        if (!expected.isObject() || expected.isEmpty()) {
          problems.add(Problem.at(source, n, "expected", "expected a non-empty object of policy id to expected answer"));
          continue;
        }
        Expected mine = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String key = e.getKey();
          String field = "expected." + key;
          if (key.contains("@")) {
            problems.add(Problem.at(source, n, field, "name the policy by its id, without a version (\""
                + PolicyKey.idOf(key) + "\"): one golden file serves every version"));
          } else if (!policyIds.contains(key)) {
            problems.add(Problem.at(source, n, field, "unknown policy " + Json.line(key) + "; policies are: "
                + policyIds.stream().sorted().collect(Collectors.joining(", "))));
          } else if (key.equals(policy.id())) {
            mine = expectation(e.getValue(), policy, source, n, field, problems);
          }
        }
        if (mine != null) {
          cases.add(new TestCase(absoluteImages(unit, base), mine, TestCase.Kind.GOLDEN, source + ":" + n));
        }
      }
    }
    if (problems.isEmpty() && cases.isEmpty()) {
      problems.add(Problem.at(source, 0, "", lines == 0 ? "the golden file is empty"
          : "no line expects an answer for " + Json.line(policy.id()) + " (" + lines + " lines)"));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return cases;
  }

  private static Expected expectation(JsonNode v, Policy policy, String source, int n, String field, List<Problem> problems) {
    String decision;
    String category = null;
    boolean hasCategory = false;
    int before = problems.size();
    if (v.isTextual()) {
      decision = v.asText();
    } else if (v.isObject()) {
      for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!FIELDS.contains(name)) {
          problems.add(Problem.at(source, n, field + "." + name, "unknown field; fields are: decision, category, positive, reason"));
        }
      }
      JsonNode d = v.get("decision");
      JsonNode pos = v.get("positive");
      if (pos != null) {
        if (d != null || v.has("category")) {
          problems.add(Problem.at(source, n, field + ".positive", "give either a decision (and category) or positive, not both"));
          return null;
        }
        if (!pos.isBoolean()) {
          problems.add(Problem.at(source, n, field + ".positive", "expected true or false"));
          return null;
        }
        return problems.size() > before ? null : Expected.binary(pos.asBoolean());
      }
      if (d == null || !d.isTextual() || d.asText().isEmpty()) {
        problems.add(Problem.at(source, n, field + ".decision", d == null ? "missing (or give \"positive\": true|false)" : "expected a non-empty string"));
        return null;
      }
      decision = d.asText();
      JsonNode c = v.get("category");
      if (c != null && !c.isNull()) {
        if (!c.isTextual()) {
          problems.add(Problem.at(source, n, field + ".category", "expected a string or null"));
          return null;
        }
        category = c.asText();
      }
      hasCategory = c != null;
    } else {
      problems.add(Problem.at(source, n, field, "expected a decision (string) or {\"decision\": ..., \"category\": ...}"));
      return null;
    }
    String decisionField = v.isTextual() ? field : field + ".decision";
    Decision dec = policy.decision(decision).orElse(null);
    if (dec == null) {
      problems.add(Problem.at(source, n, decisionField, "unknown decision " + Json.line(decision) + " of " + policy.key()
          + "; decisions are: " + policy.decisions().stream().map(Decision::id).collect(Collectors.joining(", "))));
      return null;
    }
    if (category != null) {
      if (!dec.positive()) {
        problems.add(Problem.at(source, n, field + ".category", "a " + Json.line(decision)
            + " decision takes no category (only a decision that counts as a violation does)"));
      } else if (policy.category(category).isEmpty()) {
        problems.add(Problem.at(source, n, field + ".category", "unknown category " + Json.line(category) + " of " + policy.key()
            + "; categories are: " + policy.categories().stream().map(Category::id).collect(Collectors.joining(", "))));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    // a negative decision always comes without a category; a positive one is checked when named
    return new Expected(decision, category, !dec.positive() || hasCategory, dec.positive());
  }

  /** The unit with relative image paths made absolute against {@code base}. */
  static Unit absoluteImages(Unit unit, Path base) {
    List<Component> cs = new ArrayList<>();
    boolean changed = false;
    for (Component c : unit.components()) {
      String image = c.image();
      if (image != null && !SCHEME.matcher(image).matches() && !Path.of(image).isAbsolute()) {
        image = base.resolve(image).normalize().toString();
        changed = true;
      }
      cs.add(new Component(c.id(), c.kind(), c.text(), image));
    }
    return changed ? new Unit(unit.id(), unit.attributes(), cs) : unit;
  }
}
