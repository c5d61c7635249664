package dev.plumb.calibration.quality;

import java.util.Objects;

/**
 * The LLM's answer and the gold answer on one unit of one policy.
 *
 * @param unit the unit id
 * @param stratum the unit's phase-1 stratum (for per-stratum quality)
 * @param weight the unit's weight for design-weighted quality, &gt; 0: exposure × 1/(π₁π₂)
 * @param llmDecision the LLM's decision
 * @param llmPositive whether the LLM's decision counts toward prevalence
 * @param llmCategory the LLM's category (sub-policy), or {@code null}
 * @param confidence the LLM's confidence in its decision in [0, 1], or NaN when absent
 * @param goldDecision the gold (consensus) decision
 * @param goldPositive whether the gold decision counts toward prevalence
 * @param goldCategory the gold category, or {@code null}
 */
public record Judgement(
    String unit, String stratum, double weight, String llmDecision, boolean llmPositive,
    String llmCategory, double confidence, String goldDecision, boolean goldPositive,
    String goldCategory) {
  public Judgement {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(stratum, "stratum");
    Objects.requireNonNull(llmDecision, "llmDecision");
    Objects.requireNonNull(goldDecision, "goldDecision");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of unit " + unit + " is not positive: " + weight);
    }
    if (!Double.isNaN(confidence) && !(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence of unit " + unit + " is not in [0, 1]: " + confidence);
    }
  }

  /** Whether the LLM's decision equals the gold decision. */
  public boolean correct() {
    return llmDecision.equals(goldDecision);
  }
}
