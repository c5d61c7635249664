package dev.plumb.calibration.gold;

import java.util.Arrays;

/**
 * The unbiased gold of one reviewed item as a function of its raters' rates and its prior: the sums over the 2^k answer
 * patterns that {@link RaterErrorModel} scores every item with and that {@code plumb plan} differentiates to plan the
 * raters' part of a variance (docs/calibration.md, "The unbiased gold"; docs/review.md, "The raters' part"). Pure
 * arithmetic, no fitted state.
 */
public final class UnbiasedGold {
  /** Rates and probabilities are kept this far from 0 and 1, so every log stays finite. */
  private static final double FLOOR = 1e-12;

  private UnbiasedGold() {}

  /**
   * The unbiased gold g(a) of every answer pattern a of k raters (k ≤ 20; bit j of a set when rater j answered
   * positive) scored at rates {@code se}, {@code sp} and prior π, as {@code queue import} scores an item, and the chance
   * of each pattern under the rates {@code seTrue}, {@code spTrue}: {g[a], P(a | violating), P(a | clean)}. What
   * {@code plumb plan} differentiates to carry the rates' and the prior's uncertainty into a planned variance.
   */
  public static double[][] patterns(double[] se, double[] sp, double[] seTrue, double[] spTrue, double prior) {
    double[] m = moments(se, sp, se, sp, prior);
    double[] q = posteriors(se, sp, prior);
    int k = se.length;
    double[] g = new double[1 << k];
    double[] p1 = new double[1 << k];
    double[] p0 = new double[1 << k];
    boolean invert = m[1] - m[0] > 1e-9;
    for (int mask = 0; mask < 1 << k; mask++) {
      double a1 = 1;
      double a0 = 1;
      for (int j = 0; j < k; j++) {
        boolean a = (mask >> j & 1) == 1;
        a1 *= a ? clamp(seTrue[j]) : 1 - clamp(seTrue[j]);
        a0 *= a ? 1 - clamp(spTrue[j]) : clamp(spTrue[j]);
      }
      g[mask] = invert ? (q[mask] - m[0]) / (m[1] - m[0]) : q[mask];
      p1[mask] = a1;
      p0[mask] = a0;
    }
    return new double[][] {g, p1, p0};
  }

  /**
   * The unbiased gold's moments for one item answered by k raters (k ≤ 20) with fitted rates {@code se}, {@code sp}
   * at prior π, when the answers come from raters whose true rates are {@code seTrue}, {@code spTrue}: summing over
   * the 2^k answer patterns a, with q(a) the posterior at the fitted rates and e_c = Σ_a P_fit(a | c) q(a), g(a) =
   * (q(a) − e0)/(e1 − e0) ({@link RaterErrorModel#scored}; g = q when e1 − e0 ≤ 1e-9),
   *
   * <pre>  {e0, e1, Var(g | clean), Var(g | violating), E[g | clean], E[g | violating]}</pre>
   *
   * the variances and means over P_true(a | c). At true = fitted rates E[g | c] = c exactly and the variances are
   * the answers' noise {@code scored} reports; away from them the means show how an error in the rates moves the
   * gold, which is what {@code plumb plan} carries into the rates' uncertainty (docs/review.md, "The raters' part").
   * Rates are clamped to [1e-12, 1 − 1e-12].
   */
  public static double[] moments(double[] se, double[] sp, double[] seTrue, double[] spTrue, double prior) {
    int k = se.length;
    if (k > 20 || sp.length != k || seTrue.length != k || spTrue.length != k) {
      throw new IllegalArgumentException("the unbiased gold's moments take 1 to 20 raters with one rate each, found "
          + k + " sensitivities, " + sp.length + " specificities");
    }
    double[] sen = new double[k];
    double[] spe = new double[k];
    double[] tse = new double[k];
    double[] tsp = new double[k];
    for (int j = 0; j < k; j++) {
      sen[j] = clamp(se[j]);
      spe[j] = clamp(sp[j]);
      tse[j] = clamp(seTrue[j]);
      tsp[j] = clamp(spTrue[j]);
    }
    double[] q = posteriors(se, sp, prior);
    boolean same = Arrays.equals(se, seTrue) && Arrays.equals(sp, spTrue);
    double e0 = 0;
    double e1 = 0;
    double s0 = 0; // Σ_a P(a | c) q(a)², for g's variance given the class
    double s1 = 0;
    double t0 = 0; // the same sums under the true rates
    double t1 = 0;
    double u0 = 0;
    double u1 = 0;
    for (int mask = 0; mask < 1 << k; mask++) {
      double p1 = 1;
      double p0 = 1;
      double r1 = 1;
      double r0 = 1;
      for (int j = 0; j < k; j++) {
        boolean a = (mask >> j & 1) == 1;
        p1 *= a ? sen[j] : 1 - sen[j];
        p0 *= a ? 1 - spe[j] : spe[j];
        if (!same) {
          r1 *= a ? tse[j] : 1 - tse[j];
          r0 *= a ? 1 - tsp[j] : tsp[j];
        }
      }
      double qa = q[mask];
      e1 += p1 * qa;
      e0 += p0 * qa;
      s1 += p1 * qa * qa;
      s0 += p0 * qa * qa;
      if (!same) {
        t1 += r1 * qa;
        t0 += r0 * qa;
        u1 += r1 * qa * qa;
        u0 += r0 * qa * qa;
      }
    }
    if (same) {
      t0 = e0;
      t1 = e1;
      u0 = s0;
      u1 = s1;
    }
    boolean invert = e1 - e0 > 1e-9;
    // g affine in q: Var(g | c) = Var(q | c)/(e1 − e0)², E[g | c] = (E[q | c] − e0)/(e1 − e0)
    double d = invert ? e1 - e0 : 1;
    double shift = invert ? e0 : 0;
    double var1 = Math.max(0, u1 - t1 * t1) / (d * d);
    double var0 = Math.max(0, u0 - t0 * t0) / (d * d);
    return new double[] {e0, e1, var0, var1, (t0 - shift) / d, (t1 - shift) / d};
  }

  /** The posterior q(a) of every answer pattern a (bit j set: rater j answered positive) at rates se, sp and prior π. */
  private static double[] posteriors(double[] se, double[] sp, double prior) {
    int k = se.length;
    double[] pos = new double[k];
    double[] neg = new double[k];
    for (int j = 0; j < k; j++) {
      double s = clamp(se[j]);
      double c = clamp(sp[j]);
      pos[j] = Math.log(s) - Math.log(1 - c);
      neg[j] = Math.log(1 - s) - Math.log(c);
    }
    double base = logit(prior);
    double[] q = new double[1 << k];
    for (int mask = 0; mask < 1 << k; mask++) {
      double logOdds = base;
      for (int j = 0; j < k; j++) {
        logOdds += (mask >> j & 1) == 1 ? pos[j] : neg[j];
      }
      q[mask] = sigmoid(logOdds);
    }
    return q;
  }

  static double logit(double p) {
    return Math.log(clamp(p)) - Math.log(clamp(1 - p));
  }

  static double sigmoid(double logOdds) {
    return logOdds >= 0 ? 1 / (1 + Math.exp(-logOdds)) : Math.exp(logOdds) / (1 + Math.exp(logOdds));
  }

  static double clamp(double p) {
    return Math.min(1 - FLOOR, Math.max(FLOOR, p));
  }
}
