package dev.plumb.calibration.sampling;

import dev.plumb.core.LowerCaseId;
import java.util.Arrays;

/**
 * How a stratified design shares its sample size n among strata.
 *
 * <ul>
 *   <li>{@link #PROPORTIONAL}: {@code n_h ∝ T_h}, the stratum's exposure total (or unit count, by
 *       {@link Basis}).
 *   <li>{@link #NEYMAN}: {@code n_h ∝ T_h · S_h} with {@code S_h} the mean of {@code sqrt(s(1-s))}
 *       over the stratum's units, {@code s} the policy's risk score — the standard deviation of a
 *       violation indicator the score predicts (Neyman 1934; Cochran 1977 §5.5). When every
 *       {@code S_h} is 0 (all scores exactly 0 or 1) it falls back to proportional.
 *   <li>{@link #FIXED}: {@code n_h} as written in the design's {@code sizes}.
 * </ul>
 *
 * Proportional and Neyman respect bounds {@code min(m, N_h) <= n_h <= N_h} ({@code m} =
 * {@code min_per_stratum}, 2 by default so that every stratum has a variance estimate): the
 * continuous allocation {@code x_h = clamp(λ a_h, lo_h, hi_h)} with {@code Σ x_h = n} is solved
 * exactly (g(λ) is piecewise linear), then rounded by largest remainder (ties to the earlier
 * stratum), so {@code Σ n_h = n} exactly.
 */
public enum Allocation implements LowerCaseId {
  PROPORTIONAL,
  NEYMAN,
  FIXED;

  /**
   * Integer allocation of {@code n} for the weights {@code a_h} within {@code [lo_h, hi_h]}.
   * Requires {@code Σ lo <= n <= Σ hi}; strata with {@code a_h = 0} get {@code lo_h}. Also the
   * review allocation's rounding ({@code queue.ReviewAllocation}).
   */
  public static long[] bounded(long n, double[] a, long[] lo, long[] hi) {
    int k = a.length;
    long sumLo = 0;
    long sumHi = 0;
    for (int h = 0; h < k; h++) {
      sumLo += lo[h];
      sumHi += hi[h];
    }
    if (n < sumLo || n > sumHi) {
      throw new IllegalArgumentException("n=" + n + " outside [" + sumLo + ", " + sumHi + "]");
    }
    double lambda = solve(n, a, lo, hi);
    double[] x = new double[k];
    long[] out = new long[k];
    long assigned = 0;
    for (int h = 0; h < k; h++) {
      double v = a[h] > 0 ? Math.min(hi[h], Math.max(lo[h], lambda * a[h])) : lo[h];
      if (Math.abs(v - Math.rint(v)) < 1e-9) {
        v = Math.rint(v);
      }
      x[h] = v;
      out[h] = (long) Math.floor(v);
      assigned += out[h];
    }
    long rest = n - assigned;
    Integer[] order = new Integer[k];
    for (int h = 0; h < k; h++) {
      order[h] = h;
    }
    Arrays.sort(order, (p, q) -> {
      int c = Double.compare(x[q] - out[q], x[p] - out[p]);
      return c != 0 ? c : Integer.compare(p, q);
    });
    for (int pass = 0; rest > 0; pass++) {
      boolean progressed = false;
      for (int idx = 0; idx < k && rest > 0; idx++) {
        int h = order[idx];
        if (out[h] < hi[h] && (pass > 0 || x[h] > out[h])) {
          out[h]++;
          rest--;
          progressed = true;
        }
      }
      if (!progressed && pass > 0) {
        throw new IllegalStateException("cannot place " + rest + " more units");
      }
    }
    while (rest < 0) { // rounding can only overshoot by float error; take back from the largest
      int best = -1;
      for (int h = 0; h < k; h++) {
        if (out[h] > lo[h] && (best < 0 || out[h] - x[h] > out[best] - x[best])) {
          best = h;
        }
      }
      out[best]--;
      rest++;
    }
    return out;
  }

  /** λ with Σ clamp(λ a_h, lo_h, hi_h) = n, from the breakpoints of the piecewise-linear sum. */
  private static double solve(long n, double[] a, long[] lo, long[] hi) {
    int k = a.length;
    double[] breaks = new double[2 * k];
    int m = 0;
    for (int h = 0; h < k; h++) {
      if (a[h] > 0) {
        breaks[m++] = lo[h] / a[h];
        breaks[m++] = hi[h] / a[h];
      }
    }
    if (m == 0) {
      return 0;
    }
    double[] b = Arrays.copyOf(breaks, m);
    Arrays.sort(b);
    double prev = 0;
    for (int j = 0; j <= m; j++) {
      double right = j < m ? b[j] : Double.POSITIVE_INFINITY;
      if (right <= prev && j < m) {
        continue;
      }
      // On (prev, right) each stratum is either clamped or free: g(λ) = C + λ A.
      double mid = Double.isInfinite(right) ? prev + 1 : (prev + right) / 2;
      double c = 0;
      double slope = 0;
      for (int h = 0; h < k; h++) {
        if (a[h] <= 0) {
          c += lo[h];
        } else if (mid * a[h] <= lo[h]) {
          c += lo[h];
        } else if (mid * a[h] >= hi[h]) {
          c += hi[h];
        } else {
          slope += a[h];
        }
      }
      if (slope > 0) {
        double lambda = (n - c) / slope;
        if (lambda >= prev - 1e-12 * Math.max(1, prev) && (lambda <= right || Double.isInfinite(right))) {
          return Math.max(lambda, prev);
        }
      } else if (c == n) {
        return mid;
      }
      prev = right;
    }
    return b[m - 1];
  }
}
