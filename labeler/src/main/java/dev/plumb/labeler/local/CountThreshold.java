package dev.plumb.labeler.local;

import java.util.Arrays;

/**
 * The decision threshold at which counting the classifier's positives is unbiased at a given
 * prevalence: the t where the expected false positives equal the expected misses,
 *
 * <p>(1 − π) · FPR(t) = π · FNR(t),
 *
 * <p>with FPR and FNR read from the classifier's out-of-fold decision values on its training texts
 * (one class at a time, so they hold under label shift: a population with another share of
 * positives but the same texts within each class). Forman (2008), "Quantifying counts and costs via
 * classification", <i>Data Mining and Knowledge Discovery</i> 17:164–206, chooses thresholds from
 * the same two curves. A threshold of 0.5 on probabilities calibrated to a training base rate π_t
 * counts about as many false positives as there are violations once π is far below π_t
 * (docs/benchmarks.md, "Scores as probabilities").
 *
 * <p>Each class's values are kept as at most {@value #POINTS} evenly spaced order statistics, so a
 * saved model stays small; the curves are step functions over them.
 *
 * @param positives sorted out-of-fold decision values of positive texts (a subsample)
 * @param negatives sorted out-of-fold decision values of negative texts (a subsample)
 */
record CountThreshold(double[] positives, double[] negatives) {
  /** Order statistics kept per class. */
  static final int POINTS = 4096;

  CountThreshold {
    if (positives.length == 0 || negatives.length == 0) {
      throw new IllegalArgumentException("a count threshold needs out-of-fold values of both classes");
    }
    positives = positives.clone();
    negatives = negatives.clone();
  }

  /** The curves of out-of-fold decision values {@code values} with labels {@code y}. */
  static CountThreshold of(double[] values, boolean[] y) {
    int p = 0;
    for (boolean b : y) {
      p += b ? 1 : 0;
    }
    double[] pos = new double[p];
    double[] neg = new double[y.length - p];
    int a = 0;
    int b = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i]) {
        pos[a++] = values[i];
      } else {
        neg[b++] = values[i];
      }
    }
    return new CountThreshold(thin(pos), thin(neg));
  }

  private static double[] thin(double[] v) {
    Arrays.sort(v);
    if (v.length <= POINTS) {
      return v;
    }
    double[] out = new double[POINTS];
    for (int k = 0; k < POINTS; k++) {
      out[k] = v[(int) (v.length * (k + 0.5) / POINTS)]; // the (k + ½)/POINTS quantile
    }
    return out;
  }

  /**
   * The decision value at which classify-and-count is unbiased at {@code prevalence}: among the
   * midpoints between adjacent out-of-fold values, the one where (1 − π)·FPR − π·FNR is closest to
   * 0 (it falls from 1 − π to −π as t rises).
   *
   * @throws IllegalArgumentException when prevalence is not in (0, 1)
   */
  double at(double prevalence) {
    if (!(prevalence > 0 && prevalence < 1)) {
      throw new IllegalArgumentException("prevalence is not in (0, 1): " + prevalence);
    }
    double[] all = new double[positives.length + negatives.length];
    System.arraycopy(positives, 0, all, 0, positives.length);
    System.arraycopy(negatives, 0, all, positives.length, negatives.length);
    Arrays.sort(all);
    double best = Double.NaN;
    double gap = Double.POSITIVE_INFINITY;
    for (int k = 0; k <= all.length; k++) {
      double t = k == 0 ? all[0] - 1 : k == all.length ? all[all.length - 1] + 1 : (all[k - 1] + all[k]) / 2;
      double f = (1 - prevalence) * above(negatives, t) - prevalence * (1 - above(positives, t));
      if (Math.abs(f) < gap) {
        gap = Math.abs(f);
        best = t;
      }
    }
    return best;
  }

  /** The share of {@code sorted} at or above t. */
  private static double above(double[] sorted, double t) {
    int i = Arrays.binarySearch(sorted, t);
    int first = i >= 0 ? i : -i - 1;
    while (i >= 0 && first > 0 && sorted[first - 1] == t) {
      first--;
    }
    return (sorted.length - first) / (double) sorted.length;
  }
}
