package dev.plumb.calibration.corrected;

import dev.plumb.calibration.stats.Interval;
import java.util.Map;

/** What one estimator says about a policy's prevalence: an estimate, only an upper bound, or nothing. */
public sealed interface Corrected {

  CorrectedEstimator estimator();

  /**
   * A point estimate with its standard error and interval.
   *
   * @param estimate P̂ (a difference estimator may fall slightly outside [0, 1]; the interval never does)
   * @param se standard error √(V1 + V2)
   * @param interval the confidence interval
   * @param effectiveN P̂(1 − P̂)/V̂, the size of a simple random sample with the same precision
   * @param details estimator-specific figures, e.g. {@code lambda}, {@code variance_phase1},
   *     {@code variance_phase2}, {@code sensitivity}, {@code specificity}, {@code apparent}
   * @param note a caveat worth showing beside the number (empty when none)
   */
  record Estimated(
      CorrectedEstimator estimator, double estimate, double se, Interval interval, double effectiveN,
      Map<String, Double> details, String note) implements Corrected {
    public Estimated {
      details = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(details));
    }
  }

  /**
   * No positive was observed where the estimator needs one: only a one-sided upper bound is
   * informative, never a zero-width interval.
   *
   * @param estimate the point estimate (0 for human-only)
   * @param bound the one-sided interval [0, upper] ({@link Interval#oneSided()} is true)
   * @param reason why only a bound is given
   */
  record UpperBound(CorrectedEstimator estimator, double estimate, Interval bound, String reason)
      implements Corrected {}

  /** The estimator cannot be computed from these data; {@code reason} says why. */
  record NotEstimable(CorrectedEstimator estimator, String reason) implements Corrected {}
}
