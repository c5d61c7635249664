package dev.plumb.units.synthetic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Zipf distribution on ranks {@code 0..n-1}: P(rank k) ∝ (k+1)^-s. Sampled by inverting its
 * cumulative table (binary search), so a draw costs O(log n) and the table n doubles.
 */
final class Zipf {
  private final double[] cdf;

  Zipf(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("Zipf needs at least one rank: " + n);
    }
    cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += Math.pow(k + 1, -s);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
  }

  /** A rank in {@code 0..n-1}. */
  int sample(SplittableRandom r) {
    double u = r.nextDouble();
    int i = Arrays.binarySearch(cdf, u);
    return i >= 0 ? i : Math.min(cdf.length - 1, -i - 1);
  }

  int size() {
    return cdf.length;
  }
}
