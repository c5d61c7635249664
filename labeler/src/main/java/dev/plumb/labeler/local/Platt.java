package dev.plumb.labeler.local;

/**
 * Platt scaling: P(y = 1 | f) = 1 / (1 + exp(A·f + B)), fitted by maximum likelihood on held-out
 * decision values f with Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2), which
 * keep the fit finite on separable or tiny data. Newton's method with backtracking, as in Lin, Lin
 * &amp; Weng (2007), "A note on Platt's probabilistic outputs for support vector machines",
 * Machine Learning 68, Algorithm 1. Reference: Platt (1999).
 *
 * @param a the slope A (negative when higher decision values mean "more likely positive")
 * @param b the offset B
 */
record Platt(double a, double b) {

  /** The calibrated log-odds of a decision value: log(P / (1 − P)) = −(A·f + B). */
  double logit(double f) {
    return -(a * f + b);
  }

  double probability(double f) {
    double z = a * f + b;
    return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
  }

  /**
   * Fits A and B to decision values {@code f} with labels {@code y}. Needs at least one label of
   * each kind to be informative; with one kind only it returns the smoothed constant rate.
   */
  static Platt fit(double[] f, boolean[] y) {
    int n = f.length;
    double prior1 = 0;
    for (boolean v : y) {
      prior1 += v ? 1 : 0;
    }
    double prior0 = n - prior1;
    double hi = (prior1 + 1) / (prior1 + 2);
    double lo = 1 / (prior0 + 2);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = y[i] ? hi : lo;
    }
    double a = 0;
    double b = Math.log((prior0 + 1) / (prior1 + 1));
    double fval = objective(f, t, a, b);
    for (int iter = 0; iter < 100; iter++) {
      double h11 = 1e-12;
      double h22 = 1e-12;
      double h21 = 0;
      double g1 = 0;
      double g2 = 0;
      for (int i = 0; i < n; i++) {
        double z = f[i] * a + b;
        double p;
        double q;
        if (z >= 0) {
          p = Math.exp(-z) / (1 + Math.exp(-z));
          q = 1 / (1 + Math.exp(-z));
        } else {
          p = 1 / (1 + Math.exp(z));
          q = Math.exp(z) / (1 + Math.exp(z));
        }
        double d2 = p * q;
        h11 += f[i] * f[i] * d2;
        h22 += d2;
        h21 += f[i] * d2;
        double d1 = t[i] - p;
        g1 += f[i] * d1;
        g2 += d1;
      }
      if (Math.abs(g1) < 1e-7 && Math.abs(g2) < 1e-7) {
        break;
      }
      double det = h11 * h22 - h21 * h21;
      double da = -(h22 * g1 - h21 * g2) / det;
      double db = -(-h21 * g1 + h11 * g2) / det;
      double gd = g1 * da + g2 * db;
      double step = 1;
      boolean moved = false;
      while (step >= 1e-10) {
        double na = a + step * da;
        double nb = b + step * db;
        double nf = objective(f, t, na, nb);
        if (nf < fval + 1e-4 * step * gd) {
          a = na;
          b = nb;
          fval = nf;
          moved = true;
          break;
        }
        step /= 2;
      }
      if (!moved) {
        break;
      }
    }
    return new Platt(a, b);
  }

  /** Mean negative log-likelihood of labels {@code y} under this calibration (natural log). */
  double logLoss(double[] f, boolean[] y) {
    double sum = 0;
    for (int i = 0; i < f.length; i++) {
      double p = Math.min(1 - 1e-15, Math.max(1e-15, probability(f[i])));
      sum -= y[i] ? Math.log(p) : Math.log(1 - p);
    }
    return sum / f.length;
  }

  private static double objective(double[] f, double[] t, double a, double b) {
    double sum = 0;
    for (int i = 0; i < f.length; i++) {
      double z = f[i] * a + b;
      sum += z >= 0 ? t[i] * z + Math.log1p(Math.exp(-z)) : (t[i] - 1) * z + Math.log1p(Math.exp(z));
    }
    return sum;
  }
}
