package dev.plumb.core;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), the one formula shared by the
 * calibration report and the prompt test. statsmodels {@code proportion_confint(method="wilson")}
 * computes the same bounds.
 */
public final class Wilson {
  private Wilson() {}

  /**
   * The interval's bounds {@code {lower, upper}} for {@code x} successes in {@code n} trials at the
   * two-sided normal quantile {@code z} (1.96 for 95%), clipped to [0, 1]. {@code x} and {@code n}
   * may be fractional (an effective sample size); the caller checks 0 ≤ x ≤ n and n &gt; 0.
   */
  public static double[] bounds(double x, double n, double z) {
    double p = x / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double h = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return new double[] {Math.max(0, centre - h), Math.min(1, centre + h)};
  }
}
