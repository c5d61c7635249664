package dev.plumb.labeler.evaluation;

import dev.plumb.core.Hashing;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Held-out evaluation for the local backend, which is trained on the policy's own examples:
 * asking it about a text it was trained on measures memory, not judgement. Each unit is answered by
 * a model trained without the examples it coincides with — the example with the unit's id, and
 * every example that shows one of the unit's texts — that is, leave-one-out predictions for the
 * policy's examples, and an ordinary prediction for a golden unit no example repeats. The policy's
 * own definitions (category includes, allowed contexts) stay in the training set.
 *
 * <p>Thread-safe; variants are made once per set of held-out examples.
 */
public final class HeldOut {
  private final Map<String, Policy> variants = new ConcurrentHashMap<>();

  /** The policy whose model may answer {@code unit}: {@code policy} itself or a copy without some examples. */
  public Policy trainingPolicy(Unit unit, Policy policy) {
    List<String> ids = heldOut(unit, policy);
    if (ids.isEmpty()) {
      return policy;
    }
    return variants.computeIfAbsent(policy.key() + " " + policy.sha256() + " " + ids, k -> without(policy, ids));
  }

  /** Ids of the policy's examples that coincide with {@code unit} (same id, or a text in common), sorted. */
  public static List<String> heldOut(Unit unit, Policy policy) {
    Set<String> texts = texts(unit);
    return policy.examples().stream()
        .filter(e -> e.id().equals(unit.id()) || texts(e.unit()).stream().anyMatch(texts::contains))
        .map(Example::id)
        .sorted()
        .toList();
  }

  /** Whether {@code unit} is one of the policy's few-shot examples (same id, or a text in common with one). */
  public static boolean shownInPrompt(Unit unit, Policy policy) {
    Set<String> texts = texts(unit);
    return policy.examples().stream()
        .filter(Example::inPrompt)
        .anyMatch(e -> e.id().equals(unit.id()) || texts(e.unit()).stream().anyMatch(texts::contains));
  }

  /**
   * A copy of {@code policy} without the named examples. Its {@code sha256} is derived from the
   * original's and the ids, so the local classifier trains and caches it as a model of its own.
   */
  public static Policy without(Policy policy, Collection<String> exampleIds) {
    Set<String> drop = Set.copyOf(exampleIds);
    List<Example> kept = policy.examples().stream().filter(e -> !drop.contains(e.id())).toList();
    String sha = Hashing.sha256(policy.sha256() + "\nheld out: " + exampleIds.stream().sorted().collect(Collectors.joining(",")));
    return new Policy(policy.id(), policy.version(), policy.title(), policy.status(), policy.effective(), policy.owner(),
        policy.summary(), policy.decisions(), policy.categories(), policy.rules(), policy.allowed(), kept,
        policy.changes(), sha);
  }

  private static Set<String> texts(Unit unit) {
    return unit.components().stream()
        .map(Component::text)
        .filter(t -> t != null && !t.isBlank())
        .map(String::strip)
        .collect(Collectors.toSet());
  }
}
