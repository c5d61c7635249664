package dev.plumb.labeler.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the safety models' profiles share: text-only rendering of a unit (images become
 * {@code "image": "omitted"}, recorded as omitted), a two-way answer mapped onto each policy's
 * decisions, the fingerprint, the output cap, and the load-time notices for what a profile leaves
 * out. A subclass renders one request's messages and parses one answer.
 *
 * <p>Immutable and thread-safe.
 */
abstract class ProfilePrompt implements LabelingPrompt {
  /** The longest rationale kept from a model's free text, as the unified prompt's answers (characters). */
  static final int RATIONALE_MAX_CHARS = 400;

  final Profile.Choice choice;
  final List<Policy> policies;
  final Map<String, Policy> byKey = new LinkedHashMap<>();
  final boolean scores;
  private final List<String> keys;
  private final Double temperature;
  private final int maxOutputTokens;
  private final String fingerprint;

  ProfilePrompt(PromptBundle bundle, Profile.Settings settings, Profile.Choice choice) {
    this.choice = choice;
    this.policies = bundle.policies();
    this.scores = settings.scores();
    for (Policy p : policies) {
      byKey.put(p.key(), p);
      String file = settings.files().apply(p);
      if (p.decisions().stream().allMatch(Decision::positive)) {
        throw new InputException(file + ": decisions: " + choice.profile().id()
            + " answers violating or not, and this policy has no decision that is not positive");
      }
      List<String> left = leftOut(p);
      if (!left.isEmpty()) {
        settings.notices().accept(file + ": " + String.join(", ", left) + ": " + choice.profile().id()
            + " cannot express " + (left.size() == 1 ? "it" : "them") + " (" + why() + ")");
      }
      if (p.decisions().size() > 2) {
        settings.notices().accept(file + ": decisions: " + choice.profile().id() + " answers violating or not: \""
            + violating(p).id() + "\" stands for a violation and \"" + notViolating(p).id() + "\" for none; "
            + String.join(", ", p.decisions().stream().map(Decision::id)
                .filter(d -> !d.equals(violating(p).id()) && !d.equals(notViolating(p).id()))
                .map(d -> "\"" + d + "\"").toList()) + " never given");
      }
    }
    this.keys = policies.stream().map(Policy::key).toList();
    this.temperature = bundle.modelParams().temperature();
    this.maxOutputTokens = choice.maxOutputTokens(settings, bundle);
    this.fingerprint = computeFingerprint();
  }

  /** The policy fields this profile's template has no place for ({@code categories}, {@code examples}, ...). */
  abstract List<String> leftOut(Policy p);

  /** Why those fields are left out, for the notice. */
  abstract String why();

  /** The messages of the request answering {@code group}, the unit encoded by {@link #content}. */
  abstract List<ChatMessage> messages(List<Policy> group, String content);

  /** The answers for {@code group} in {@code reply}, or what is wrong with it. */
  abstract AnswerCheck parse(ModelReply reply, List<Policy> group);

  /** The decision a violation maps to: the policy's first positive decision. */
  static Decision violating(Policy p) {
    return p.decisions().stream().filter(Decision::positive).findFirst().orElseThrow();
  }

  /** The decision "no violation" maps to: the policy's last decision that is not positive ({@code safe} in the starters). */
  static Decision notViolating(Policy p) {
    Decision last = null;
    for (Decision d : p.decisions()) {
      if (!d.positive()) {
        last = d;
      }
    }
    return last;
  }

  /** An answer of a two-way model: no confidence stated, no evidence named. */
  static PolicyAnswer answer(Policy p, boolean violates, String category, String rationale, Double score) {
    Decision d = violates ? violating(p) : notViolating(p);
    return new PolicyAnswer(p.key(), d.id(), d.positive(), violates ? category : null, Double.NaN,
        clip(rationale), List.of(), score);
  }

  static String clip(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() <= RATIONALE_MAX_CHARS ? t : t.substring(0, RATIONALE_MAX_CHARS - 1) + "…";
  }

  /** The unit as the model sees it: plumb's escaped JSON of its components (docs/prompts.md), images omitted. */
  static String content(Unit unit) {
    return dev.plumb.labeler.prompt.UnitJson.textOnly(unit);
  }

  List<Policy> group(List<String> group) {
    List<Policy> out = new ArrayList<>(group.size());
    for (String k : group) {
      Policy p = byKey.get(k);
      if (p == null) {
        throw new IllegalArgumentException("not a policy of this prompt: " + k);
      }
      out.add(p);
    }
    return out;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public JsonNode schema() {
    return null; // the model's own output format: no response format is sent
  }

  @Override
  public List<String> policies() {
    return keys;
  }

  /** One request per policy; {@link LlamaGuardPrompt} overrides it. */
  @Override
  public List<List<String>> requests() {
    return keys.stream().map(List::of).toList();
  }

  @Override
  public RenderedPrompt render(Unit unit, boolean images) {
    return render(unit, images, keys);
  }

  @Override
  public RenderedPrompt render(Unit unit, boolean images, List<String> group) {
    List<String> omitted = unit.components().stream().filter(c -> c.image() != null).map(Component::id).toList();
    return new RenderedPrompt(messages(group(group), content(unit)), omitted);
  }

  @Override
  public AnswerCheck check(String raw, Unit unit) {
    return check(new ModelReply(raw, null, false, -1, -1, null, "text"), unit, keys);
  }

  @Override
  public AnswerCheck check(ModelReply reply, Unit unit, List<String> group) {
    return parse(reply, group(group));
  }

  @Override
  public int topLogprobs() {
    return scores ? Profile.TOP_LOGPROBS : 0;
  }

  @Override
  public Double temperature() {
    return temperature;
  }

  @Override
  public dev.plumb.labeler.batch.AnswerLength expectedAnswer() {
    return choice.expectedAnswer();
  }

  @Override
  public int maxOutputTokens() {
    return maxOutputTokens;
  }

  /**
   * {@code sha256:} over the profile, its settings, the policies' digests and every request rendered
   * for a probe unit: a change to a template or a policy changes it, a change to plumb's own
   * templates (which these profiles do not use) does not.
   */
  private String computeFingerprint() {
    ObjectNode o = Json.object();
    o.put("profile", choice.toString());
    if (temperature != null) {
      o.put("temperature", temperature);
    }
    o.put("max_output_tokens", maxOutputTokens);
    ObjectNode ps = o.putObject("policies");
    policies.forEach(p -> ps.put(p.key(), p.sha256()));
    Unit probe = new Unit("probe", Map.of(), List.of(new Component("c", "text", "{{probe}}", null)));
    ArrayNode rendered = o.putArray("requests");
    for (List<String> g : requests()) {
      ArrayNode ms = rendered.addArray();
      for (ChatMessage m : messages(group(g), content(probe))) {
        ms.addObject().put("role", m.role().name()).put("text", m.text());
      }
    }
    return Hashing.sha256(Json.canonical(o));
  }
}
