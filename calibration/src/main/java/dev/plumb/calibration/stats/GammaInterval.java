package dev.plumb.calibration.stats;

import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The gamma interval for a weighted sum of rare counts, P̂ = Σ c_i y_i with variance V̂ (Fay &amp; Feuer
 * 1997, "Confidence intervals for directly standardized rates: a method based on the gamma
 * distribution", Stat Med 16:791–801):
 *
 * <pre>
 *   lower = Gamma⁻¹(α/2;     shape P̂²/V̂,               scale V̂/P̂)
 *   upper = Gamma⁻¹(1 − α/2; shape (P̂ + w)²/(V̂ + w²), scale (V̂ + w²)/(P̂ + w))
 * </pre>
 *
 * The lower limit matches a gamma distribution to P̂'s mean and variance; the upper one to those of P̂
 * plus one more event at weight w, which keeps the upper limit above P̂ when V̂ holds little or no
 * spread — the case of a class of units that showed no event. With equal weights and Poisson counts
 * it is the exact (Garwood) Poisson interval. Fay &amp; Feuer take w = max c_i; Tiwari, Clegg &amp; Zou
 * (2006, SMMR 15:547–569) the mean c_i, closer to nominal. Same as R {@code
 * epitools::ageadjust.direct}'s {@code lci} and {@code uci} with its V̂ = Σ c_i² y_i and w = max c_i,
 * except that the upper limit is capped at 1 (a prevalence).
 */
public final class GammaInterval {
  /** The method's name in reports and on the command line. */
  public static final String LABEL = "gamma";

  private GammaInterval() {}

  /**
   * The two-sided gamma interval at {@code level}.
   *
   * <p>Boundaries: P̂ = 0 gives lower 0 (R returns NaN there) and the upper limit of one event at w,
   * −w·ln(α/2); V̂ = 0 with P̂ &gt; 0 gives lower P̂ (a known value); w = 0 with V̂ = 0 gives the point.
   *
   * @param p the estimate P̂ ≥ 0
   * @param v its variance V̂ ≥ 0
   * @param w the weight of one more event, w ≥ 0
   * @throws IllegalArgumentException naming the bad value
   */
  public static Interval of(double p, double v, double w, double level) {
    if (!(p >= 0) || Double.isInfinite(p)) {
      throw new IllegalArgumentException("Estimate is not a finite value >= 0: " + p);
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("Variance is not a finite value >= 0: " + v);
    }
    if (!(w >= 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("Weight of one more event is not a finite value >= 0: " + w);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    double alpha = 1 - level;
    double lower = p == 0 ? 0 : v == 0 ? p : quantile(p * p / v, v / p, alpha / 2);
    double pw = p + w;
    double vw = v + w * w;
    double upper = pw == 0 || vw == 0 ? p : quantile(pw * pw / vw, vw / pw, 1 - alpha / 2);
    return Interval.clamped(Math.min(lower, p), Math.max(upper, p), 0, 1, level, LABEL, false);
  }

  /**
   * The gamma quantile; above a shape of {@link #LARGE_SHAPE} (a variance tiny beside the estimate, where
   * the library's series does not converge) Wilson &amp; Hilferty's (1931) cube-root normal approximation
   * kθ(1 − 1/(9k) + z/√(9k))³, whose relative error there is below 1e-10.
   */
  private static double quantile(double shape, double scale, double prob) {
    if (shape > LARGE_SHAPE) {
      double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(prob);
      double c = 1 / (9 * shape);
      return shape * scale * Math.pow(1 - c + z * Math.sqrt(c), 3);
    }
    return GammaDistribution.of(shape, scale).inverseCumulativeProbability(prob);
  }

  static final double LARGE_SHAPE = 1e6;
}
