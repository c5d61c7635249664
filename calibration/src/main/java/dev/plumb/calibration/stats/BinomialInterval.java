package dev.plumb.calibration.stats;

import dev.plumb.core.Wilson;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Confidence intervals for a binomial proportion from {@code x} successes in {@code n} trials.
 * Both may be fractional: design-based methods plug in an effective sample size
 * {@code n = p(1-p)/v} and {@code x = p n} (Korn &amp; Graubard 1998).
 *
 * <p>Every method validates once in {@link #interval}; the constants implement the formula. Reference
 * values in the tests come from statsmodels {@code proportion_confint}.
 */
public enum BinomialInterval {
  /** Normal approximation p ± z·sqrt(p(1-p)/n). Clipped to [0,1]; degenerate at p = 0 or 1. */
  WALD("wald") {
    @Override
    Interval compute(double x, double n, double level) {
      double p = x / n;
      double z = z(level);
      double h = z * Math.sqrt(p * (1 - p) / n);
      return Interval.clamped(p - h, p + h, 0, 1, level, name, false);
    }
  },
  /** Wilson score interval (Wilson 1927); statsmodels method "wilson". */
  WILSON("wilson") {
    @Override
    Interval compute(double x, double n, double level) {
      double[] b = Wilson.bounds(x, n, z(level));
      return Interval.clamped(b[0], b[1], 0, 1, level, name, false);
    }
  },
  /**
   * Clopper–Pearson exact interval from beta quantiles; statsmodels method "beta". At x = 0 the
   * lower bound is 0; at x = n the upper bound is 1.
   */
  CLOPPER_PEARSON("clopper-pearson") {
    @Override
    Interval compute(double x, double n, double level) {
      double alpha = 1 - level;
      double lo = x <= 0 ? 0 : BetaDistribution.of(x, n - x + 1).inverseCumulativeProbability(alpha / 2);
      double hi = x >= n ? 1 : BetaDistribution.of(x + 1, n - x).inverseCumulativeProbability(1 - alpha / 2);
      // at an effective n of 1e15 and more (a variance estimate of ~0) the two quantiles can cross by
      // a rounding error; the interval is then the point
      return new Interval(Math.min(lo, hi), Math.max(lo, hi), level, name, false);
    }
  },
  /** Jeffreys interval: quantiles of Beta(x + 1/2, n - x + 1/2); statsmodels method "jeffreys". */
  JEFFREYS("jeffreys") {
    @Override
    Interval compute(double x, double n, double level) {
      double alpha = 1 - level;
      BetaDistribution b = BetaDistribution.of(x + 0.5, n - x + 0.5);
      double lo = x <= 0 ? 0 : b.inverseCumulativeProbability(alpha / 2);
      double hi = x >= n ? 1 : b.inverseCumulativeProbability(1 - alpha / 2);
      return new Interval(lo, hi, level, name, false);
    }
  };

  final String name;

  BinomialInterval(String name) {
    this.name = name;
  }

  /** The method's name in reports and on the command line. */
  public String label() {
    return name;
  }

  /**
   * The interval at confidence {@code level}.
   *
   * @param x successes, 0 ≤ x ≤ n (may be fractional)
   * @param n trials, n &gt; 0 (may be fractional)
   * @throws IllegalArgumentException naming the bad value
   */
  public Interval interval(double x, double n, double level) {
    if (!(n > 0) || Double.isInfinite(n)) {
      throw new IllegalArgumentException("Number of trials is not strictly positive: " + n);
    }
    if (!(x >= 0 && x <= n)) {
      throw new IllegalArgumentException("Number of successes " + x + " is not in [0, " + n + "]");
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    return compute(x, n, level);
  }

  /**
   * A one-sided upper bound at {@code level} for when no successes were observed: the Clopper–Pearson
   * bound 1 − (1 − level)^(1/n) (the "rule of three" ≈ 3/n at 95%). Never a zero-width interval.
   */
  public static Interval upperBoundForZero(double n, double level) {
    if (!(n > 0)) {
      throw new IllegalArgumentException("Number of trials is not strictly positive: " + n);
    }
    double upper = 1 - Math.pow(1 - level, 1 / n);
    return new Interval(0, upper, level, "clopper-pearson-upper", true);
  }

  abstract Interval compute(double x, double n, double level);

  /** The two-sided standard normal quantile z_{1-α/2}. */
  public static double z(double level) {
    return NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - (1 - level) / 2);
  }
}
