package dev.plumb.calibration.quality;

import java.util.List;

/**
 * LLM decision against gold decision over every decision of the policy.
 *
 * @param decisions the decisions, in the order of rows and columns
 * @param weighted weighted[gold][llm] = Σ weight (equals {@code counts} when unweighted)
 * @param counts counts[gold][llm] = number of units
 */
public record ConfusionMatrix(List<String> decisions, double[][] weighted, int[][] counts) {
  public ConfusionMatrix {
    decisions = List.copyOf(decisions);
  }
}
