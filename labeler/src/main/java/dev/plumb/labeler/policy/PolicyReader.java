package dev.plumb.labeler.policy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.Entry;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.Problem;
import dev.plumb.core.Spelling;
import dev.plumb.core.YamlFields;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    YamlFields root = YamlFields.of(rootNode, source, YamlFields.collect(problems),
        "a mapping of policy fields (policy, version, title, ...)");
    if (root == null) {
      return null;
    }
    known(root, TOP_FIELDS);
    String id = name(root, "policy", true);
    if (id != null && !id.equals(folder)) {
      root.problem("policy", "\"" + id + "\" does not match its folder \"" + folder + "\"");
    }
    Long version = root.integer("version", true, 1, 999_999);
    if (version != null && version != fileVersion) {
      root.problem("version", version + " does not match the file name v" + fileVersion + ".yaml");
    }
    String title = root.string("title", true);
    PolicyStatus status = status(root);
    LocalDate effective = date(root, "effective", status != null && status != PolicyStatus.DRAFT);
    String owner = root.string("owner", true);
    String summary = root.string("summary", true);
    List<Decision> decisions = decisions(root);
    List<Category> categories = root.list("categories", false, this::category);
    List<Rule> rules = root.list("rules", false, (n, p) -> rule(n, RULE_FIELDS, false));
    List<Rule> allowed = root.list("allowed", false, (n, p) -> rule(n, ALLOWED_FIELDS, true));
    duplicates(root, "categories", "category");
    duplicates(root, "rules", "rule");
    duplicates(root, "allowed", "allowed");
    List<Example> examples = examples(root, decisions, categories, complete(root.node("categories"), categories));
    List<String> changes = root.strings("changes");
    if (changes != null && changes.isEmpty() && version != null && version > 1) {
      Node c = root.node("changes");
      root.problem("changes", (c == null || YamlFields.isNull(c) ? "missing" : "empty")
          + "; from version 2 on, list what changed from the previous version");
    }
    if (id == null || version == null || title == null || status == null || summary == null || owner == null) {
      return null;
    }
    try {
      return new Policy(id, version.intValue(), title, status, effective, owner, summary, decisions, categories,
          rules, allowed, examples, changes == null ? List.of() : changes, fingerprint(root.map()));
    } catch (RuntimeException e) {
      // only reachable when a check above already reported the cause
      return null;
    }
  }

  private PolicyStatus status(YamlFields root) {
    String s = root.string("status", true);
    if (s == null) {
      return null;
    }
    for (PolicyStatus st : PolicyStatus.values()) {
      if (st.yamlName().equals(s)) {
        return st;
      }
    }
    List<String> names = List.of("draft", "active", "retired");
    root.problem("status", "expected draft, active or retired, got \"" + s + "\"" + Spelling.aside(s, names));
    return null;
  }

  private LocalDate date(YamlFields m, String key, boolean required) {
    if (required && m.node(key) == null) {
      m.problemHere(key, "missing; an active or retired version says when it takes effect (YYYY-MM-DD)");
      return null;
    }
    String s = m.string(key, required);
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      m.problem(key, "expected a date YYYY-MM-DD, got \"" + s + "\"");
      return null;
    }
  }

  private List<Decision> decisions(YamlFields root) {
    List<Decision> decisions = root.list("decisions", true, (n, p) -> decision(n));
    duplicates(root, "decisions", "decision");
    Node node = root.node("decisions");
    if (node instanceof SeqNode seq && !seq.items().isEmpty() && complete(node, decisions)) {
      if (decisions.stream().noneMatch(Decision::positive)) {
        root.problem("decisions", "no positive decision; mark the one that counts toward prevalence with positive: true");
      } else if (decisions.stream().allMatch(Decision::positive)) {
        root.problem("decisions", "every decision is positive; a policy needs at least one that is not (e.g. safe)");
      }
    }
    return decisions;
  }

  private YamlFields fields(Node n) {
    return YamlFields.of(n, source, YamlFields.collect(problems), "a mapping");
  }

  /** {@code n}'s fields, each checked against {@code known}; null (reported) when it is not a mapping. */
  private YamlFields fields(Node n, List<String> known) {
    YamlFields m = fields(n);
    if (m != null) {
      known(m, known);
    }
    return m;
  }

  private Decision decision(Node n) {
    YamlFields m = fields(n, DECISION_FIELDS);
    if (m == null) {
      return null;
    }
    String id = name(m, "id", true);
    String definition = m.string("definition", true);
    Boolean positive = m.bool("positive", true);
    return id == null || definition == null || positive == null ? null : new Decision(id, definition, positive);
  }

  private Category category(Node n, String path) {
    YamlFields m = fields(n, CATEGORY_FIELDS);
    if (m == null) {
      return null;
    }
    String id = name(m, "id", true);
    String title = m.string("title", false);
    String definition = m.string("definition", true);
    List<String> includes = m.strings("includes");
    List<String> excludes = m.strings("excludes");
    return id == null || definition == null || includes == null || excludes == null
        ? null
        : new Category(id, title, definition, includes, excludes);
  }

  private Rule rule(Node n, List<String> fields, boolean withContext) {
    YamlFields m = fields(n, fields);
    if (m == null) {
      return null;
    }
    String id = label(m, "id", true);
    String context = withContext ? m.string("context", true) : null;
    String text = m.string("text", true);
    return id == null || text == null || (withContext && context == null) ? null : new Rule(id, context, text);
  }

  /**
   * Examples are checked against the decisions and categories; when either list had problems of
   * its own, references into it are not checked (they would only repeat the same problem).
   */
  private List<Example> examples(
      YamlFields root, List<Decision> decisions, List<Category> categories, boolean categoriesComplete) {
    Map<String, Decision> byId = new LinkedHashMap<>();
    decisions.forEach(d -> byId.putIfAbsent(d.id(), d));
    List<String> categoryIds = categories.stream().map(Category::id).distinct().toList();
    boolean decisionsComplete = !decisions.isEmpty() && complete(root.node("decisions"), decisions);
    List<Example> examples = root.list("examples", false,
        (n, p) -> example(n, byId, decisionsComplete, categoryIds, categoriesComplete));
    duplicates(root, "examples", "example");
    return examples;
  }

  /** Whether every item of a list node was read without problems. */
  private static boolean complete(Node listNode, List<?> read) {
    if (listNode == null || YamlFields.isNull(listNode)) {
      return true;
    }
    return listNode instanceof SeqNode seq && seq.items().size() == read.size();
  }

  private Example example(
      Node n, Map<String, Decision> decisions, boolean decisionsComplete, List<String> categories,
      boolean categoriesComplete) {
    YamlFields m = fields(n, EXAMPLE_FIELDS);
    if (m == null) {
      return null;
    }
    int before = problems.size();
    String id = label(m, "id", true);
    String decisionId = m.string("decision", true);
    String category = m.string("category", false);
    String reason = m.string("reason", true);
    Boolean inPrompt = m.bool("in_prompt", false);
    List<String> evidence = m.strings("evidence");
    Unit unit = exampleUnit(m, id == null ? "example" : id);

    Decision decision = decisions.get(decisionId);
    if (decisionId != null && decision == null && decisionsComplete) {
      m.problem("decision", "unknown decision \"" + decisionId + "\"" + Spelling.aside(decisionId, decisions.keySet())
          + "; decisions are: " + String.join(", ", decisions.keySet()));
    }
    if (category != null && categoriesComplete) {
      if (!categories.contains(category)) {
        m.problem("category", "unknown category \"" + category + "\"" + Spelling.aside(category, categories)
            + (categories.isEmpty() ? "; this policy defines no categories" : "; categories are: " + String.join(", ", categories)));
      } else if (decision != null && !decision.positive()) {
        m.problem("category", "only a positive decision takes a category; \"" + decision.id() + "\" is not positive");
      }
    } else if (category == null && decision != null && decision.positive() && !categories.isEmpty()) {
      m.problemHere("category",
          "missing; a \"" + decision.id() + "\" example names its category (one of: " + String.join(", ", categories) + ")");
    }
    if (unit != null && evidence != null) {
      evidence = evidence(m, unit, decision, evidence);
    }
    if (problems.size() != before || id == null || unit == null || decisionId == null || reason == null) {
      return null;
    }
    return new Example(id, unit, decisionId, category, reason, inPrompt != null && inPrompt, evidence);
  }

  /** Checks an example's evidence against its components; a single component is its own evidence. */
  private List<String> evidence(YamlFields m, Unit unit, Decision decision, List<String> evidence) {
    List<String> componentIds = unit.components().stream().map(Component::id).toList();
    List<Node> items = m.node("evidence") instanceof SeqNode s ? s.items() : List.of();
    for (int i = 0; i < evidence.size(); i++) {
      String e = evidence.get(i);
      if (!componentIds.contains(e)) {
        m.problemAt(items.get(i), "no component \"" + e + "\" in this example" + Spelling.aside(e, componentIds)
            + "; components are: " + String.join(", ", componentIds));
      } else if (evidence.indexOf(e) != i) {
        m.problemAt(items.get(i), "\"" + e + "\" is listed twice");
      }
    }
    if (evidence.isEmpty() && decision != null && decision.positive()) {
      if (componentIds.size() == 1) {
        return componentIds;
      }
      m.problem("evidence",
          "missing; a \"" + decision.id() + "\" example with several components names the ones that violate");
    }
    return evidence;
  }

  private Unit exampleUnit(YamlFields m, String id) {
    Node textNode = m.node("text");
    Node unitNode = m.node("unit");
    if (textNode != null && unitNode != null) {
      m.problemAtKey("unit", "give either text (a single text component) or unit, not both");
      return null;
    }
    if (textNode == null && unitNode == null) {
      m.problemHere("", "missing the content: give text (a single text component) or unit (components)");
      return null;
    }
    if (textNode != null) {
      String text = m.string("text", true);
      return text == null ? null : Unit.ofText(id, text);
    }
    YamlFields u = fields(unitNode, UNIT_FIELDS);
    if (u == null) {
      return null;
    }
    int before = problems.size();
    Map<String, String> attributes = attributes(u);
    List<Component> components = u.list("components", true, (n, p) -> component(n));
    duplicates(u, "components", "component");
    if (problems.size() != before || components.isEmpty() || attributes == null) {
      return null;
    }
    return new Unit(id, attributes, components);
  }

  private Component component(Node n) {
    YamlFields m = fields(n, COMPONENT_FIELDS);
    if (m == null) {
      return null;
    }
    String id = label(m, "id", true);
    String kind = name(m, "kind", false);
    int before = problems.size();
    String text = m.rawString("text");
    String image = m.string("image", false);
    if (problems.size() == before && (text == null || text.isEmpty()) && image == null) {
      m.problemHere("", "needs text or an image");
      return null;
    }
    return id == null ? null : new Component(id, kind == null ? "text" : kind, text == null ? "" : text, image);
  }

  private Map<String, String> attributes(YamlFields u) {
    Node a = u.node("attributes");
    if (a == null || YamlFields.isNull(a)) {
      return Map.of();
    }
    YamlFields m = fields(a);
    if (m == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : m.map().entries().values()) {
      if (e.value() instanceof Scalar s && !s.isNull() && s.token() != JsonToken.VALUE_EMBEDDED_OBJECT) {
        out.put(e.key(), s.text());
      } else {
        m.problemAt(e.value(), "expected a string, got " + e.value().describe());
      }
    }
    return out;
  }

  // ---- policy-specific field checks, on top of YamlFields --------------------------------------

  private static void known(YamlFields m, List<String> fields) {
    m.only(fields, (key, suggestion) -> "unknown field"
        + (suggestion.isEmpty() ? "; expected one of: " + String.join(", ", fields) : YamlFields.aside(suggestion)));
  }

  /** Reports every repeated id at its second (third, ...) occurrence. */
  private static void duplicates(YamlFields m, String key, String what) {
    if (!(m.node(key) instanceof SeqNode seq)) {
      return;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (Node i : seq.items()) {
      if (i instanceof MapNode item && item.get("id") instanceof Scalar s && s.isString()) {
        Integer first = firstLine.putIfAbsent(s.text(), s.position().line());
        if (first != null) {
          m.problemAt(s, "duplicate " + what + " id \"" + s.text() + "\" (first at line " + first + ")");
        }
      }
    }
  }

  private static String name(YamlFields m, String key, boolean required) {
    return matching(m, key, required, NAME, "lowercase letters, digits and _, starting with a letter");
  }

  private static String label(YamlFields m, String key, boolean required) {
    return matching(m, key, required, LABEL, "letters, digits, _, . and -, no spaces");
  }

  private static String matching(YamlFields m, String key, boolean required, Pattern pattern, String rule) {
    String s = m.string(key, required);
    if (s != null && !pattern.matcher(s).matches()) {
      m.problem(key, "\"" + s + "\" is not a valid id (" + rule + ")");
      return null;
    }
    return s;
  }

  /** Field names of every object level, for the JSON Schema test. */
  static Set<String> allFieldNames() {
    return java.util.stream.Stream.of(TOP_FIELDS, DECISION_FIELDS, CATEGORY_FIELDS, RULE_FIELDS, ALLOWED_FIELDS,
            EXAMPLE_FIELDS, UNIT_FIELDS, COMPONENT_FIELDS)
        .flatMap(List::stream)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
