package dev.plumb.calibration.queue;

import dev.plumb.core.PolicyKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rater may answer for one policy: its decisions (with whether each counts toward prevalence)
 * and its categories (sub-policies, for positive decisions). Comes from the policy library when the
 * command line has it, otherwise from the decisions seen in the labels.
 *
 * @param key the policy version key, e.g. {@code self_harm@3}
 * @param decisions decision id → positive, in display order; at least one positive and one not
 * @param categories category ids, possibly empty
 */
public record ReviewPolicy(String key, Map<String, Boolean> decisions, List<String> categories) {
  public ReviewPolicy {
    Objects.requireNonNull(key, "key");
    decisions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
    categories = List.copyOf(categories);
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("policy " + key + " has no decisions");
    }
  }

  /** The policy id without the version: {@code self_harm} for {@code self_harm@3}. */
  public String id() {
    return PolicyKey.idOf(key);
  }

  /** The decisions that count toward prevalence, in order. */
  public List<String> positives() {
    return decisions.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  /** The decisions that do not count toward prevalence, in order. */
  public List<String> negatives() {
    return decisions.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }
}
