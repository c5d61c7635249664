package dev.plumb.calibration.quality;

import java.util.List;

/**
 * LLM decision against gold decision over every decision of the policy.
 *
 * @param decisions the decisions, in the order of rows and columns: the policy's order
 * @param positive for each decision, whether it counts toward prevalence (the mapping every binary
 *     figure rests on)
 * @param weighted weighted[gold][llm] = Σ weight (equals {@code counts} when unweighted)
 * @param counts counts[gold][llm] = number of units
 */
public record ConfusionMatrix(List<String> decisions, List<Boolean> positive, double[][] weighted, int[][] counts) {
  public ConfusionMatrix {
    decisions = List.copyOf(decisions);
    positive = List.copyOf(positive);
  }
}
