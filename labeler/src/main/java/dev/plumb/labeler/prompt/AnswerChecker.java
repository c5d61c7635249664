package dev.plumb.labeler.prompt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a model's raw answer: JSON (optionally inside one {@code ```json} fence and nothing else),
 * valid against the bundle's schema, then the checks a schema cannot express. Error messages are
 * written to be sent back to the model in a retry; every value that came from the model or the unit
 * is quoted with {@link UnitJson#quote}, so an error message cannot carry text that breaks out of
 * it. Thread-safe.
 */
final class AnswerChecker {
  /** Building a registry loads the draft 2020-12 meta-schemas; one is enough for every bundle. */
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final List<Policy> policies;
  private final Schema schema;

  AnswerChecker(List<Policy> policies, JsonNode schemaNode) {
    this.policies = List.copyOf(policies);
    this.schema = REGISTRY.getSchema(Json.line(schemaNode), InputFormat.JSON);
  }

  AnswerCheck check(String raw, Unit unit) {
    List<String> errors = new ArrayList<>();
    String text = unfence(raw, errors);
    if (text == null) {
      return new AnswerCheck.Invalid(errors, raw);
    }
    JsonNode answer;
    try {
      answer = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return invalid("the answer is not valid JSON: " + e.getOriginalMessage() + where
          + "; reply with only the JSON object", raw);
    }
    if (answer == null || answer.isMissingNode()) {
      return invalid("the answer is empty; reply with the JSON object", raw);
    }
    if (!answer.isObject()) {
      return invalid("the answer must be a JSON object with one field per policy ("
          + policyIds() + "), not " + Json.describe(answer), raw);
    }

    List<Error> schemaErrors = schema.validate(Json.line(answer), InputFormat.JSON);
    Set<String> broken = new HashSet<>();
    Set<String> messages = new LinkedHashSet<>();
    for (Error e : schemaErrors) {
      messages.add(phrase(e));
      NodePath at = e.getInstanceLocation();
      if (at != null && at.getNameCount() > 0) {
        broken.add(String.valueOf(at.getElement(0)));
      }
    }
    errors.addAll(messages);

    Map<String, PolicyAnswer> answers = new LinkedHashMap<>();
    for (Policy p : policies) {
      JsonNode a = answer.get(p.id());
      if (a == null || !a.isObject() || broken.contains(p.id())) {
        continue;
      }
      PolicyAnswer pa = semantic(p, a, unit, errors);
      if (pa != null) {
        answers.put(p.key(), pa);
      }
    }
    if (!errors.isEmpty()) {
      return new AnswerCheck.Invalid(errors, raw);
    }
    return new AnswerCheck.Valid(answers);
  }

  /** The text inside a single {@code ```json} (or bare {@code ```}) fence, or the whole text. */
  private static String unfence(String raw, List<String> errors) {
    String text = raw.strip();
    if (!text.startsWith("```")) {
      return text;
    }
    int newline = text.indexOf('\n');
    String lang = newline < 0 ? "" : text.substring(3, newline).strip();
    if (newline < 0 || !text.endsWith("```") || text.length() < newline + 4
        || !(lang.isEmpty() || lang.equalsIgnoreCase("json"))) {
      errors.add("the answer must be the JSON object alone (a single ```json fence around it is tolerated,"
          + " nothing else)");
      return null;
    }
    return text.substring(newline + 1, text.length() - 3);
  }

  private PolicyAnswer semantic(Policy p, JsonNode a, Unit unit, List<String> errors) {
    int before = errors.size();
    String id = p.id();
    String decisionId = a.get("decision").asText();
    Decision decision = p.decision(decisionId).orElseThrow(); // the schema's enum guarantees it
    JsonNode categoryNode = a.get("category");
    String category = categoryNode.isNull() ? null : categoryNode.asText();
    if (AnswerSchema.takesCategory(p, decision)) {
      if (category == null) {
        errors.add(id + ".category: a \"" + decisionId + "\" decision needs a category, one of "
            + p.categories().stream().map(c -> UnitJson.quote(c.id())).collect(Collectors.joining(", ")));
      }
    } else if (category != null) {
      errors.add(id + ".category: must be null when the decision is " + UnitJson.quote(decisionId)
          + ", found " + UnitJson.quote(category));
    }

    Set<String> componentIds = new LinkedHashSet<>();
    unit.components().forEach(c -> componentIds.add(c.id()));
    List<String> evidence = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonNode ev = a.get("evidence");
    for (int i = 0; i < ev.size(); i++) {
      String cid = ev.get(i).asText();
      if (!componentIds.contains(cid)) {
        errors.add(id + ".evidence[" + i + "]: " + UnitJson.quote(cid)
            + " is not a component id of this unit; the ids are "
            + unit.components().stream().map(Component::id).map(UnitJson::quote).collect(Collectors.joining(", ")));
      } else if (!seen.add(cid)) {
        errors.add(id + ".evidence[" + i + "]: " + UnitJson.quote(cid) + " is listed twice");
      } else {
        evidence.add(cid);
      }
    }
    if (decision.positive() && ev.isEmpty()) {
      errors.add(id + ".evidence: a " + UnitJson.quote(decisionId)
          + " decision must cite at least one component id");
    }
    String rationale = a.get("rationale").asText();
    if (rationale.isBlank()) {
      errors.add(id + ".rationale: must not be empty");
    }
    if (errors.size() > before) {
      return null;
    }
    double confidence = a.get("confidence").asDouble();
    return new PolicyAnswer(p.key(), decisionId, decision.positive(), category, confidence, rationale, evidence);
  }

  /** One schema error as a sentence a model can act on. */
  private String phrase(Error e) {
    String path = path(e.getInstanceLocation());
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    tools.jackson.databind.JsonNode value = e.getInstanceNode();
    switch (keyword) {
      case "required" -> {
        String missing = e.getProperty();
        if (path.isEmpty()) {
          return "missing the answer for policy " + UnitJson.quote(missing) + "; answer every policy: " + policyIds();
        }
        return path + ": missing field " + UnitJson.quote(missing);
      }
      case "additionalProperties" -> {
        String extra = e.getProperty();
        if (path.isEmpty()) {
          return "unexpected field " + UnitJson.quote(extra) + "; the answer has exactly one field per policy: "
              + policyIds();
        }
        return path + ": unexpected field " + UnitJson.quote(extra) + "; the fields are "
            + String.join(", ", AnswerSchema.FIELDS);
      }
      case "enum" -> {
        return path + ": " + shown(value) + " is not allowed; use one of " + allowed(e);
      }
      case "type" -> {
        return path + ": expected " + expectedType(e) + ", found " + describeJackson3(value);
      }
      case "minimum", "maximum" -> {
        return path + ": " + shown(value) + " is outside the range 0 to 1";
      }
      case "maxLength" -> {
        return path + ": " + (value == null ? "?" : value.asString().length()) + " characters, over the limit of "
            + AnswerSchema.RATIONALE_MAX_CHARS + "; shorten it";
      }
      default -> {
        return (path.isEmpty() ? "the answer" : path) + ": " + e.getMessage();
      }
    }
  }

  private String allowed(Error e) {
    tools.jackson.databind.JsonNode enumNode = e.getSchemaNode();
    if (enumNode == null || !enumNode.isArray()) {
      return String.valueOf(e.getMessage());
    }
    List<String> values = new ArrayList<>();
    enumNode.forEach(v -> values.add(v.isNull() ? "null" : UnitJson.quote(v.asString())));
    return String.join(", ", values);
  }

  private static String expectedType(Error e) {
    tools.jackson.databind.JsonNode type = e.getSchemaNode();
    if (type == null) {
      return "another type";
    }
    if (type.isArray()) {
      List<String> types = new ArrayList<>();
      type.forEach(t -> types.add(article(t.asString())));
      return String.join(" or ", types);
    }
    return article(type.asString());
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "an object";
      case "array" -> "an array";
      case "string" -> "a string";
      case "number" -> "a number";
      case "integer" -> "an integer";
      case "boolean" -> "a boolean";
      case "null" -> "null";
      default -> type;
    };
  }

  private static String shown(tools.jackson.databind.JsonNode value) {
    if (value == null) {
      return "the value";
    }
    if (value.isString()) {
      return UnitJson.quote(value.asString());
    }
    String s = value.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static String describeJackson3(tools.jackson.databind.JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    if (node.isString()) {
      return "the string " + shown(node);
    }
    if (node.isNumber()) {
      return "the number " + node;
    }
    if (node.isBoolean()) {
      return node.toString();
    }
    if (node.isNull()) {
      return "null";
    }
    return node.isArray() ? "an array" : "an object";
  }

  /** {@code self_harm.evidence[1]}; empty for the root. */
  private static String path(NodePath at) {
    if (at == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < at.getNameCount(); i++) {
      Object element = at.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        String name = String.valueOf(element);
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : UnitJson.quote(name));
      }
    }
    return sb.toString();
  }

  private String policyIds() {
    return policies.stream().map(p -> UnitJson.quote(p.id())).collect(Collectors.joining(", "));
  }

  private static AnswerCheck.Invalid invalid(String error, String raw) {
    return new AnswerCheck.Invalid(List.of(error), raw);
  }
}
