package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.Stratum;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The variance of a two-phase estimator of a total, Σ_S d1_i a_i + Σ_G d1_i d2_i b_i (d2 = 1/π2):
 * V = V1 + V2 (Särndal, Swensson &amp; Wretman 1992, §9.3, result 9.3.1 and its estimator 9.3.5).
 *
 * <ul>
 *   <li>V2, the phase-2 component: the variance of Σ_G d1_i b_i/π2_i as an estimator of
 *       Σ_S d1_i b_i under stratified SRS of G within S — {@link Estimator#totalVariance} of the
 *       stratified design of the gold units (strata = phase-2 strata, N_g = n1_g).
 *   <li>V1, the phase-1 component: the phase-1 design's variance estimator of Σ_S d1_i e_i with
 *       e = a + b, which needs e on all of S but y is known on G only. Written as a quadratic form
 *       Σ_k Σ_l c_kl e_k e_l over S (the same estimator as {@link Estimator#totalVariance}), each term
 *       is estimated without bias from G by dividing it by the phase-2 inclusion probability of the
 *       pair: π2_k on the diagonal; n2_g(n2_g − 1)/(n1_g(n1_g − 1)) for two units of phase-2 stratum
 *       g; π2_k π2_l across phase-2 strata.
 * </ul>
 * The sum is Horvitz–Thompson's estimator for the two-phase design with π*_kl = π1_kl π2_kl|S, which
 * is what R {@code survey} computes for {@code twophase(..., method = "full")}.
 */
final class TwoPhaseVariance {
  private final TwoPhaseSample s;
  private final DesignType type;
  /** Phase-1 stratum index and draws per unit of S. */
  private final int[] h1;
  private final int[] draws;
  private final double[] pi1;
  private final int[] n1h;
  private final double[] fpc;

  TwoPhaseVariance(TwoPhaseSample s) {
    this.s = s;
    DesignSample p1 = s.phase1;
    this.type = p1.type();
    List<Stratum> strata = p1.strata();
    Map<String, Integer> index = new HashMap<>();
    for (int h = 0; h < strata.size(); h++) {
      index.put(strata.get(h).id(), h);
    }
    int n = p1.size();
    h1 = new int[n];
    draws = new int[n];
    pi1 = new double[n];
    for (int i = 0; i < n; i++) {
      Inclusion inc = p1.units().get(i).inclusion();
      h1[i] = index.get(inc.stratum());
      if (inc instanceof Inclusion.WithReplacement w) {
        draws[i] = w.draws();
        pi1[i] = 1 / p1.designWeight(i);
      } else if (inc instanceof Inclusion.WithoutReplacement w) {
        draws[i] = 1;
        pi1[i] = w.pi();
      }
    }
    n1h = new int[strata.size()];
    fpc = new double[strata.size()];
    for (int h = 0; h < strata.size(); h++) {
      Stratum st = strata.get(h);
      n1h[h] = st.n();
      boolean wor = type == DesignType.SRS || type == DesignType.STRATIFIED;
      fpc[h] = wor && st.units() > 0 ? (double) (st.units() - st.n()) / st.units() : 1;
    }
  }

  /** V2: the phase-2 variance of Σ_G d1 b/π2, for b given on the gold units (array over S). */
  double phase2(double[] b) {
    if (s.phase2 == null) {
      return 0;
    }
    double[] x = new double[s.goldIndex.length];
    for (int j = 0; j < x.length; j++) {
      int i = s.goldIndex[j];
      x[j] = s.phase1.designWeight(i) * b[i];
    }
    return Estimator.totalVariance(s.phase2, x);
  }

  /** V1: the phase-1 variance of Σ_S d1 e, estimated from the gold units (e given on G). */
  double phase1(double[] e) {
    if (s.phase2 == null) {
      return 0;
    }
    if (type == DesignType.POISSON || type == DesignType.PRIORITY) {
      double v = 0;
      for (int i : s.goldIndex) {
        double t = s.phase1.designWeight(i) * e[i];
        v += (1 - pi1[i]) * t * t / s.pi2[i];
      }
      return v;
    }
    int strata = n1h.length;
    // Phase-2 cells whose pairs share one joint probability: the phase-2 strata, or under the
    // Poisson (active) review every unit on its own (n2 = 1, n1 = 1/π2): pairs then get π2_k π2_l.
    int g2 = s.poisson ? s.goldIndex.length : s.strata2.size();
    double[] cellN2 = new double[g2];
    double[] cellN1 = new double[g2];
    int[] cellOf = new int[s.phase1.size()];
    for (int j = 0; j < s.goldIndex.length; j++) {
      int i = s.goldIndex[j];
      cellOf[i] = s.poisson ? j : s.stratum2[i];
      cellN2[cellOf[i]] = s.poisson ? 1 : s.n2g[cellOf[i]];
      cellN1[cellOf[i]] = s.poisson ? 1 / s.pi2[i] : s.n1g[cellOf[i]];
    }
    double[] a = new double[strata];
    double[] diag = new double[strata];
    double[] cellSum = new double[strata * g2];
    double[] cellSq = new double[strata * g2];
    for (int i : s.goldIndex) {
      int h = h1[i];
      double v = s.phase1.designWeight(i) * e[i]; // t_i u_i: the unit's share of the total
      double u = v / draws[i];
      a[h] += draws[i] * u * u / s.pi2[i];
      diag[h] += v * v / s.pi2[i];
      int c = h * g2 + cellOf[i];
      cellSum[c] += v;
      cellSq[c] += v * v;
    }
    double total = 0;
    for (int h = 0; h < strata; h++) {
      int nh = n1h[h];
      if (nh == 0 || fpc[h] < 1e-7) {
        continue; // a census stratum adds no variance, as in Estimator.totalVariance
      }
      if (nh == 1) {
        total += fpc[h] * a[h];
        continue;
      }
      double square = diag[h]; // estimate of (Σ_{S_h} t u)²
      double across = 0;
      double acrossSq = 0;
      for (int g = 0; g < g2; g++) {
        int c = h * g2 + g;
        double n2 = cellN2[g];
        double n1 = cellN1[g];
        if (n2 >= 2 && n1 > 1) {
          double pi2pair = n2 * (n2 - 1) / (n1 * (n1 - 1));
          square += (cellSum[c] * cellSum[c] - cellSq[c]) / pi2pair;
        }
        if (n2 == 0) {
          continue;
        }
        double pi2 = n2 / n1;
        across += cellSum[c] / pi2;
        acrossSq += (cellSum[c] / pi2) * (cellSum[c] / pi2);
      }
      square += across * across - acrossSq;
      total += fpc[h] * nh / (nh - 1.0) * (a[h] - square / nh);
    }
    return total;
  }

  /**
   * What the gold's errors add to an estimator that is linear in the gold, P̂ = a + Σ_G c_i y_i for
   * fixed coefficients c_i = ∂P̂/∂y_i (docs/calibration.md, "Gold error"), in two parts:
   *
   * <ul>
   *   <li>the error model's uncertainty: the variance of Σ_G c_i y_i^(b) over the bootstrap replicates b
   *       of the error model, y^(b) being the same reviewed units' gold at replicate b's error rates.
   *       The covariance with the units' sampling is ignored;
   *   <li>the answers' noise left out of V1 + V2: with y_i = t_i + ε_i, t_i the unit's true class and
   *       E[ε_i | t_i] = 0, Var(ε_i | t_i) = v_i independent across units, the estimator's variance is the
   *       design's on t plus Σ_G c_i² v_i. V1 + V2 computed on y hold only (1 − π1_i π2_i) of that sum:
   *       V2's finite-population factor (1 − f2) and V1's (1 − π1) scale the noise down as they scale
   *       down sampling variance, yet a unit reviewed with certainty still carries its raters' errors.
   *       So Σ_G π1_i π2_i c_i² v_i is added (derivation: docs/calibration.md, "The answers' noise in the
   *       variance"); v_i is the error model's estimate ({@link GoldUnit#noise}).
   * </ul>
   * 0 for exact gold (no replicates, no noise).
   */
  double gold(double[] coef) {
    if (s.yReplicates == null) {
      return noise(coef);
    }
    int b = s.yReplicates.length;
    double[] t = new double[b];
    double mean = 0;
    for (int r = 0; r < b; r++) {
      double sum = 0;
      for (int i : s.goldIndex) {
        sum += coef[i] * s.yReplicates[r][i];
      }
      t[r] = sum;
      mean += sum / b;
    }
    double v = 0;
    for (double x : t) {
      v += (x - mean) * (x - mean);
    }
    return v / (b - 1) + noise(coef);
  }

  /** The answers' noise V1 + V2 leave out: Σ_G π1_i π2_i c_i² v_i ({@link #gold}). */
  double noise(double[] coef) {
    double v = 0;
    for (int i : s.goldIndex) {
      v += Math.min(1, pi1[i]) * s.pi2[i] * coef[i] * coef[i] * s.yNoise[i];
    }
    return v;
  }
}
