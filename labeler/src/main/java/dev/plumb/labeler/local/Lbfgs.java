package dev.plumb.labeler.local;

/**
 * Limited-memory BFGS (Nocedal 1980; Liu &amp; Nocedal 1989; Nocedal &amp; Wright, <i>Numerical
 * Optimization</i>, 2nd ed., Algorithm 7.4 with the two-loop recursion 7.5) with a backtracking
 * Armijo line search. For smooth convex objectives such as regularised logistic loss.
 */
final class Lbfgs {
  /** A differentiable function: returns f(x) and writes ∇f(x) into {@code gradient}. */
  interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;

  private Lbfgs() {}

  /**
   * Minimises {@code f} starting from {@code x} (updated in place). Stops when the gradient's
   * infinity norm falls below {@code tolerance}·max(1, |f|), when a step no longer decreases f, or
   * after {@code maxIterations}.
   *
   * @return the number of iterations used
   */
  static int minimize(Objective f, double[] x, double tolerance, int maxIterations) {
    int d = x.length;
    double[][] s = new double[MEMORY][d];
    double[][] y = new double[MEMORY][d];
    double[] rho = new double[MEMORY];
    double[] alpha = new double[MEMORY];
    double[] g = new double[d];
    double[] gNew = new double[d];
    double[] dir = new double[d];
    double[] xNew = new double[d];
    double fx = f.evaluate(x, g);
    int stored = 0;
    int head = 0; // index of the next slot to write
    int iteration = 0;
    while (iteration < maxIterations) {
      if (normInf(g) <= tolerance * Math.max(1, Math.abs(fx))) {
        break;
      }
      // two-loop recursion: dir = -H g
      for (int k = 0; k < d; k++) {
        dir[k] = -g[k];
      }
      for (int j = 0; j < stored; j++) {
        int i = Math.floorMod(head - 1 - j, MEMORY);
        alpha[i] = rho[i] * dot(s[i], dir);
        axpy(-alpha[i], y[i], dir);
      }
      if (stored > 0) {
        int last = Math.floorMod(head - 1, MEMORY);
        double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
        for (int k = 0; k < d; k++) {
          dir[k] *= gamma;
        }
      } else {
        double scale = 1 / Math.max(1, normInf(g)); // a cautious first step
        for (int k = 0; k < d; k++) {
          dir[k] *= scale;
        }
      }
      for (int j = stored - 1; j >= 0; j--) {
        int i = Math.floorMod(head - 1 - j, MEMORY);
        double beta = rho[i] * dot(y[i], dir);
        axpy(alpha[i] - beta, s[i], dir);
      }
      double slope = dot(g, dir);
      if (slope >= 0) { // not a descent direction (numerical trouble): restart from steepest descent
        stored = 0;
        for (int k = 0; k < d; k++) {
          dir[k] = -g[k];
        }
        slope = dot(g, dir);
      }
      double step = 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int tries = 0; tries < 40; tries++) {
        for (int k = 0; k < d; k++) {
          xNew[k] = x[k] + step * dir[k];
        }
        fNew = f.evaluate(xNew, gNew);
        if (fNew <= fx + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      iteration++;
      if (!accepted) {
        break; // no decrease possible at working precision: x is as good as it gets
      }
      double sy = 0;
      for (int k = 0; k < d; k++) {
        s[head][k] = xNew[k] - x[k];
        y[head][k] = gNew[k] - g[k];
        sy += s[head][k] * y[head][k];
      }
      if (sy > 1e-12) { // keep the curvature pair only when it keeps H positive definite
        rho[head] = 1 / sy;
        head = (head + 1) % MEMORY;
        stored = Math.min(stored + 1, MEMORY);
      }
      System.arraycopy(xNew, 0, x, 0, d);
      System.arraycopy(gNew, 0, g, 0, d);
      double previous = fx;
      fx = fNew;
      if (previous - fx <= 1e-14 * Math.max(1, Math.abs(fx))) {
        break;
      }
    }
    return iteration;
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += a[k] * b[k];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int k = 0; k < x.length; k++) {
      y[k] += a * x[k];
    }
  }

  private static double normInf(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
