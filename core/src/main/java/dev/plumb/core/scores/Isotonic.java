package dev.plumb.core.scores;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A non-decreasing map from a score to a probability, fitted by weighted isotonic regression: the
 * pool-adjacent-violators algorithm (Ayer et al. 1955; Barlow et al. 1972) on the scores sorted,
 * ties merged first into their weighted mean — isotonic calibration of a classifier's scores
 * (Zadrozny &amp; Elkan 2002). Between the fitted scores the map is linear, outside them it is
 * clipped: scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")} with
 * {@code sample_weight}, which the tests check value by value.
 *
 * <p>Immutable and thread-safe.
 */
public final class Isotonic {
  private final double[] x;
  private final double[] y;

  private Isotonic(double[] x, double[] y) {
    this.x = x;
    this.y = y;
  }

  /**
   * Fits the map of {@code score} to {@code outcome} (0/1 or any real), each pair weighted by
   * {@code weight} ({@code null}: equal weights). Pairs of weight 0 are ignored.
   *
   * @throws IllegalArgumentException for lengths that differ, a non-finite value, a negative
   *     weight, or no pair of positive weight
   */
  public static Isotonic fit(double[] score, double[] outcome, double[] weight) {
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(outcome, "outcome");
    int n = score.length;
    if (outcome.length != n || weight != null && weight.length != n) {
      throw new IllegalArgumentException("score, outcome and weight must have the same length");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(score[i]) || !Double.isFinite(outcome[i])) {
        throw new IllegalArgumentException("pair " + i + " is not finite: (" + score[i] + ", " + outcome[i] + ")");
      }
      if (weight != null && !(weight[i] >= 0 && Double.isFinite(weight[i]))) {
        throw new IllegalArgumentException("weight " + i + " is not a finite number >= 0: " + weight[i]);
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    // ties merged: one point per distinct score with the weighted mean outcome
    List<double[]> points = new ArrayList<>(); // {x, sum w·y, sum w}
    for (int k : order) {
      double w = weight == null ? 1 : weight[k];
      if (w == 0) {
        continue;
      }
      double[] last = points.isEmpty() ? null : points.get(points.size() - 1);
      if (last != null && last[0] == score[k]) {
        last[1] += w * outcome[k];
        last[2] += w;
      } else {
        points.add(new double[] {score[k], w * outcome[k], w});
      }
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no pair has a positive weight");
    }
    int m = points.size();
    // pool adjacent violators over blocks: value, weight, first point
    double[] value = new double[m];
    double[] mass = new double[m];
    int[] start = new int[m];
    int blocks = 0;
    for (int i = 0; i < m; i++) {
      double[] p = points.get(i);
      value[blocks] = p[1] / p[2];
      mass[blocks] = p[2];
      start[blocks] = i;
      blocks++;
      while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
        double w = mass[blocks - 2] + mass[blocks - 1];
        value[blocks - 2] = (value[blocks - 2] * mass[blocks - 2] + value[blocks - 1] * mass[blocks - 1]) / w;
        mass[blocks - 2] = w;
        blocks--;
      }
    }
    double[] xs = new double[m];
    double[] ys = new double[m];
    for (int b = 0; b < blocks; b++) {
      int end = b + 1 < blocks ? start[b + 1] : m;
      for (int i = start[b]; i < end; i++) {
        xs[i] = points.get(i)[0];
        ys[i] = value[b];
      }
    }
    return new Isotonic(xs, ys);
  }

  /** The fitted value at {@code score}: linear between fitted scores, clipped outside them. */
  public double apply(double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score is NaN");
    }
    if (score <= x[0]) {
      return y[0];
    }
    if (score >= x[x.length - 1]) {
      return y[y.length - 1];
    }
    int i = Arrays.binarySearch(x, score);
    if (i >= 0) {
      return y[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    return y[lo] + (score - x[lo]) / (x[hi] - x[lo]) * (y[hi] - y[lo]);
  }

  /** The distinct fitted scores, increasing (a copy). */
  public double[] scores() {
    return x.clone();
  }

  /** The fitted value at each of {@link #scores()}, non-decreasing (a copy). */
  public double[] values() {
    return y.clone();
  }
}
