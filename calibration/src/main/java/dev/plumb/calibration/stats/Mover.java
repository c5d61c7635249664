package dev.plumb.calibration.stats;

/**
 * MOVER, the "method of variance estimates recovery" (Zou &amp; Donner 2008; for a difference of two
 * proportions with Wilson limits it is Newcombe's 1998 method 10): confidence limits for a linear
 * combination Σ c_k θ_k of independently estimated parameters, built from each θ_k's own limits
 * [l_k, u_k] instead of one pooled variance:
 *
 * <pre>
 * L = Σ c_k θ̂_k − √ Σ_k (c_k ≥ 0 ? c_k (θ̂_k − l_k) : c_k (θ̂_k − u_k))²
 * U = Σ c_k θ̂_k + √ Σ_k (c_k ≥ 0 ? c_k (u_k − θ̂_k) : c_k (l_k − θ̂_k))²
 * </pre>
 *
 * <p>Why: when a θ_k is a proportion seen 0 (or a few) times, its estimated variance is 0 (or tiny)
 * and a Wald-type combination treats it as known; its Wilson limits are not, and MOVER keeps them.
 */
public final class Mover {
  private Mover() {}

  /**
   * @param c the coefficients
   * @param estimate the θ̂_k
   * @param lower the l_k (≤ θ̂_k)
   * @param upper the u_k (≥ θ̂_k)
   * @return {L, U}
   * @throws IllegalArgumentException when the arrays differ in length or a θ̂_k lies outside its limits
   */
  public static double[] limits(double[] c, double[] estimate, double[] lower, double[] upper) {
    int k = c.length;
    if (estimate.length != k || lower.length != k || upper.length != k) {
      throw new IllegalArgumentException("MOVER needs one estimate and two limits per coefficient");
    }
    double centre = 0;
    double down = 0;
    double up = 0;
    for (int j = 0; j < k; j++) {
      if (!(lower[j] <= estimate[j] + 1e-12 && estimate[j] <= upper[j] + 1e-12)) {
        throw new IllegalArgumentException(
            "estimate " + estimate[j] + " is outside its limits [" + lower[j] + ", " + upper[j] + "]");
      }
      centre += c[j] * estimate[j];
      double below = c[j] >= 0 ? c[j] * (estimate[j] - lower[j]) : c[j] * (estimate[j] - upper[j]);
      double above = c[j] >= 0 ? c[j] * (upper[j] - estimate[j]) : c[j] * (lower[j] - estimate[j]);
      down += below * below;
      up += above * above;
    }
    return new double[] {centre - Math.sqrt(down), centre + Math.sqrt(up)};
  }
}
