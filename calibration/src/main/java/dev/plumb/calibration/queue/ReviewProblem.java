package dev.plumb.calibration.queue;

import dev.plumb.calibration.sampling.Allocation;
import java.util.List;

/**
 * What a review allocation minimises: per phase-2 stratum h its size N_h and, per policy p, the
 * within-stratum variance S²_hp of the linearised variable z_i = w_i(y_i − P_p)/M of the human-only
 * ratio (docs/calibration.md, "Two-phase variance"); per policy the phase-1 variance V1_p and the
 * expected prevalence P_p. The expected variance of policy p's estimate under an allocation n is
 *
 * <pre>V_p(n) = V1_p + Σ_h N_h² (1/n_h − 1/N_h) S²_hp</pre>
 *
 * (Särndal, Swensson &amp; Wretman 1992, §9.3; stratified SRS without replacement in phase 2).
 *
 * @param strata the strata's ids, in draw order
 * @param sizes N_h, each ≥ 1
 * @param s2 S²_hp, indexed [h][p], each ≥ 0
 * @param v1 V1_p, ≥ 0
 * @param prevalence P_p, expected; the relative variance is V_p/P_p² (P_p ≤ 0 is read as 1: absolute)
 */
public record ReviewProblem(List<String> strata, double[] sizes, double[][] s2, double[] v1, double[] prevalence) {
  public ReviewProblem {
    strata = List.copyOf(strata);
    if (sizes.length != strata.size() || s2.length != strata.size()) {
      throw new IllegalArgumentException("one size and one variance row per stratum");
    }
    for (double[] row : s2) {
      if (row.length != v1.length) {
        throw new IllegalArgumentException("one variance per policy");
      }
    }
    if (prevalence.length != v1.length || v1.length == 0) {
      throw new IllegalArgumentException("one prevalence per policy, at least one policy");
    }
  }

  public int policies() {
    return v1.length;
  }

  /** Σ N_h. */
  public long units() {
    long n = 0;
    for (double s : sizes) {
      n += (long) s;
    }
    return n;
  }

  /** Σ min(2, N_h): the smallest budget that gives every stratum reviewed in part a variance estimate. */
  public int minimumBudget() {
    int n = 0;
    for (double s : sizes) {
      n += (int) Math.min(2, s);
    }
    return n;
  }

  /** V_p(n); a stratum with n_h = N_h adds nothing, n_h = 0 of a non-empty stratum is infinite. */
  public double variance(int p, int[] n) {
    double v = v1[p];
    for (int h = 0; h < sizes.length; h++) {
      if (n[h] <= 0) {
        return Double.POSITIVE_INFINITY;
      }
      v += sizes[h] * sizes[h] * Math.max(0, 1.0 / n[h] - 1.0 / sizes[h]) * s2[h][p];
    }
    return v;
  }

  /** V_p(n)/P_p². */
  public double relativeVariance(int p, int[] n) {
    double scale = prevalence[p] > 0 ? prevalence[p] : 1;
    return variance(p, n) / (scale * scale);
  }

  /** The Neyman weights a_h = N_h·√(Σ_p α_p S²_hp/P_p²). */
  double[] neyman(double[] alpha) {
    double[] a = new double[sizes.length];
    for (int h = 0; h < a.length; h++) {
      double s = 0;
      for (int p = 0; p < alpha.length; p++) {
        double scale = prevalence[p] > 0 ? prevalence[p] : 1;
        s += alpha[p] * s2[h][p] / (scale * scale);
      }
      a[h] = sizes[h] * Math.sqrt(s);
    }
    return a;
  }

  /** n_h ∝ a_h within [min(2, N_h), N_h], summing to n (largest remainder). */
  int[] round(int n, double[] a) {
    long[] lo = new long[sizes.length];
    long[] hi = new long[sizes.length];
    for (int h = 0; h < lo.length; h++) {
      hi[h] = (long) sizes[h];
      lo[h] = Math.min(2, hi[h]);
    }
    long[] x = Allocation.bounded(n, a, lo, hi);
    int[] out = new int[x.length];
    for (int h = 0; h < x.length; h++) {
      out[h] = (int) x[h];
    }
    return out;
  }
}
