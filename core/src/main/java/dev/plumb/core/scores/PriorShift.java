package dev.plumb.core.scores;

import java.util.Arrays;
import java.util.Objects;

/**
 * Probabilities calibrated to one base rate, moved to another: the prior-shift correction of
 * Saerens, Latinne &amp; Decaestecker (2002), "Adjusting the outputs of a classifier to new a priori
 * probabilities: a simple procedure", <i>Neural Computation</i> 14(1):21–41.
 *
 * <p>A classifier whose probabilities p are calibrated where positives have share π_t (its training
 * data) gives, for a population where they have share π and the class-conditional distributions
 * are the same (label shift),
 *
 * <p>p' = (π/π_t) p / ((π/π_t) p + ((1 − π)/(1 − π_t)) (1 − p))  (their eq. 2.4).
 *
 * <p>When π is unknown, their EM (section 2.3) estimates it from the population's unlabeled
 * probabilities: π⁽ˢ⁺¹⁾ = Σ w_i p'_i(π⁽ˢ⁾)/Σ w_i, starting at π_t, until it stops moving. A
 * classify-and-count estimate at 0.5 on the training-calibrated p is what overstates a rare
 * prevalence: with π = 0.5% and π_t = 20% the false positives alone can outnumber the positives
 * (docs/benchmarks.md, "Scores as probabilities").
 *
 * <p>Stateless and thread-safe.
 */
public final class PriorShift {
  private PriorShift() {}

  /** The EM's stopping rule: |π⁽ˢ⁺¹⁾ − π⁽ˢ⁾| below this. */
  static final double TOLERANCE = 1e-10;
  /** The EM's iteration cap (it converges linearly; at rare prevalence slowly). */
  static final int MAX_ITERATIONS = 100_000;

  /**
   * {@code p} calibrated at base rate {@code from}, re-expressed at base rate {@code to}.
   *
   * @throws IllegalArgumentException when p is not in [0, 1] or a base rate is not in (0, 1)
   */
  public static double adjust(double p, double from, double to) {
    rate(from, "from");
    rate(to, "to");
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability is not in [0, 1]: " + p);
    }
    double a = to / from * p;
    double b = (1 - to) / (1 - from) * (1 - p);
    return a / (a + b);
  }

  /**
   * The result of the EM.
   *
   * @param prior π̂, the estimated share of positives in the population (weighted)
   * @param posteriors each unit's probability at π̂
   * @param iterations EM steps taken
   */
  public record Estimate(double prior, double[] posteriors, int iterations) {
    public Estimate {
      posteriors = posteriors.clone();
    }

    @Override
    public double[] posteriors() {
      return posteriors.clone();
    }
  }

  /**
   * Saerens et al.'s EM for the population's base rate from probabilities {@code p} calibrated at
   * {@code trained}, each unit weighted by {@code w} (exposure/π for a probability sample, so that
   * the estimate is the population's; {@code null} for equal weights).
   *
   * @throws IllegalArgumentException for lengths that differ, a probability outside [0, 1], a
   *     negative or non-finite weight, no positive weight, or a training rate outside (0, 1)
   */
  public static Estimate em(double[] p, double[] w, double trained) {
    Objects.requireNonNull(p, "p");
    rate(trained, "trained");
    double[] weights = w == null ? filled(p.length) : w;
    if (weights.length != p.length) {
      throw new IllegalArgumentException("p has " + p.length + " entries, w " + weights.length);
    }
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("p[" + i + "] is not in [0, 1]: " + p[i]);
      }
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException("w[" + i + "] is not a finite number >= 0: " + weights[i]);
      }
      total += weights[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("no unit has a positive weight");
    }
    double prior = trained;
    double[] post = new double[p.length];
    int it = 0;
    while (it < MAX_ITERATIONS) {
      it++;
      double sum = 0;
      for (int i = 0; i < p.length; i++) {
        post[i] = adjust(p[i], trained, prior);
        sum += weights[i] * post[i];
      }
      // the fixed point can be 0 or 1 (no unit looks positive / negative): stop inside (0, 1)
      double next = Math.min(1 - 1e-12, Math.max(1e-12, sum / total));
      boolean done = Math.abs(next - prior) < TOLERANCE;
      prior = next;
      if (done) {
        break;
      }
    }
    for (int i = 0; i < p.length; i++) {
      post[i] = adjust(p[i], trained, prior);
    }
    return new Estimate(prior, post, it);
  }

  /**
   * Probabilities {@code p} moved to the base rate whose (weighted) mean is {@code mean}: every
   * p's odds multiplied by the one factor c that makes Σ w_i p'_i/Σ w_i = mean. The same
   * correction as {@link #adjust} (c = odds(to)/odds(from)) when the training rate is not known,
   * only the population's expected prevalence: the ranking and the odds ratios between units are
   * kept, the level is set. Probabilities of exactly 0 or 1 stay.
   *
   * @throws IllegalArgumentException when mean is not in (0, 1), or every p is 0 or every p is 1
   *     (no factor can move the mean)
   */
  public static double[] toMean(double[] p, double[] w, double mean) {
    rate(mean, "target");
    double[] weights = w == null ? filled(p.length) : w;
    double lo = -60;
    double hi = 60;
    if (meanAt(p, weights, lo) > mean || meanAt(p, weights, hi) < mean) {
      throw new IllegalArgumentException("no shift of the probabilities reaches a mean of " + mean);
    }
    // the mean is increasing in log c: bisection to machine precision
    for (int k = 0; k < 200 && hi - lo > 1e-13; k++) {
      double mid = (lo + hi) / 2;
      if (meanAt(p, weights, mid) < mean) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double c = Math.exp((lo + hi) / 2);
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = shifted(p[i], c);
    }
    return out;
  }

  private static double meanAt(double[] p, double[] w, double logC) {
    double c = Math.exp(logC);
    double num = 0;
    double den = 0;
    for (int i = 0; i < p.length; i++) {
      num += w[i] * shifted(p[i], c);
      den += w[i];
    }
    return num / den;
  }

  private static double shifted(double p, double c) {
    return p <= 0 || p >= 1 ? p : c * p / (c * p + 1 - p);
  }

  /**
   * The classify-and-count threshold for calibrated probabilities: the t at which the weighted
   * share of units with q ≥ t equals the weighted mean of q, so that counting q ≥ t is unbiased
   * where q is calibrated (expected false positives above t equal expected misses below it).
   * Returns the smallest q that meets the share, 1.0 when the mean is 0.
   */
  public static double countThreshold(double[] q, double[] w) {
    double[] weights = w == null ? filled(q.length) : w;
    Integer[] order = new Integer[q.length];
    double total = 0;
    double mass = 0;
    for (int i = 0; i < q.length; i++) {
      order[i] = i;
      total += weights[i];
      mass += weights[i] * q[i];
    }
    if (!(mass > 0)) {
      return 1.0;
    }
    Arrays.sort(order, (a, b) -> Double.compare(q[b], q[a]));
    double target = mass / total;
    double above = 0;
    for (int k = 0; k < order.length; k++) {
      above += weights[order[k]] / total;
      // include this unit when that brings the share closer to the target than stopping before it
      if (above >= target) {
        boolean include = above - target <= target - (above - weights[order[k]] / total);
        return include ? q[order[k]] : Math.nextUp(q[order[k]]);
      }
    }
    return q[order[order.length - 1]];
  }

  private static double[] filled(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }

  private static void rate(double r, String name) {
    if (!(r > 0 && r < 1)) {
      throw new IllegalArgumentException(name + " base rate is not in (0, 1): " + r);
    }
  }
}
