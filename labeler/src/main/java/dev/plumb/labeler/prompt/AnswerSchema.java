package dev.plumb.labeler.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import java.util.List;

/**
 * The JSON Schema (draft 2020-12) of a model's answer: one object per policy, named by the policy
 * id, with {@code rationale}, {@code evidence}, {@code decision}, {@code category} and
 * {@code confidence} — in that order, so a model that writes fields in schema order explains before
 * it decides. Every object has {@code additionalProperties: false} and lists all its properties as
 * required; {@code category} is nullable through a type array, as OpenAI's strict structured
 * outputs require.
 */
final class AnswerSchema {
  /** The longest rationale accepted, in characters (Java chars). */
  static final int RATIONALE_MAX_CHARS = 400;

  static final List<String> FIELDS = List.of("rationale", "evidence", "decision", "category", "confidence");

  private AnswerSchema() {}

  /** Whether an answer with {@code decision} must name a category: positive decisions of a policy with categories. */
  static boolean takesCategory(Policy policy, Decision decision) {
    return decision.positive() && !policy.categories().isEmpty();
  }

  static ObjectNode of(List<Policy> policies) {
    ObjectNode root = Json.object();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("title", "plumb answer");
    root.put("description", "One answer per policy, keyed by policy id.");
    root.put("type", "object");
    ObjectNode props = root.putObject("properties");
    for (Policy p : policies) {
      props.set(p.id(), policyAnswer(p));
    }
    ArrayNode required = root.putArray("required");
    policies.forEach(p -> required.add(p.id()));
    root.put("additionalProperties", false);
    return root;
  }

  private static ObjectNode policyAnswer(Policy p) {
    ObjectNode o = Json.object();
    o.put("type", "object");
    o.put("description", "The answer for policy " + p.key() + " (" + p.title() + ").");
    ObjectNode props = o.putObject("properties");

    ObjectNode rationale = props.putObject("rationale");
    rationale.put("type", "string");
    rationale.put("maxLength", RATIONALE_MAX_CHARS);
    rationale.put("description", "Why, naming the rule or allowed context that decided it; at most "
        + RATIONALE_MAX_CHARS + " characters.");

    ObjectNode evidence = props.putObject("evidence");
    evidence.put("type", "array");
    evidence.putObject("items").put("type", "string");
    evidence.put("description", "Ids of the unit's components the decision rests on.");

    ObjectNode decision = props.putObject("decision");
    decision.put("type", "string");
    ArrayNode decisions = decision.putArray("enum");
    p.decisions().forEach(d -> decisions.add(d.id()));

    ObjectNode category = props.putObject("category");
    if (p.categories().isEmpty()) {
      category.put("type", "null");
      category.put("description", "Always null: this policy has no categories.");
    } else {
      ArrayNode type = category.putArray("type");
      type.add("string");
      type.add("null");
      ArrayNode cats = category.putArray("enum");
      for (Category c : p.categories()) {
        cats.add(c.id());
      }
      cats.addNull();
      category.put("description", "The category of a violation; null for any other decision.");
    }

    ObjectNode confidence = props.putObject("confidence");
    confidence.put("type", "number");
    confidence.put("minimum", 0);
    confidence.put("maximum", 1);
    confidence.put("description", "Probability that the decision is right, from 0 to 1.");

    ArrayNode required = o.putArray("required");
    FIELDS.forEach(required::add);
    o.put("additionalProperties", false);
    return o;
  }

  /**
   * {@code schema} without the keywords OpenAI's strict mode refuses ({@code $schema},
   * {@code maxLength}); the rationale's length limit is still stated in the prompt and enforced by
   * the answer check.
   */
  static ObjectNode strict(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    strip(copy, true);
    return copy;
  }

  private static void strip(JsonNode node, boolean root) {
    if (node instanceof ObjectNode o) {
      if (root) {
        o.remove("$schema");
      }
      // "maxLength" is a keyword only inside a schema, never a property name we emit (ids are lowercase).
      if (o.path("maxLength").isNumber()) {
        o.remove("maxLength");
      }
      o.properties().forEach(e -> strip(e.getValue(), false));
    } else if (node instanceof ArrayNode a) {
      a.forEach(child -> strip(child, false));
    }
  }
}
