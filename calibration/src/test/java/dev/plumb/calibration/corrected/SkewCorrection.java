package dev.plumb.calibration.corrected;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;

/**
 * For the coverage simulations (other packages): a skewness-corrected interval for human-only's P̂ =
 * Σ_G w_i y_i / Σ_G w_i (w = m·d1/π2), tried against Korn–Graubard's 3% shortfall (docs/calibration.md,
 * "Korn–Graubard at 3%"). Not used by plumb.
 *
 * <p>The studentised statistic T = (P̂ − P)/SE is skewed for two reasons: P̂ itself is (third cumulant κ3), and
 * SE moves with P̂ (a sample that missed a heavy violation has both a low P̂ and a low SE). To first order
 * T ≈ Z − Z (V̂ − V)/(2V), so E T ≈ −B/2 and κ3(T) ≈ A − 3B with A = κ3/V^{3/2} and B = Cov(P̂, V̂)/V^{3/2}
 * (Hall 1992, <i>The Bootstrap and Edgeworth Expansion</i>, §2.6; for a mean A = B = γ and this is the
 * studentised mean's −γ/2 and −2γ). Both come from the linearised terms u_i = w_i (y_i − P̂)/Σ_G w_i, each
 * sampled unit a Poisson draw with its joint inclusion probability π_i = π1_i π2_i: for a Horvitz–Thompson
 * sum with V̂ = Σ_S (1 − π) u², κ3 = Σ_U (1 − π)(1 − 2π) z³/π² and Cov(T̂, V̂) = Σ_U (1 − π)² z³/π², each
 * estimated without bias by dividing by π once more: Â = Σ_G (1 − π)(1 − 2π) u³ / V̂^{3/2},
 * B̂ = Σ_G (1 − π)² u³ / V̂^{3/2}, V̂ = Σ_G (1 − π) u².
 *
 * <p>The interval inverts Hall's monotone cubic transformation g(T) = T + aT² + a²T³/3 + b with
 * a = −κ3(T)/6 = (3B − A)/6 and b = −E T − a = B/2 − a, so that g(T) has mean 0 and skewness 0 to first
 * order — Johnson's (1978) modified t, whose quadratic Hall made monotone (P. Hall, "On the removal of
 * skewness by transformation", JRSS B 54 (1992) 221–228; N. J. Johnson, JASA 73 (1978) 536–544); for a mean
 * a = γ/3, b = γ/6 as there. {P : |g((P̂ − P)/SE)| ≤ z}, with g⁻¹(x) = ((1 + 3a(x − b))^{1/3} − 1)/a.
 */
public final class SkewCorrection {
  private SkewCorrection() {}

  /** The interval's method label. */
  public static final String LABEL = "hall-skew";

  /** {Â, B̂}: the estimator's standardised third cumulant and its standardised covariance with V̂ (0 without variance). */
  public static double[] moments(TwoPhaseSample s, double p) {
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += weight(s, i);
    }
    double k2 = 0;
    double k3 = 0;
    double cov = 0;
    for (int i : s.goldIndex) {
      double u = weight(s, i) * (s.y[i] - p) / sw;
      double pi = Math.min(1, 1 / s.phase1.designWeight(i)) * s.pi2[i];
      k2 += (1 - pi) * u * u;
      k3 += (1 - pi) * (1 - 2 * pi) * u * u * u;
      cov += (1 - pi) * (1 - pi) * u * u * u;
    }
    return k2 > 0 ? new double[] {k3 / Math.pow(k2, 1.5), cov / Math.pow(k2, 1.5)} : new double[2];
  }

  /** Hall's interval around {@code e}'s estimate and SE, clamped to [0, 1], then the certainty floor. */
  public static Interval hall(TwoPhaseSample s, Corrected.Estimated e, double level) {
    double[] ab = moments(s, e.estimate());
    double a = (3 * ab[1] - ab[0]) / 6;
    double b = ab[1] / 2 - a;
    double z = BinomialInterval.z(level);
    double p = e.estimate();
    // the certainty floor applies under every interval, as in Estimators
    return ReviewClassIntervals.certaintyFloor(s, null).widen(Interval.clamped(p - e.se() * inverse(z, a, b),
        p - e.se() * inverse(-z, a, b), 0, 1, level, LABEL, false), level);
  }

  /** g⁻¹(x) for g(t) = t + at² + a²t³/3 + b (x − b when a is 0). */
  static double inverse(double x, double a, double b) {
    double shifted = x - b;
    return Math.abs(a) < 1e-12 ? shifted : (Math.cbrt(1 + 3 * a * shifted) - 1) / a;
  }

  private static double weight(TwoPhaseSample s, int i) {
    return s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
  }
}
