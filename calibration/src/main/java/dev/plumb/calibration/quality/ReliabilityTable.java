package dev.plumb.calibration.quality;

import dev.plumb.core.scores.Isotonic;
import java.util.List;

/**
 * The LLM's stated confidence against how often it was right (its decision equals gold), in
 * equal-width confidence bins.
 *
 * @param bins the non-empty bins, in increasing confidence
 * @param ece expected calibration error Σ_b (W_b/W)·|observed_b − confidence_b| (Guo et al. 2017,
 *     "On Calibration of Modern Neural Networks"); NaN when no judgement has a confidence
 * @param withoutConfidence judgements that had no confidence and are not in the table
 * @param recalibration the stated confidence mapped to the (weighted) share of correct decisions by
 *     isotonic regression on the reviewed units (Zadrozny &amp; Elkan 2002): what a stated
 *     confidence means against gold; {@code null} when no judgement has a confidence. Fitted on
 *     the same units it describes, so it says what the confidence meant here, not how well a
 *     recalibrated model would do elsewhere.
 */
public record ReliabilityTable(List<Bin> bins, double ece, int withoutConfidence, Isotonic recalibration) {
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
