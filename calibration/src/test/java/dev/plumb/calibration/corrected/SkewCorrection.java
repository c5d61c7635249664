package dev.plumb.calibration.corrected;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;

/**
 * For the coverage simulations (other packages): a skewness-corrected interval for human-only's P̂ =
 * Σ_G w_i y_i / Σ_G w_i (w = m·d1/π2), tried against Korn–Graubard's 3% shortfall (docs/calibration.md,
 * "Korn–Graubard at 3%"). Not used by plumb.
 *
 * <p>The estimator's standardised third cumulant from its linearised terms u_i = w_i (y_i − P̂)/Σ_G w_i,
 * each unit in the sample with its joint inclusion probability π_i = π1_i π2_i treated as a Poisson draw (the
 * third cumulant of a Horvitz–Thompson sum under Poisson sampling is Σ_U (1 − π)(1 − 2π) z³/π², estimated
 * without bias by Σ_S (1 − π)(1 − 2π) (z/π)³): γ̂ = Σ_G (1 − π)(1 − 2π) u³ / (Σ_G (1 − π) u²)^{3/2}.
 *
 * <p>The interval inverts Hall's (1992) monotone cubic transformation of the studentised statistic
 * T = (P̂ − P)/SE, g(T) = T + aT² + a²T³/3 + γ̂/6 with a = γ̂/3 — Johnson's (1978) modified t, whose
 * quadratic Hall made monotone (P. Hall, "On the removal of skewness by transformation", JRSS B 54 (1992)
 * 221–228; N. J. Johnson, JASA 73 (1978) 536–544): {P : |g((P̂ − P)/SE)| ≤ z}, with
 * g⁻¹(x) = ((1 + 3a(x − γ̂/6))^{1/3} − 1)/a.
 */
public final class SkewCorrection {
  private SkewCorrection() {}

  /** The interval's method label. */
  public static final String LABEL = "hall-skew";

  /** γ̂, the estimator's standardised skewness (0 without gold variance). */
  public static double skewness(TwoPhaseSample s, double p) {
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += weight(s, i);
    }
    double k2 = 0;
    double k3 = 0;
    for (int i : s.goldIndex) {
      double u = weight(s, i) * (s.y[i] - p) / sw;
      double pi = Math.min(1, 1 / s.phase1.designWeight(i)) * s.pi2[i];
      k2 += (1 - pi) * u * u;
      k3 += (1 - pi) * (1 - 2 * pi) * u * u * u;
    }
    return k2 > 0 ? k3 / Math.pow(k2, 1.5) : 0;
  }

  /** Hall's interval around {@code e}'s estimate and SE, clamped to [0, 1], then the certainty floor. */
  public static Interval hall(TwoPhaseSample s, Corrected.Estimated e, double level) {
    double gamma = skewness(s, e.estimate());
    double z = BinomialInterval.z(level);
    double p = e.estimate();
    // the certainty floor applies under every interval, as in Estimators
    return ReviewClassIntervals.certaintyFloor(s, null).widen(Interval.clamped(p - e.se() * inverse(z, gamma),
        p - e.se() * inverse(-z, gamma), 0, 1, level, LABEL, false), level);
  }

  /** g⁻¹(x) for skewness γ̂ (the identity shifted by γ̂/6 when γ̂ is 0). */
  static double inverse(double x, double gamma) {
    double a = gamma / 3;
    double shifted = x - gamma / 6;
    return Math.abs(a) < 1e-12 ? shifted : (Math.cbrt(1 + 3 * a * shifted) - 1) / a;
  }

  private static double weight(TwoPhaseSample s, int i) {
    return s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
  }
}
