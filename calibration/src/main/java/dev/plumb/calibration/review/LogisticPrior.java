package dev.plumb.calibration.review;

/**
 * The M-step of {@link DawidSkene}'s logistic prior: logit P(class 1 | unit i) = α_g(i) + β x_i fitted
 * to the posteriors t_i1 as soft labels (Raykar et al. 2010, JMLR 11:1297–1322, §2.2), maximising
 *
 * <pre>
 *   Σ_i [t_i log p_i + (1 − t_i) log(1 − p_i)] + s Σ_g [log σ(α_g) + log(1 − σ(α_g))] − β²/2
 * </pre>
 *
 * over the unclamped units: the pseudo-count s is one observation of each class at x = 0 per group (so
 * with β = 0 the intercept is the closed form (Σ t + s)/(n + 2s)), and the ridge term keeps β finite
 * when the classes separate in x. Newton's method on the (G+1)-dimensional concave objective, from
 * the previous EM iterate.
 */
public final class LogisticPrior {
  private LogisticPrior() {}

  private static final int STEPS = 25;
  private static final double RIDGE = 1;
  private static final double LIMIT = 30;

  /** σ(η), the logistic function. */
  public static double p(double eta) {
    return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
  }

  /** Updates {@code coef} = (α_0 … α_{G−1}, β) in place. */
  static void fit(double[][] t, double[] x, int[] clamp, int[] group, double s, double[] coef) {
    fit(t, null, x, clamp, group, s, coef);
  }

  /**
   * The same fit with each unit's term weighted ({@code weight[i]}, e.g. its chance of being reviewed, so that a
   * planned review's expected prior can be fitted before it is drawn; {@code plumb plan}), to soft labels t_i:
   * returns (α_0 … α_{G−1}, β) from 0.
   *
   * @param group each unit's group in [0, groups)
   */
  public static double[] fitWeighted(double[] t, double[] weight, double[] x, int[] group, int groups, double s) {
    double[][] soft = new double[t.length][];
    int[] clamp = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      soft[i] = new double[] {1 - t[i], t[i]};
      clamp[i] = -1;
    }
    double[] coef = new double[groups + 1];
    fit(soft, weight, x, clamp, group, s, coef);
    return coef;
  }

  /**
   * The inverse of the negative Hessian of {@link #fitWeighted}'s objective at {@code coef}: the coefficients'
   * asymptotic covariance (the prior's pseudo-count and ridge terms included, as in the fit).
   */
  public static double[][] covariance(double[] weight, double[] x, int[] group, int groups, double s, double[] coef) {
    double[][] h = curvature(null, weight, x, null, group, s, coef, null);
    double[][] out = new double[groups + 1][];
    for (int a = 0; a <= groups; a++) {
      double[] e = new double[groups + 1];
      e[a] = 1;
      out[a] = solve(h, e);
    }
    return out;
  }

  private static void fit(double[][] t, double[] weight, double[] x, int[] clamp, int[] group, double s,
      double[] coef) {
    int g = coef.length - 1;
    int d = coef.length;
    for (int step = 0; step < STEPS; step++) {
      double[] grad = new double[d];
      double[][] h = curvature(t, weight, x, clamp, group, s, coef, grad);
      double[] delta = solve(h, grad);
      double change = 0;
      for (int a = 0; a < d; a++) {
        // a bounded step: an intercept of a group with no mass of one class runs to ±∞ otherwise
        double next = Math.max(-LIMIT, Math.min(LIMIT, coef[a] + Math.max(-5, Math.min(5, delta[a]))));
        change = Math.max(change, Math.abs(next - coef[a]));
        coef[a] = next;
      }
      if (change < 1e-12) {
        return;
      }
    }
  }

  /**
   * The negative Hessian of the objective at {@code coef} over the unclamped units ({@code clamp} null: every unit),
   * each unit's term times {@code weight[i]} (null: 1); with {@code grad} non-null also adds the gradient to it, the
   * soft labels {@code t} then needed. The fit's Newton step and {@link #covariance} share it so that the covariance
   * is the inverse of the very curvature the fit climbs.
   */
  private static double[][] curvature(double[][] t, double[] weight, double[] x, int[] clamp, int[] group, double s,
      double[] coef, double[] grad) {
    int g = coef.length - 1;
    double[][] h = new double[g + 1][g + 1];
    for (int i = 0; i < x.length; i++) {
      if (clamp != null && clamp[i] >= 0) {
        continue;
      }
      double pi = p(coef[group[i]] + coef[g] * x[i]);
      double v = pi * (1 - pi);
      if (weight != null) {
        v *= weight[i];
      }
      if (grad != null) {
        double r = t[i][1] - pi;
        if (weight != null) {
          r *= weight[i];
        }
        grad[group[i]] += r;
        grad[g] += r * x[i];
      }
      h[group[i]][group[i]] += v;
      h[group[i]][g] += v * x[i];
      h[g][group[i]] += v * x[i];
      h[g][g] += v * x[i] * x[i];
    }
    for (int a = 0; a < g; a++) {
      double pa = p(coef[a]);
      if (grad != null) {
        grad[a] += s * (1 - 2 * pa);
      }
      h[a][a] += 2 * s * pa * (1 - pa);
    }
    if (grad != null) {
      grad[g] -= RIDGE * coef[g];
    }
    h[g][g] += RIDGE;
    return h;
  }

  /** Solves h·z = b by Gaussian elimination with partial pivoting (h positive definite, small). */
  private static double[] solve(double[][] h, double[] b) {
    int d = b.length;
    double[][] a = new double[d][d + 1];
    for (int i = 0; i < d; i++) {
      System.arraycopy(h[i], 0, a[i], 0, d);
      a[i][d] = b[i];
    }
    for (int c = 0; c < d; c++) {
      int pivot = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      if (a[c][c] == 0) {
        continue;
      }
      for (int r = c + 1; r < d; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k <= d; k++) {
          a[r][k] -= f * a[c][k];
        }
      }
    }
    double[] z = new double[d];
    for (int i = d - 1; i >= 0; i--) {
      double sum = a[i][d];
      for (int k = i + 1; k < d; k++) {
        sum -= a[i][k] * z[k];
      }
      z[i] = a[i][i] == 0 ? 0 : sum / a[i][i];
    }
    return z;
  }
}
