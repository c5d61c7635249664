package dev.plumb.calibration.quality;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;

/**
 * A (possibly weighted) proportion with its Wilson interval.
 *
 * @param estimate Σ w·[success] / Σ w over the denominator set; NaN when the set is empty
 * @param successes the weighted numerator Σ w·[success] (a count when unweighted)
 * @param total the weighted denominator Σ w (a count when unweighted)
 * @param units how many units are in the denominator set
 * @param effectiveN Kish's effective sample size (Σ w)²/Σ w², which equals {@code units} when
 *     all weights are equal
 * @param interval the Wilson interval on the effective sample size (x = estimate·n_eff,
 *     n = n_eff), or {@code null} when the set is empty
 */
public record Rate(
    double estimate, double successes, double total, int units, double effectiveN, Interval interval) {

  /** An empty denominator: no estimate. */
  static Rate empty() {
    return new Rate(Double.NaN, 0, 0, 0, 0, null);
  }

  /** Accumulates weights and builds the rate. */
  static final class Tally {
    private double sw;
    private double sw2;
    private double swy;
    private int n;

    void add(double w, boolean success) {
      sw += w;
      sw2 += w * w;
      if (success) {
        swy += w;
      }
      n++;
    }

    Rate rate(double level) {
      if (n == 0) {
        return empty();
      }
      double p = swy / sw;
      double nEff = sw * sw / sw2;
      Interval ci = BinomialInterval.WILSON.interval(Math.min(nEff, Math.max(0, p * nEff)), nEff, level);
      return new Rate(p, swy, sw, n, nEff, ci);
    }
  }
}
