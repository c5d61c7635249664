package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.unit.Unit;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The offline classifier behind the backend interface: it reads the unit (not the prompt) and
 * answers in the prompt's JSON format, so its answers go through the same validation and become
 * the same label records. No network, no key, no cost, no rate limits; images are not seen.
 */
final class LocalBackend implements Backend {
  private final LocalClassifier classifier;
  private final List<Policy> policies;
  private final BiFunction<Unit, Policy, Policy> trainedOn;

  LocalBackend(LocalClassifier classifier, List<Policy> policies) {
    this(classifier, policies, (unit, policy) -> policy);
  }

  /**
   * @param trainedOn for a unit and a policy, the policy whose model answers it: the policy
   *     itself, or a copy without some examples (held-out evaluation of the policy's own examples)
   */
  LocalBackend(LocalClassifier classifier, List<Policy> policies, BiFunction<Unit, Policy, Policy> trainedOn) {
    this.classifier = classifier;
    this.policies = List.copyOf(policies);
    this.trainedOn = trainedOn;
    policies.forEach(classifier::prepare); // train (or load) every model before the first unit
  }

  @Override
  public String name() {
    return LocalClassifier.BACKEND;
  }

  @Override
  public String model() {
    return classifier.model();
  }

  @Override
  public String provider() {
    return LocalClassifier.BACKEND;
  }

  @Override
  public boolean supportsImages() {
    return false;
  }

  @Override
  public boolean remote() {
    return false;
  }

  @Override
  public String responseFormat() {
    return "json_schema";
  }

  @Override
  public ModelReply call(ModelRequest request) {
    if (request.unit() == null) {
      throw new BackendException(BackendException.Kind.BAD_REQUEST, 0,
          "the local backend labels units, and this request carries none", RateLimits.NONE);
    }
    ObjectNode answer = Json.object();
    for (Policy p : policies) {
      PolicyAnswer a = classifier.classify(request.unit(), trainedOn.apply(request.unit(), p));
      ObjectNode o = answer.putObject(p.id());
      o.put("rationale", a.rationale());
      a.evidence().forEach(o.putArray("evidence")::add);
      o.put("decision", a.decision());
      o.put("category", a.category()); // null becomes JSON null
      o.put("confidence", a.confidence());
    }
    return new ModelReply(Json.line(answer), null, false, 0, 0, RateLimits.NONE, "json_schema");
  }

  @Override
  public void close() {
    classifier.close();
  }
}
