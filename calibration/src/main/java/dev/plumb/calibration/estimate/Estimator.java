package dev.plumb.calibration.estimate;

import java.util.Objects;

/**
 * Design-based estimators over a {@link DesignSample}: one code path, parameterised by the design.
 *
 * <p>The target is the exposure-weighted rate P = Σ_U m_i y_i / Σ_U m_i. Its Hájek estimator is
 * P̂ = Σ_S d_i m_i y_i / Σ_S d_i m_i; its linearised variable is z_i = m_i (y_i − P̂) / M̂ with
 * M̂ = Σ_S d_i m_i, and Var(P̂) is the design variance of the estimated total Σ_S d_i z_i
 * ({@link #totalVariance}). Domains are estimated as domains: units outside the domain keep their
 * place in the design with z_i = 0, so the per-stratum sample sizes, centring and finite-population
 * corrections are those of the whole sample (Lumley 2010, §2.3; R {@code survey}'s {@code svyby} and
 * {@code subset}). Numbers agree with R {@code survey}'s {@code svyratio}; see the tests.
 *
 * <p>Stateless and thread-safe.
 */
public final class Estimator {
  private Estimator() {}

  /** The ratio over the whole sample; see {@link #ratio(DesignSample, double[], boolean[])}. */
  public static Estimate ratio(DesignSample sample, double[] y) {
    return ratio(sample, y, null);
  }

  /**
   * The Hájek ratio of {@code y} over the domain {@code domain}, with its linearisation variance.
   *
   * @param y per-unit values in sample order; 0/1 for a prevalence, any finite real otherwise (a
   *     difference estimator's residuals); values of units outside the domain are ignored
   * @param domain per-unit domain indicator, or {@code null} for the whole sample
   * @throws IllegalArgumentException when the arrays do not match the sample, a y in the domain is
   *     not finite, or the domain has no exposure (no units, or all with weight 0)
   */
  public static Estimate ratio(DesignSample sample, double[] y, boolean[] domain) {
    Objects.requireNonNull(sample, "sample");
    int size = sample.size();
    check(y, size, "y");
    if (domain != null && domain.length != size) {
      throw new IllegalArgumentException("domain has " + domain.length + " entries, the sample " + size + " units");
    }
    double num = 0;
    double den = 0;
    double sumW = 0;
    double sumW2 = 0;
    double sumY = 0;
    int n = 0;
    int rows = 0;
    for (int i = 0; i < size; i++) {
      if (domain != null && !domain[i]) {
        continue;
      }
      if (!Double.isFinite(y[i])) {
        throw new IllegalArgumentException("y[" + i + "] is not finite: " + y[i]);
      }
      double w = sample.d[i] * sample.m[i];
      num += w * y[i];
      den += w;
      sumW += w;
      // Kish per draw, as R survey with one row per draw: each of the unit's draws_i rows carries
      // w/draws_i, so the unit adds draws_i·(w/draws_i)² = w²/draws_i (w² without replacement)
      sumW2 += w * w / sample.draws[i];
      sumY += y[i];
      n++;
      rows += sample.draws[i];
    }
    if (!(den > 0)) {
      throw new IllegalArgumentException(
          n == 0 ? "the domain has no sampled units" : "the domain's units all have weight 0");
    }
    double p = num / den;
    double[] z = new double[size];
    for (int i = 0; i < size; i++) {
      if (domain == null || domain[i]) {
        z[i] = sample.m[i] * (y[i] - p) / den;
      }
    }
    double v = totalVariance(sample, z);
    double kish = sumW * sumW / sumW2;
    double nEff;
    if (p <= 0 || p >= 1) {
      nEff = kish;
    } else if (v == 0) {
      nEff = Double.POSITIVE_INFINITY;
    } else {
      nEff = p * (1 - p) / v;
    }
    double deff = (p <= 0 || p >= 1) ? rows / kish : rows / nEff;
    int ktRows = sample.type().poissonForm() ? sample.rows() : rows;
    return new Estimate(p, Math.sqrt(v), v, n, rows, ktRows, degreesOfFreedom(sample, domain), sumY, den, nEff, deff, kish);
  }

  /** The Horvitz–Thompson (Hansen–Hurwitz with replacement) total Σ_S d_i x_i. */
  public static double total(DesignSample sample, double[] x) {
    check(x, sample.size(), "x");
    double t = 0;
    for (int i = 0; i < x.length; i++) {
      t += sample.d[i] * x[i];
    }
    return t;
  }

  /**
   * The design-based variance estimate of the total Σ_S d_i x_i, for any per-unit variable x (a
   * linearised variable, or 0 outside a domain). With t_i = d_i x_i:
   *
   * <ul>
   *   <li>SRS and stratified (without replacement): Σ_h (1 − n_h/N_h) n_h/(n_h − 1) Σ_{i∈h} (t_i −
   *       t̄_h)² (Särndal et al. 1992, §3.7); a stratum with one sampled unit contributes
   *       (1 − n_h/N_h) t_i², R {@code survey}'s {@code options(survey.lonely.psu = "adjust")}.
   *   <li>Poisson and priority: Σ (1 − π_i) t_i² (Särndal et al. 1992, §3.5, Poisson sampling; Duffield, Lund &amp; Thorup 2007 for priority sampling with π̃_i).
   *   <li>PPS with replacement: per stratum, with u_k = x_i/(n_h p_i) per draw k of unit i,
   *       n_h/(n_h − 1) Σ_k (u_k − ū_h)² (Hansen &amp; Hurwitz 1943; Särndal et al. 1992, §2.9).
   * </ul>
   */
  public static double totalVariance(DesignSample sample, double[] x) {
    check(x, sample.size(), "x");
    DesignType type = sample.type();
    if (type.poissonForm()) {
      double v = 0;
      for (int i = 0; i < x.length; i++) {
        double t = sample.d[i] * x[i];
        v += (1 - sample.pi[i]) * t * t;
      }
      return v;
    }
    int strata = sample.strata().size();
    double[] mean = new double[strata];
    // per-PSU values: t_i for without replacement; u = t_i / draws_i per draw with replacement
    for (int i = 0; i < x.length; i++) {
      mean[sample.stratum[i]] += sample.d[i] * x[i];
    }
    for (int h = 0; h < strata; h++) {
      if (sample.sampled[h] > 0) {
        mean[h] /= sample.sampled[h];
      }
    }
    double[] ss = new double[strata];
    for (int i = 0; i < x.length; i++) {
      int h = sample.stratum[i];
      double u = sample.d[i] * x[i] / sample.draws[i];
      if (sample.sampled[h] > 1) {
        double dev = u - mean[h];
        ss[h] += sample.draws[i] * dev * dev;
      } else {
        ss[h] += u * u;
      }
    }
    double v = 0;
    for (int h = 0; h < strata; h++) {
      int nh = sample.sampled[h];
      double f = sample.fpc[h];
      if (nh == 0 || f < 1e-7) {
        continue; // a census stratum (or an empty one) adds no variance
      }
      v += nh > 1 ? f * nh / (nh - 1.0) * ss[h] : f * ss[h];
    }
    return v;
  }

  /** PSUs in the domain minus strata present in it; rows − 1 for the Poisson-form designs. */
  static int degreesOfFreedom(DesignSample sample, boolean[] domain) {
    int rows = 0;
    boolean[] present = new boolean[sample.strata().size()];
    for (int i = 0; i < sample.size(); i++) {
      if (domain == null || domain[i]) {
        rows += sample.draws[i];
        present[sample.stratum[i]] = true;
      }
    }
    if (sample.type().poissonForm()) {
      return rows - 1;
    }
    int strata = 0;
    for (boolean b : present) {
      strata += b ? 1 : 0;
    }
    return rows - strata;
  }

  private static void check(double[] values, int size, String name) {
    Objects.requireNonNull(values, name);
    if (values.length != size) {
      throw new IllegalArgumentException(name + " has " + values.length + " entries, the sample " + size + " units");
    }
  }
}
