package dev.plumb.calibration.corrected;

import dev.plumb.calibration.quality.Judgement;
import java.util.List;
import java.util.Map;

/**
 * Everything the calibration of one policy needs, read from sample, labels and gold.
 *
 * @param policy the policy reference as written in the files, e.g. {@code self_harm@3}
 * @param sample the two-phase sample (LLM calls on every sampled unit, gold on the reviewed ones)
 * @param judgements LLM against gold on every reviewed unit, weighted by exposure/(π₁π₂)
 * @param decisions the policy's decisions and whether each counts toward prevalence
 */
public record PolicyData(
    String policy, TwoPhaseSample sample, List<Judgement> judgements, Map<String, Boolean> decisions) {
  public PolicyData {
    judgements = List.copyOf(judgements);
    decisions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(decisions));
  }
}
