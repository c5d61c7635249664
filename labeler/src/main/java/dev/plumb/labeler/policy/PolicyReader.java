package dev.plumb.labeler.policy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.Entry;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Position;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.Problem;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns one policy version file into a {@link Policy}, reporting every problem it finds with its
 * line, column and field path (docs/policies.md lists the rules). Not thread-safe; one per file.
 */
final class PolicyReader {
  static final List<String> TOP_FIELDS =
      List.of("policy", "version", "title", "status", "effective", "owner", "summary",
          "decisions", "categories", "rules", "allowed", "examples", "changes");
  static final List<String> DECISION_FIELDS = List.of("id", "definition", "positive");
  static final List<String> CATEGORY_FIELDS = List.of("id", "title", "definition", "includes", "excludes");
  static final List<String> RULE_FIELDS = List.of("id", "text");
  static final List<String> ALLOWED_FIELDS = List.of("id", "context", "text");
  static final List<String> EXAMPLE_FIELDS =
      List.of("id", "decision", "category", "reason", "in_prompt", "evidence", "text", "unit");
  static final List<String> UNIT_FIELDS = List.of("components", "attributes");
  static final List<String> COMPONENT_FIELDS = List.of("id", "kind", "text", "image");

  /** Ids of decisions and categories: they become JSON enum values and label fields. */
  static final Pattern NAME = PolicyRef.ID;
  /** Ids of rules, allowed contexts, examples and components: e.g. R3, A2, sh-07, pin-1. */
  static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /**
   * Policy files are reviewed line by line and hashed: stricter than YAML (docs/policies.md), and a
   * key written twice says what YAML would have done with it.
   */
  static final LocatedYaml.Kind POLICY_FILE = LocatedYaml.Kind.reviewed("policy file")
      .withDuplicateKey("duplicate key (first at line %d); YAML would silently keep only the last one");

  private final String source;
  private final List<Problem> problems;

  private PolicyReader(String source, List<Problem> problems) {
    this.source = source;
    this.problems = problems;
  }

  /**
   * Reads one version file.
   *
   * @param folder the policy folder's name, which the {@code policy} field must equal
   * @param fileVersion the N of {@code vN.yaml}, which the {@code version} field must equal
   * @return the policy, or {@code null} when the file has problems (all added to {@code problems})
   */
  static Policy read(byte[] bytes, String source, String folder, int fileVersion, List<Problem> problems) {
    int before = problems.size();
    Node root = parse(bytes, source, problems);
    if (root == null) {
      return null;
    }
    Policy policy = new PolicyReader(source, problems).policy(root, folder, fileVersion);
    return problems.size() == before ? policy : null;
  }

  /** A policy file's located document, or null after a problem (added to {@code problems}). */
  static Node parse(byte[] bytes, String source, List<Problem> problems) {
    LocatedYaml doc = LocatedYaml.parse(bytes, source, POLICY_FILE, problems);
    if (doc.isEmpty()) {
      problems.add(Problem.at(source, 0, 0, "", "empty file; expected a policy (policy, version, title, ...)"));
    }
    return doc.root();
  }

  /**
   * The canonical content digest: {@code sha256} of {@link Json#canonical} of the parsed YAML tree
   * with the top-level {@code status} field removed. Keys are sorted, so key order, comments,
   * quoting style, flow vs block style and indentation do not count; every change to a value,
   * to list order, or to a string's characters (including a trailing newline from {@code |} vs
   * {@code |-}) does. {@code status} is left out because retiring or activating a version is a
   * lifecycle event, not a change to what the policy says.
   */
  static String fingerprint(Node root) {
    ObjectNode tree = (ObjectNode) root.json();
    tree.remove("status");
    return Hashing.sha256(Json.canonical(tree));
  }

  private Policy policy(Node rootNode, String folder, int fileVersion) {
    if (!(rootNode instanceof MapNode root)) {
      problem(rootNode.position(), "",
          "expected a mapping of policy fields (policy, version, title, ...), got " + rootNode.describe());
      return null;
    }
    known(root, "", TOP_FIELDS);
    String id = name(root, "policy", "", true);
    if (id != null && !id.equals(folder)) {
      problem(root.get("policy").position(), "policy",
          "\"" + id + "\" does not match its folder \"" + folder + "\"");
    }
    Long version = integer(root, "version", "");
    if (version != null && version != fileVersion) {
      problem(root.get("version").position(), "version",
          version + " does not match the file name v" + fileVersion + ".yaml");
    }
    String title = string(root, "title", "", true);
    PolicyStatus status = status(root);
    LocalDate effective = date(root, "effective", status != null && status != PolicyStatus.DRAFT);
    String owner = string(root, "owner", "", true);
    String summary = string(root, "summary", "", true);
    List<Decision> decisions = decisions(root);
    List<Category> categories = list(root, "categories", false, this::category);
    List<Rule> rules = list(root, "rules", false, (n, p) -> rule(n, p, RULE_FIELDS, false));
    List<Rule> allowed = list(root, "allowed", false, (n, p) -> rule(n, p, ALLOWED_FIELDS, true));
    duplicates(root, "categories", "category", "");
    duplicates(root, "rules", "rule", "");
    duplicates(root, "allowed", "allowed", "");
    List<Example> examples = examples(root, decisions, categories, complete(root.get("categories"), categories));
    List<String> changes = strings(root, "changes", "");
    if (changes != null && changes.isEmpty() && version != null && version > 1) {
      Node c = root.get("changes");
      problem(c == null ? root.position() : c.position(), "changes",
          (c == null || isNull(c) ? "missing" : "empty")
              + "; from version 2 on, list what changed from the previous version");
    }
    if (id == null || version == null || title == null || status == null || summary == null || owner == null) {
      return null;
    }
    try {
      return new Policy(id, version.intValue(), title, status, effective, owner, summary, decisions, categories,
          rules, allowed, examples, changes == null ? List.of() : changes, fingerprint(root));
    } catch (RuntimeException e) {
      // only reachable when a check above already reported the cause
      return null;
    }
  }

  private PolicyStatus status(MapNode root) {
    String s = string(root, "status", "", true);
    if (s == null) {
      return null;
    }
    for (PolicyStatus st : PolicyStatus.values()) {
      if (st.yamlName().equals(s)) {
        return st;
      }
    }
    List<String> names = List.of("draft", "active", "retired");
    problem(root.get("status").position(), "status",
        "expected draft, active or retired, got \"" + s + "\"" + Spelling.hint(s, names));
    return null;
  }

  private LocalDate date(MapNode m, String key, boolean required) {
    if (required && m.get(key) == null) {
      problem(m.position(), key, "missing; an active or retired version says when it takes effect (YYYY-MM-DD)");
      return null;
    }
    String s = string(m, key, "", required);
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      problem(m.get(key).position(), key, "expected a date YYYY-MM-DD, got \"" + s + "\"");
      return null;
    }
  }

  private List<Decision> decisions(MapNode root) {
    List<Decision> decisions = list(root, "decisions", true, this::decision);
    duplicates(root, "decisions", "decision", "");
    Node node = root.get("decisions");
    if (node instanceof SeqNode seq && !seq.items().isEmpty() && complete(node, decisions)) {
      if (decisions.stream().noneMatch(Decision::positive)) {
        problem(seq.position(), "decisions",
            "no positive decision; mark the one that counts toward prevalence with positive: true");
      } else if (decisions.stream().allMatch(Decision::positive)) {
        problem(seq.position(), "decisions",
            "every decision is positive; a policy needs at least one that is not (e.g. safe)");
      }
    }
    return decisions;
  }

  private Decision decision(Node n, String path) {
    MapNode m = map(n, path);
    if (m == null) {
      return null;
    }
    known(m, path, DECISION_FIELDS);
    String id = name(m, "id", path, true);
    String definition = string(m, "definition", path, true);
    Boolean positive = bool(m, "positive", path, true);
    return id == null || definition == null || positive == null ? null : new Decision(id, definition, positive);
  }

  private Category category(Node n, String path) {
    MapNode m = map(n, path);
    if (m == null) {
      return null;
    }
    known(m, path, CATEGORY_FIELDS);
    String id = name(m, "id", path, true);
    String title = string(m, "title", path, false);
    String definition = string(m, "definition", path, true);
    List<String> includes = strings(m, "includes", path);
    List<String> excludes = strings(m, "excludes", path);
    return id == null || definition == null || includes == null || excludes == null
        ? null
        : new Category(id, title, definition, includes, excludes);
  }

  private Rule rule(Node n, String path, List<String> fields, boolean withContext) {
    MapNode m = map(n, path);
    if (m == null) {
      return null;
    }
    known(m, path, fields);
    String id = label(m, "id", path, true);
    String context = withContext ? string(m, "context", path, true) : null;
    String text = string(m, "text", path, true);
    return id == null || text == null || (withContext && context == null) ? null : new Rule(id, context, text);
  }

  /**
   * Examples are checked against the decisions and categories; when either list had problems of
   * its own, references into it are not checked (they would only repeat the same problem).
   */
  private List<Example> examples(
      MapNode root, List<Decision> decisions, List<Category> categories, boolean categoriesComplete) {
    Map<String, Decision> byId = new LinkedHashMap<>();
    decisions.forEach(d -> byId.putIfAbsent(d.id(), d));
    List<String> categoryIds = categories.stream().map(Category::id).distinct().toList();
    boolean decisionsComplete = !decisions.isEmpty() && complete(root.get("decisions"), decisions);
    List<Example> examples =
        list(root, "examples", false,
            (n, p) -> example(n, p, byId, decisionsComplete, categoryIds, categoriesComplete));
    duplicates(root, "examples", "example", "");
    return examples;
  }

  /** Whether every item of a list node was read without problems. */
  private static boolean complete(Node listNode, List<?> read) {
    if (listNode == null || isNull(listNode)) {
      return true;
    }
    return listNode instanceof SeqNode seq && seq.items().size() == read.size();
  }

  private Example example(
      Node n, String path, Map<String, Decision> decisions, boolean decisionsComplete, List<String> categories,
      boolean categoriesComplete) {
    MapNode m = map(n, path);
    if (m == null) {
      return null;
    }
    known(m, path, EXAMPLE_FIELDS);
    int before = problems.size();
    String id = label(m, "id", path, true);
    String decisionId = string(m, "decision", path, true);
    String category = string(m, "category", path, false);
    String reason = string(m, "reason", path, true);
    Boolean inPrompt = bool(m, "in_prompt", path, false);
    List<String> evidence = strings(m, "evidence", path);
    Unit unit = exampleUnit(m, path, id == null ? "example" : id);

    Decision decision = decisions.get(decisionId);
    if (decisionId != null && decision == null && decisionsComplete) {
      problem(m.get("decision").position(), join(path, "decision"),
          "unknown decision \"" + decisionId + "\"" + Spelling.hint(decisionId, decisions.keySet())
              + "; decisions are: " + String.join(", ", decisions.keySet()));
    }
    if (category != null && categoriesComplete) {
      if (!categories.contains(category)) {
        problem(m.get("category").position(), join(path, "category"),
            "unknown category \"" + category + "\"" + Spelling.hint(category, categories)
                + (categories.isEmpty() ? "; this policy defines no categories" : "; categories are: " + String.join(", ", categories)));
      } else if (decision != null && !decision.positive()) {
        problem(m.get("category").position(), join(path, "category"),
            "only a positive decision takes a category; \"" + decision.id() + "\" is not positive");
      }
    } else if (category == null && decision != null && decision.positive() && !categories.isEmpty()) {
      problem(m.position(), join(path, "category"),
          "missing; a \"" + decision.id() + "\" example names its category (one of: " + String.join(", ", categories) + ")");
    }
    if (unit != null && evidence != null) {
      List<String> componentIds = unit.components().stream().map(Component::id).toList();
      SeqNode evidenceNode = asSeq(m.get("evidence"));
      for (int i = 0; i < evidence.size(); i++) {
        String e = evidence.get(i);
        Position at = evidenceNode.items().get(i).position();
        if (!componentIds.contains(e)) {
          problem(at, join(path, "evidence") + "[" + i + "]",
              "no component \"" + e + "\" in this example" + Spelling.hint(e, componentIds)
                  + "; components are: " + String.join(", ", componentIds));
        } else if (evidence.indexOf(e) != i) {
          problem(at, join(path, "evidence") + "[" + i + "]", "\"" + e + "\" is listed twice");
        }
      }
      if (evidence.isEmpty() && decision != null && decision.positive()) {
        if (componentIds.size() == 1) {
          evidence = componentIds;
        } else {
          Node en = m.get("evidence");
          problem(en == null ? m.position() : en.position(), join(path, "evidence"),
              "missing; a \"" + decision.id() + "\" example with several components names the ones that violate");
        }
      }
    }
    if (problems.size() != before || id == null || unit == null || decisionId == null || reason == null) {
      return null;
    }
    return new Example(id, unit, decisionId, category, reason, inPrompt != null && inPrompt, evidence);
  }

  private static SeqNode asSeq(Node evidence) {
    return evidence instanceof SeqNode s ? s : new SeqNode("", Position.UNKNOWN, List.of());
  }

  private Unit exampleUnit(MapNode m, String path, String id) {
    Node textNode = m.get("text");
    Node unitNode = m.get("unit");
    if (textNode != null && unitNode != null) {
      problem(m.entries().get("unit").keyPosition(), join(path, "unit"),
          "give either text (a single text component) or unit, not both");
      return null;
    }
    if (textNode == null && unitNode == null) {
      problem(m.position(), path, "missing the content: give text (a single text component) or unit (components)");
      return null;
    }
    if (textNode != null) {
      String text = string(m, "text", path, true);
      return text == null ? null : Unit.ofText(id, text);
    }
    String unitPath = join(path, "unit");
    MapNode u = map(unitNode, unitPath);
    if (u == null) {
      return null;
    }
    known(u, unitPath, UNIT_FIELDS);
    int before = problems.size();
    Map<String, String> attributes = attributes(u, unitPath);
    List<Component> components = list(u, "components", true, this::component, unitPath);
    duplicates(u, "components", "component", unitPath);
    if (problems.size() != before || components.isEmpty() || attributes == null) {
      return null;
    }
    return new Unit(id, attributes, components);
  }

  private Component component(Node n, String path) {
    MapNode m = map(n, path);
    if (m == null) {
      return null;
    }
    known(m, path, COMPONENT_FIELDS);
    String id = label(m, "id", path, true);
    String kind = name(m, "kind", path, false);
    int before = problems.size();
    Node textNode = m.get("text");
    String text = textNode == null || isNull(textNode) ? null : rawString(m, "text", path);
    String image = string(m, "image", path, false);
    if (problems.size() == before && (text == null || text.isEmpty()) && image == null) {
      problem(m.position(), path, "needs text or an image");
      return null;
    }
    return id == null ? null : new Component(id, kind == null ? "text" : kind, text == null ? "" : text, image);
  }

  private Map<String, String> attributes(MapNode u, String path) {
    Node a = u.get("attributes");
    String field = join(path, "attributes");
    if (a == null || isNull(a)) {
      return Map.of();
    }
    MapNode m = map(a, field);
    if (m == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      if (e.value() instanceof Scalar s && !s.isNull() && s.token() != JsonToken.VALUE_EMBEDDED_OBJECT) {
        out.put(e.key(), s.text());
      } else {
        problem(e.value().position(), join(field, e.key()), "expected a string, got " + e.value().describe());
      }
    }
    return out;
  }

  // ---- generic field readers: each reports its own problem and returns null on failure ----

  private void known(MapNode m, String path, List<String> fields) {
    for (Entry e : m.entries().values()) {
      if (!fields.contains(e.key())) {
        String hint = Spelling.hint(e.key(), fields);
        problem(e.keyPosition(), join(path, e.key()),
            "unknown field" + (hint.isEmpty() ? "; expected one of: " + String.join(", ", fields) : hint));
      }
    }
  }

  private MapNode map(Node n, String path) {
    if (n instanceof MapNode m) {
      return m;
    }
    problem(n.position(), path, "expected a mapping, got " + n.describe());
    return null;
  }

  /** A list field whose items each become a T (null items were reported and are skipped). */
  private <T> List<T> list(MapNode m, String key, boolean required, BiFunction<Node, String, T> item) {
    return list(m, key, required, item, "");
  }

  private <T> List<T> list(MapNode m, String key, boolean required, BiFunction<Node, String, T> item, String path) {
    Node n = m.get(key);
    String field = join(path, key);
    if (n == null || isNull(n)) {
      if (required) {
        problem(n == null ? m.position() : n.position(), field, n == null ? "missing" : "expected a non-empty list, got nothing");
      }
      return List.of();
    }
    if (!(n instanceof SeqNode seq)) {
      problem(n.position(), field, "expected a list, got " + n.describe());
      return List.of();
    }
    if (required && seq.items().isEmpty()) {
      problem(seq.position(), field, "expected a non-empty list");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      T t = item.apply(seq.items().get(i), field + "[" + i + "]");
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Reports every repeated id at its second (third, ...) occurrence. */
  private void duplicates(MapNode m, String key, String what, String path) {
    if (!(m.get(key) instanceof SeqNode seq)) {
      return;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    String field = join(path, key);
    for (int i = 0; i < seq.items().size(); i++) {
      if (seq.items().get(i) instanceof MapNode item && item.get("id") instanceof Scalar s && s.isString()) {
        Integer first = firstLine.putIfAbsent(s.text(), s.position().line());
        if (first != null) {
          problem(s.position(), field + "[" + i + "].id",
              "duplicate " + what + " id \"" + s.text() + "\" (first at line " + first + ")");
        }
      }
    }
  }

  private String name(MapNode m, String key, String path, boolean required) {
    return matching(m, key, path, required, NAME, "lowercase letters, digits and _, starting with a letter");
  }

  private String label(MapNode m, String key, String path, boolean required) {
    return matching(m, key, path, required, LABEL, "letters, digits, _, . and -, no spaces");
  }

  private String matching(MapNode m, String key, String path, boolean required, Pattern pattern, String rule) {
    String s = string(m, key, path, required);
    if (s != null && !pattern.matcher(s).matches()) {
      problem(m.get(key).position(), join(path, key), "\"" + s + "\" is not a valid id (" + rule + ")");
      return null;
    }
    return s;
  }

  /** A non-blank string, stripped of surrounding whitespace. */
  private String string(MapNode m, String key, String path, boolean required) {
    Node n = m.get(key);
    String field = join(path, key);
    if (n == null || (!required && isNull(n))) {
      if (required) {
        problem(m.position(), field, "missing");
      }
      return null;
    }
    if (!(n instanceof Scalar s) || !s.isString()) {
      problem(n.position(), field, "expected a string, got " + n.describe() + quoteHint(n));
      return null;
    }
    if (s.text().isBlank()) {
      problem(n.position(), field, "must not be empty");
      return null;
    }
    return s.text().strip();
  }

  /** A string kept exactly as written (component text is data, not prose to tidy). */
  private String rawString(MapNode m, String key, String path) {
    Node n = m.get(key);
    if (!(n instanceof Scalar s) || !s.isString()) {
      problem(n.position(), join(path, key), "expected a string, got " + n.describe() + quoteHint(n));
      return null;
    }
    return s.text();
  }

  private static String quoteHint(Node n) {
    if (n instanceof Scalar s && !s.isString() && !s.isNull()) {
      return " (put it in quotes: \"" + s.text() + "\")";
    }
    return "";
  }

  /** For a quoted {@code "true"} or {@code "2"} where a boolean or number belongs. */
  private static String unquoteHint(Node n) {
    if (n instanceof Scalar s && s.isString() && s.text().matches("true|false|[0-9]+")) {
      return " (remove the quotes)";
    }
    return "";
  }

  private Long integer(MapNode m, String key, String path) {
    Node n = m.get(key);
    String field = join(path, key);
    if (n == null) {
      problem(m.position(), field, "missing");
      return null;
    }
    if (!(n instanceof Scalar s) || s.token() != JsonToken.VALUE_NUMBER_INT || !s.value().canConvertToLong()) {
      problem(n.position(), field, "expected a whole number, got " + n.describe() + unquoteHint(n));
      return null;
    }
    long v = s.value().longValue();
    if (v < 1 || v > 999_999) {
      problem(n.position(), field, "expected a whole number from 1 to 999999, got " + v);
      return null;
    }
    return v;
  }

  private Boolean bool(MapNode m, String key, String path, boolean required) {
    Node n = m.get(key);
    String field = join(path, key);
    if (n == null) {
      if (required) {
        problem(m.position(), field, "missing (true or false)");
      }
      return null;
    }
    if (n instanceof Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
      return s.token() == JsonToken.VALUE_TRUE;
    }
    problem(n.position(), field, "expected true or false, got " + n.describe() + unquoteHint(n));
    return null;
  }

  /** A list of non-empty strings; absent or null is an empty list; null on a problem. */
  private List<String> strings(MapNode m, String key, String path) {
    Node n = m.get(key);
    String field = join(path, key);
    if (n == null || isNull(n)) {
      return List.of();
    }
    if (!(n instanceof SeqNode seq)) {
      problem(n.position(), field, "expected a list of strings, got " + n.describe());
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.items().size(); i++) {
      Node item = seq.items().get(i);
      if (!(item instanceof Scalar s) || !s.isString()) {
        problem(item.position(), field + "[" + i + "]", "expected a string, got " + item.describe() + quoteHint(item));
        ok = false;
      } else if (s.text().isBlank()) {
        problem(item.position(), field + "[" + i + "]", "must not be empty");
        ok = false;
      } else {
        out.add(s.text().strip());
      }
    }
    return ok ? out : null;
  }

  private static boolean isNull(Node n) {
    return n instanceof Scalar s && s.isNull();
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private void problem(Position at, String field, String message) {
    problems.add(Problem.at(source, at.line(), at.column(), field, message));
  }

  /** Field names of every object level, for the JSON Schema test. */
  static Set<String> allFieldNames() {
    return java.util.stream.Stream.of(TOP_FIELDS, DECISION_FIELDS, CATEGORY_FIELDS, RULE_FIELDS, ALLOWED_FIELDS,
            EXAMPLE_FIELDS, UNIT_FIELDS, COMPONENT_FIELDS)
        .flatMap(List::stream)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
