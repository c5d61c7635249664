package dev.plumb.calibration.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A policy's decisions in the policy's own order, and which of them count toward prevalence: the
 * order of the confusion matrix and of the per-decision table, and the mapping to positive and
 * negative that every binary figure (sensitivity, specificity, accuracy) rests on.
 *
 * @param decisions decision ids, in order
 * @param positive for each decision, whether it counts toward prevalence
 * @param fromPolicy true when the order and mapping come from the policy file; false when they were
 *     learned from the labels (then negatives come first, then positives, each alphabetically)
 */
public record DecisionScheme(List<String> decisions, List<Boolean> positive, boolean fromPolicy) {
  public DecisionScheme {
    decisions = List.copyOf(decisions);
    positive = List.copyOf(positive);
    if (decisions.size() != positive.size()) {
      throw new IllegalArgumentException("decisions and positive flags differ in length");
    }
    if (decisions.stream().distinct().count() != decisions.size()) {
      throw new IllegalArgumentException("duplicate decision in " + decisions);
    }
  }

  /** The policy's decisions in the order given (a {@link LinkedHashMap} from the policy file). */
  public static DecisionScheme ofPolicy(Map<String, Boolean> ordered) {
    return new DecisionScheme(new ArrayList<>(ordered.keySet()), new ArrayList<>(ordered.values()), true);
  }

  /** Decisions learned from labels and gold, in no meaningful order: negatives, then positives. */
  public static DecisionScheme learned(Map<String, Boolean> decisions) {
    Map<String, Boolean> sorted = new TreeMap<>(decisions);
    Map<String, Boolean> ordered = new LinkedHashMap<>();
    sorted.forEach((d, p) -> {
      if (!p) {
        ordered.put(d, false);
      }
    });
    sorted.forEach((d, p) -> {
      if (p) {
        ordered.put(d, true);
      }
    });
    return new DecisionScheme(new ArrayList<>(ordered.keySet()), new ArrayList<>(ordered.values()), false);
  }

  /** The scheme the judgements imply when nothing else is known (their decisions and flags). */
  static DecisionScheme learned(List<Judgement> judgements) {
    Map<String, Boolean> d = new TreeMap<>();
    for (Judgement j : judgements) {
      d.put(j.llmDecision(), j.llmPositive());
      d.put(j.goldDecision(), j.goldPositive());
    }
    return learned(d);
  }

  /** This scheme with any decision the judgements use but it lacks appended (e.g. a stale policy). */
  DecisionScheme covering(List<Judgement> judgements) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (int i = 0; i < decisions.size(); i++) {
      out.put(decisions.get(i), positive.get(i));
    }
    boolean added = false;
    for (Judgement j : judgements) {
      added |= out.putIfAbsent(j.goldDecision(), j.goldPositive()) == null;
      added |= out.putIfAbsent(j.llmDecision(), j.llmPositive()) == null;
    }
    return added ? new DecisionScheme(new ArrayList<>(out.keySet()), new ArrayList<>(out.values()), fromPolicy) : this;
  }

  /** The decisions that count toward prevalence, in order. */
  public List<String> positives() {
    return filter(true);
  }

  /** The decisions that do not, in order. */
  public List<String> negatives() {
    return filter(false);
  }

  /** The index of {@code decision}, or −1. */
  public int indexOf(String decision) {
    return decisions.indexOf(Objects.requireNonNull(decision, "decision"));
  }

  /**
   * The mapping as one sentence for a report, e.g. {@code positive = violating; negative = borderline,
   * safe}.
   */
  public String mapping() {
    return "positive = " + (positives().isEmpty() ? "(none)" : String.join(", ", positives()))
        + "; negative = " + (negatives().isEmpty() ? "(none)" : String.join(", ", negatives()));
  }

  private List<String> filter(boolean p) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      if (positive.get(i) == p) {
        out.add(decisions.get(i));
      }
    }
    return out;
  }
}
