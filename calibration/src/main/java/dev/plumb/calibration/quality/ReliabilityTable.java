package dev.plumb.calibration.quality;

import java.util.List;

/**
 * The LLM's stated confidence against how often it was right (its decision equals gold), in
 * equal-width confidence bins.
 *
 * @param bins the non-empty bins, in increasing confidence
 * @param ece expected calibration error Σ_b (W_b/W)·|observed_b − confidence_b| (Guo et al. 2017,
 *     "On Calibration of Modern Neural Networks"); NaN when no judgement has a confidence
 * @param withoutConfidence judgements that had no confidence and are not in the table
 */
public record ReliabilityTable(List<Bin> bins, double ece, int withoutConfidence) {
  public ReliabilityTable {
    bins = List.copyOf(bins);
  }

  /**
   * One confidence bin [lower, upper) (the last bin includes 1).
   *
   * @param meanConfidence the (weighted) mean stated confidence in the bin
   * @param observed the (weighted) share of correct decisions, with its Wilson interval
   */
  public record Bin(double lower, double upper, double meanConfidence, Rate observed) {}
}
