package dev.plumb.calibration.sampling;

import java.io.Serializable;

/**
 * Compensated (Neumaier) summation: the total of millions of weights or sizes to within a few ulps
 * whatever their order, so that partitioned and whole-file runs agree to ~1e-15 relative.
 */
final class Sum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double sum;
  private double c;

  void add(double x) {
    double t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) {
      c += (sum - t) + x;
    } else {
      c += (x - t) + sum;
    }
    sum = t;
  }

  void add(Sum other) {
    add(other.sum);
    add(other.c);
  }

  double value() {
    return sum + c;
  }
}
