package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small stand-in for the prompt compiler's bundle: answers are {@code {"<policy>": {"decision":
 * "safe"|"violating", "category": null|"x", "confidence": 0..1, "rationale": "...", "evidence":
 * [component ids]}}}.
 */
final class FakePrompt implements LabelingPrompt {
  private final List<String> policies;
  private final String version;

  FakePrompt(String... policies) {
    this.policies = List.of(policies);
    this.version = "v1";
  }

  private FakePrompt(List<String> policies, String version) {
    this.policies = policies;
    this.version = version;
  }

  /** The same policies with another prompt version (another fingerprint). */
  static FakePrompt versioned(String version, String... policies) {
    return new FakePrompt(List.of(policies), version);
  }

  @Override
  public String fingerprint() {
    return Hashing.sha256("fake-prompt " + version + " " + policies);
  }

  @Override
  public JsonNode schema() {
    ObjectNode s = Json.object();
    s.put("type", "object");
    ObjectNode props = s.putObject("properties");
    for (String p : policies) {
      ObjectNode a = props.putObject(p);
      a.put("type", "object");
      ObjectNode ap = a.putObject("properties");
      ap.putObject("decision").putArray("enum").add("safe").add("violating");
      ap.putObject("category").putArray("type").add("string").add("null");
      ap.putObject("confidence").put("type", "number");
      ap.putObject("rationale").put("type", "string");
      ap.putObject("evidence").put("type", "array").putObject("items").put("type", "string");
      a.putArray("required").add("decision").add("category").add("confidence").add("rationale").add("evidence");
      a.put("additionalProperties", false);
    }
    var req = s.putArray("required");
    policies.forEach(req::add);
    s.put("additionalProperties", false);
    return s;
  }

  @Override
  public List<String> policies() {
    return policies;
  }

  @Override
  public RenderedPrompt render(Unit unit, boolean images) {
    List<ContentPart> parts = new ArrayList<>();
    List<String> omitted = new ArrayList<>();
    parts.add(new ContentPart.Text("Unit " + unit.id() + ":\n"));
    for (Component c : unit.components()) {
      parts.add(new ContentPart.Text("[" + c.id() + "] " + c.text() + "\n"));
      if (c.hasImage()) {
        if (images) {
          parts.add(new ContentPart.Image(c.image(), c.id()));
        } else {
          parts.add(new ContentPart.Text("(image of " + c.id() + " not shown)\n"));
          omitted.add(c.id());
        }
      }
    }
    return new RenderedPrompt(List.of(
        ChatMessage.system("You label units against policies " + policies + ". Answer in JSON."),
        new ChatMessage(ChatMessage.Role.USER, parts)), omitted);
  }

  @Override
  public AnswerCheck check(String raw, Unit unit) {
    JsonNode n;
    try {
      n = Json.mapper().readTree(raw);
    } catch (Exception e) {
      return new AnswerCheck.Invalid(List.of("not JSON: " + e.getClass().getSimpleName()), raw);
    }
    if (n == null || !n.isObject()) {
      return new AnswerCheck.Invalid(List.of("expected a JSON object"), raw);
    }
    List<String> errors = new ArrayList<>();
    Map<String, PolicyAnswer> answers = new TreeMap<>();
    for (String p : policies) {
      JsonNode a = n.get(p);
      if (a == null || !a.isObject()) {
        errors.add(p + ": missing");
        continue;
      }
      String d = a.path("decision").asText("");
      if (!d.equals("safe") && !d.equals("violating")) {
        errors.add(p + ".decision: \"" + d + "\" is not one of safe, violating");
        continue;
      }
      double conf = a.path("confidence").asDouble(-1);
      if (conf < 0 || conf > 1) {
        errors.add(p + ".confidence: must be in [0,1]");
        continue;
      }
      List<String> evidence = new ArrayList<>();
      for (JsonNode e : a.path("evidence")) {
        String id = e.asText();
        if (unit.components().stream().noneMatch(c -> c.id().equals(id))) {
          errors.add(p + ".evidence: unknown component \"" + id + "\"");
        }
        evidence.add(id);
      }
      JsonNode cat = a.get("category");
      answers.put(p, new PolicyAnswer(p, d, d.equals("violating"), cat == null || cat.isNull() ? null : cat.asText(),
          conf, a.path("rationale").asText(""), evidence));
    }
    if (!errors.isEmpty()) {
      return new AnswerCheck.Invalid(errors, raw);
    }
    return new AnswerCheck.Valid(answers);
  }

  /** A valid answer for every policy of a request's schema (what the fake servers reply). */
  static String answerFor(JsonNode schema, String decision) {
    ObjectNode a = Json.object();
    schema.path("properties").fieldNames().forEachRemaining(p -> {
      ObjectNode x = a.putObject(p);
      x.put("decision", decision);
      if (decision.equals("violating")) {
        x.put("category", "promotion");
      } else {
        x.putNull("category");
      }
      x.put("confidence", 0.9);
      x.put("rationale", "because");
      x.putArray("evidence");
    });
    return Json.line(a);
  }
}
