package dev.plumb.calibration.scores;

import dev.plumb.core.LowerCaseId;
import dev.plumb.core.scores.Isotonic;

/**
 * How label scores are mapped to probabilities on gold ({@code plumb calibrate --recalibrate-scores}).
 * Both fits weight each reviewed unit by its design weight 1/(π₁π₂), so that the map is P(gold
 * positive | score) over the sample's frame of units rather than over the review, which oversamples
 * some strata (docs/calibration.md, "Label scores").
 */
public enum Recalibration implements LowerCaseId {
  /**
   * Isotonic regression (pool-adjacent-violators; Zadrozny &amp; Elkan 2002): the non-decreasing step
   * function of the score closest to gold in weighted least squares, linear between its points and
   * clipped outside them — core's {@link Isotonic}, which equals sklearn's {@code
   * IsotonicRegression(out_of_bounds="clip")} with {@code sample_weight}. Keeps any monotone shape;
   * needs enough gold positives for its steps to mean something.
   */
  ISOTONIC {
    @Override
    ScoreMap fit(String policy, double[] score, double[] outcome, double[] weight) {
      Isotonic iso = Isotonic.fit(score, outcome, weight);
      return ScoreMap.isotonic(policy, iso.scores(), iso.values());
    }
  },
  /**
   * Platt scaling on the score's log-odds (Platt 1999): p = 1/(1 + exp(−(a + b·logit s))), a and b
   * the weighted maximum-likelihood logistic regression of gold on logit s (scores clipped to
   * [1e-6, 1 − 1e-6] first), by Newton–Raphson; equals statsmodels' {@code GLM(y, [1, logit s],
   * family=Binomial(), freq_weights=w)} (Platt's smoothed targets are not used). Two parameters: stable
   * with few gold positives, but only a sigmoid's shape.
   */
  PLATT {
    @Override
    ScoreMap fit(String policy, double[] score, double[] outcome, double[] weight) {
      double[] ab = ScoreMap.logistic(score, outcome, weight);
      return ScoreMap.platt(policy, ab[0], ab[1]);
    }
  };

  /** The constant named {@code id} ({@code isotonic}, {@code platt}: on the command line and in the map file), or null. */
  public static Recalibration parse(String id) {
    return LowerCaseId.parse(values(), id);
  }

  /**
   * Fits the map of {@code score} to gold {@code outcome} (0/1) with weights {@code weight} for policy key
   * {@code policy}.
   *
   * @throws IllegalArgumentException for arrays of different lengths, a score outside [0, 1], a weight
   *     that is not finite and positive, or no unit
   */
  public ScoreMap fitted(String policy, double[] score, double[] outcome, double[] weight) {
    int n = score.length;
    if (outcome.length != n || weight.length != n) {
      throw new IllegalArgumentException("score, outcome and weight must have the same length");
    }
    if (n == 0) {
      throw new IllegalArgumentException("no scored unit to fit on");
    }
    for (int i = 0; i < n; i++) {
      if (!(score[i] >= 0 && score[i] <= 1)) {
        throw new IllegalArgumentException("score " + i + " is not in [0, 1]: " + score[i]);
      }
      if (!(weight[i] > 0) || Double.isInfinite(weight[i])) {
        throw new IllegalArgumentException("weight " + i + " is not finite and positive: " + weight[i]);
      }
    }
    return fit(policy, score, outcome, weight);
  }

  abstract ScoreMap fit(String policy, double[] score, double[] outcome, double[] weight);
}
