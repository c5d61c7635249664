package dev.plumb.calibration.corrected;

import java.util.Objects;

/**
 * One reviewed unit of the phase-2 (gold) subsample.
 *
 * @param unit the unit id; must be in the phase-1 sample
 * @param positive whether the gold decision counts toward prevalence
 * @param stratum the phase-2 stratum the unit was drawn from (e.g. {@code llm_positive}; one
 *     stratum, e.g. {@code all}, for simple random review)
 * @param pi the phase-2 inclusion probability given the phase-1 sample, in (0, 1]; constant within
 *     a phase-2 stratum (stratified simple random sampling within S)
 * @param probability what the estimators use in place of the 0/1 call: 1 or 0 as {@code positive} for
 *     exact gold; from a rater-error model its unbiased gold ({@code y_unbiased} in gold.jsonl, whose
 *     expectation is the unit's true class and which may lie slightly outside [0, 1]), or for older gold
 *     files P(the unit truly violates | the raters' answers) ({@code p_positive}). Finite
 * @param replicates the same value at each bootstrap replicate of the error model's rates, or
 *     {@code null} (exact gold: no error-rate uncertainty)
 * @param noise the raters' answer noise in {@code probability} about the unit's true class,
 *     Var(g_i | y_i) estimated by the error model ({@code y_variance} in gold.jsonl); 0 for exact gold.
 *     Finite and ≥ 0
 */
public record GoldUnit(String unit, boolean positive, String stratum, double pi, double probability,
    double[] replicates, double noise) {
  public GoldUnit {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(stratum, "stratum");
    if (!(pi > 0 && pi <= 1)) {
      throw new IllegalArgumentException("phase-2 pi of unit " + unit + " is not in (0, 1]: " + pi);
    }
    if (!Double.isFinite(probability)) {
      throw new IllegalArgumentException("gold value of unit " + unit + " is not a finite number: " + probability);
    }
    if (!(noise >= 0 && Double.isFinite(noise))) {
      throw new IllegalArgumentException("answer noise of unit " + unit + " is not a finite number ≥ 0: " + noise);
    }
    replicates = replicates == null ? null : replicates.clone();
  }

  /** Gold without answer noise (exact gold, or an error model's gold read from a file without it). */
  public GoldUnit(String unit, boolean positive, String stratum, double pi, double probability, double[] replicates) {
    this(unit, positive, stratum, pi, probability, replicates, 0);
  }

  /** Exact gold: the probability is the call. */
  public GoldUnit(String unit, boolean positive, String stratum, double pi) {
    this(unit, positive, stratum, pi, positive ? 1 : 0, null, 0);
  }
}
