package dev.plumb.calibration.stats;

/**
 * A confidence interval for a proportion-like quantity.
 *
 * @param lower lower bound (0 for a one-sided upper bound)
 * @param upper upper bound (1 for a one-sided lower bound)
 * @param confidence nominal coverage, e.g. 0.95
 * @param method the method's name as shown in reports, e.g. {@code wilson}
 * @param oneSided true when only one bound is informative, at one-sided level {@code confidence}:
 *     [0, upper] when no positives were observed, [lower, 1] when every unit was positive
 */
public record Interval(double lower, double upper, double confidence, String method, boolean oneSided) {
  public Interval {
    if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
      throw new IllegalArgumentException("invalid interval [" + lower + ", " + upper + "]");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0,1): " + confidence);
    }
  }

  /**
   * [lower, upper] with both bounds clamped into [min, max]. Clamping only the bound that can spill
   * over is not enough: a rate computed as a ratio of floating-point sums can itself land a few ulps
   * outside its range (κ = 1.0000000000000775 when every pair agrees), and then the lower bound
   * would pass the clamped upper one.
   */
  public static Interval clamped(double lower, double upper, double min, double max, double confidence, String method,
      boolean oneSided) {
    return new Interval(Math.min(max, Math.max(min, lower)), Math.max(min, Math.min(max, upper)), confidence, method,
        oneSided);
  }

  public double width() {
    return upper - lower;
  }

  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }
}
