package dev.plumb.labeler.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.Mustache;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.Rule;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compiles policy versions and the templates of a prompt directory into one {@link PromptBundle}:
 * the unified prompt that labels a unit against all of the policies at once (docs/prompts.md).
 *
 * <p>The templates are {@code system.mustache} (rendered once, here: it holds the policies, the
 * few-shot examples and the answer format) and {@code user.mustache} (rendered per unit, with the
 * unit's content as delimited data); every other {@code *.mustache} file in the directory is a
 * partial they may include. Policies are sorted by id, so the order they are given in does not
 * matter. Same inputs give a byte-identical bundle.
 */
public final class PromptCompiler {
  static final String SYSTEM = "system.mustache";
  static final String USER = "user.mustache";

  private PromptCompiler() {}

  /**
   * Compiles a bundle.
   *
   * @param policies one version of each policy to label against, in any order; not empty
   * @param promptsDir the template directory (normally {@code prompts/})
   * @param model the model settings that can change an answer; part of the fingerprint
   * @throws InputException when there are no policies, two versions of one policy, a template is
   *     missing or broken, or a template names a variable that does not exist (the message names the
   *     template file, line and variable)
   */
  public static PromptBundle compile(List<Policy> policies, Path promptsDir, ModelParams model) {
    Objects.requireNonNull(promptsDir, "promptsDir");
    Objects.requireNonNull(model, "model");
    return compile(policies, Templates.load(promptsDir), model);
  }

  static PromptBundle compile(List<Policy> policies, Templates templates, ModelParams model) {
    List<Policy> sorted = sortedUnique(policies);
    Mustache systemTemplate = templates.compile(SYSTEM);
    Mustache userTemplate = templates.compile(USER);

    Map<String, Object> base = baseContext(sorted);
    // Sections that render nothing leave blank lines behind; one blank line between blocks is enough.
    String system = templates.render(systemTemplate, base).replaceAll("\n{3,}", "\n\n").strip();
    ObjectNode schema = AnswerSchema.of(sorted);

    List<Bundle.PolicyVersion> versions = sorted.stream().map(p -> new Bundle.PolicyVersion(p.key(), p.title(), p.sha256())).toList();
    List<Bundle.Example> examples = new ArrayList<>();
    for (Policy p : sorted) {
      for (Example e : p.examples()) {
        if (e.inPrompt()) {
          examples.add(new Bundle.Example(p.key(), e.id(), e.decision(), e.category(), e.evidence(), e.reason(),
              componentsJson(e.unit())));
        }
      }
    }
    // the fingerprint is hashed over everything else, so it is written empty first, at its place
    ObjectNode json = Json.tree(new Bundle(PromptBundle.FORMAT, "", versions,
        new Bundle.Model(model.temperature(), model.maxOutputTokens()), UnitJson.FORMAT,
        new Bundle.Delimiters(PromptBundle.DATA_OPEN, PromptBundle.DATA_CLOSE), system, templates.sources(), schema, examples));
    ObjectNode hashed = json.deepCopy();
    hashed.remove("fingerprint");
    String fingerprint = Hashing.sha256(Json.canonical(hashed));
    json.put("fingerprint", fingerprint);

    PromptBundle bundle = new PromptBundle(sorted, model, fingerprint, system, schema, json, templates, userTemplate, base);
    bundle.probe();
    return bundle;
  }

  /**
   * {@code prompt.json} ({@link PromptBundle#FORMAT}, docs/formats.md): keys are the components in
   * snake_case, in component order; a null category is JSON {@code null}.
   *
   * @param templates each template file's source, by file name (sorted)
   * @param schema the answer's JSON Schema ({@link AnswerSchema})
   * @param examples the policies' examples marked for the prompt, policy by policy
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Bundle(String format, String fingerprint, List<PolicyVersion> policies, Model model, String unitEncoding,
      Delimiters delimiters, String system, Map<String, String> templates, JsonNode schema, List<Example> examples) {

    /** A compiled policy version: its key ({@code id@version}), title and file hash. */
    record PolicyVersion(String policy, String title, String sha256) {}

    /** The model parameters that are part of the fingerprint. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Model(double temperature, int maxOutputTokens) {}

    /** What the unit's data is wrapped in. */
    record Delimiters(String open, String close) {}

    /** A few-shot example as the prompt shows it; {@code components} as {@link #componentsJson}. */
    record Example(String policy, String id, String decision, String category, List<String> evidence, String reason,
        JsonNode components) {}
  }

  private static List<Policy> sortedUnique(List<Policy> policies) {
    if (policies == null || policies.isEmpty()) {
      throw new InputException(Problem.of("no policies to compile: name one with --policy, or mark a version active"));
    }
    Map<String, List<Policy>> byId = new TreeMap<>();
    for (Policy p : policies) {
      byId.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
    }
    List<Problem> problems = new ArrayList<>();
    byId.forEach((id, versions) -> {
      if (versions.size() > 1) {
        problems.add(Problem.of("policy " + id + " is given more than once ("
            + versions.stream().map(Policy::key).collect(Collectors.joining(", "))
            + "): a prompt labels against one version of each policy"));
      }
    });
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    List<Policy> sorted = new ArrayList<>(policies);
    sorted.sort(Comparator.comparing(Policy::id));
    return List.copyOf(sorted);
  }

  /** The context both templates see; docs/prompts.md lists every variable. */
  static Map<String, Object> baseContext(List<Policy> policies) {
    Map<String, Object> c = new LinkedHashMap<>();
    List<Map<String, Object>> ps = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      ps.add(policyContext(policies.get(i), i == policies.size() - 1));
    }
    c.put("policies", ps);
    c.put("policy_count", policies.size());
    c.put("policy_count_text", policies.size() == 1 ? "1 policy" : policies.size() + " policies");
    c.put("policy_ids", policies.stream().map(Policy::id).collect(Collectors.joining(", ")));
    c.put("rationale_max", AnswerSchema.RATIONALE_MAX_CHARS);
    c.put("data_open", PromptBundle.DATA_OPEN);
    c.put("data_close", PromptBundle.DATA_CLOSE);
    return c;
  }

  private static Map<String, Object> policyContext(Policy p, boolean last) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", p.id());
    c.put("version", p.version());
    c.put("key", p.key());
    c.put("title", p.title());
    c.put("summary", p.summary().strip());
    c.put("last", last);

    List<Map<String, Object>> decisions = new ArrayList<>();
    for (Decision d : p.decisions()) {
      Map<String, Object> dc = new LinkedHashMap<>();
      dc.put("id", d.id());
      dc.put("definition", d.definition().strip());
      dc.put("positive", d.positive());
      dc.put("takes_category", AnswerSchema.takesCategory(p, d));
      decisions.add(dc);
    }
    c.put("decisions", decisions);
    c.put("decision_choices", p.decisions().stream().map(d -> UnitJson.quote(d.id())).collect(Collectors.joining(" | ")));
    List<String> positives = p.decisions().stream().filter(Decision::positive).map(d -> UnitJson.quote(d.id())).toList();
    c.put("positive_decisions", String.join(" or ", positives));

    List<Map<String, Object>> categories = new ArrayList<>();
    for (Category cat : p.categories()) {
      Map<String, Object> cc = new LinkedHashMap<>();
      cc.put("id", cat.id());
      cc.put("title", cat.title());
      cc.put("definition", cat.definition().strip());
      cc.put("includes", cat.includes().stream().map(String::strip).toList());
      cc.put("excludes", cat.excludes().stream().map(String::strip).toList());
      categories.add(cc);
    }
    c.put("has_categories", !categories.isEmpty());
    c.put("categories", categories);
    c.put("category_choices", p.categories().stream().map(x -> UnitJson.quote(x.id())).collect(Collectors.joining(" | ")));

    c.put("has_rules", !p.rules().isEmpty());
    c.put("rules", rules(p.rules()));
    c.put("has_allowed", !p.allowed().isEmpty());
    c.put("allowed", rules(p.allowed()));

    List<Map<String, Object>> examples = new ArrayList<>();
    for (Example e : p.examples()) {
      if (!e.inPrompt()) {
        continue;
      }
      Map<String, Object> ec = new LinkedHashMap<>();
      ec.put("id", e.id());
      ec.put("unit_json", UnitJson.encode(e.unit(), comp -> comp.hasImage() ? PromptBundle.IMAGE_OMITTED : null));
      ec.put("decision", e.decision());
      ec.put("has_category", e.category() != null);
      ec.put("category", e.category() == null ? "null" : e.category());
      ec.put("category_json", e.category() == null ? "null" : UnitJson.quote(e.category()));
      ec.put("evidence_json", "[" + e.evidence().stream().map(UnitJson::quote).collect(Collectors.joining(", ")) + "]");
      ec.put("reason", e.reason().strip());
      examples.add(ec);
    }
    c.put("has_examples", !examples.isEmpty());
    c.put("examples", examples);
    return c;
  }

  private static List<Map<String, Object>> rules(List<Rule> rules) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Rule r : rules) {
      Map<String, Object> rc = new LinkedHashMap<>();
      rc.put("id", r.id());
      rc.put("has_context", r.context() != null && !r.context().isBlank());
      rc.put("context", r.context() == null ? "" : r.context().strip());
      rc.put("text", r.text().strip());
      out.add(rc);
    }
    return out;
  }

  static ArrayNode componentsJson(Unit unit) {
    ArrayNode a = Json.array();
    for (Component c : unit.components()) {
      ObjectNode o = a.addObject();
      o.put("id", c.id());
      o.put("kind", c.kind());
      o.put("text", c.text());
      if (c.hasImage()) {
        o.put("image", c.image());
      }
    }
    return a;
  }
}
