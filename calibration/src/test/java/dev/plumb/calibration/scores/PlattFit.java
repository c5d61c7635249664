package dev.plumb.calibration.scores;

/**
 * For the coverage simulations (other packages): {@link ScoreMap}'s weighted Platt fit of gold on logit(score), the
 * fit {@code plumb calibrate --recalibrate-scores} makes, so that a simulation reuses it instead of writing another.
 */
public final class PlattFit {
  private PlattFit() {}

  /**
   * {a, b} with P(y = 1 | s) = σ(a + b·logit s), the weighted MLE ({@link ScoreMap#logistic}).
   *
   * @throws IllegalArgumentException when the gold is all one way or the scores separate it (no MLE)
   */
  public static double[] of(double[] s, double[] y, double[] w) {
    return ScoreMap.logistic(s, y, w);
  }
}
