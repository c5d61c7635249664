package dev.plumb.labeler.local;

/**
 * Binary logistic regression with an L2 penalty on the weights (not the intercept), fitted by
 * {@link Lbfgs}. Minimises
 *
 * <pre>
 *   L(w, b) = (1/C) Σᵢ cᵢ log(1 + exp(−sᵢ (w·xᵢ + b))) + (λ/2) ‖w‖²,   sᵢ = ±1, C = Σᵢ cᵢ
 * </pre>
 *
 * with per-sample weights cᵢ (the trainer balances the classes). The decision value w·x + b is a
 * log-odds under the weighted training distribution; {@link Platt} turns it into a calibrated
 * probability.
 */
final class LogisticRegression {
  private LogisticRegression() {}

  /** Fitted coefficients: {@code weights} (one per feature) and the intercept. */
  record Fit(double[] weights, double bias, int iterations) {
    /** The decision value of a text, as {@link PolicyModel#decision(float[], float[][])} defines it. */
    double decision(float[] whole, float[][] windows) {
      return PolicyModel.decision(weights, bias, whole, windows);
    }
  }

  /**
   * Fits the model on rows {@code rows} of {@code x}.
   *
   * @param start coefficients to start from (length d + 1, intercept last), or {@code null}
   */
  static Fit fit(float[][] x, boolean[] y, double[] c, int[] rows, double lambda, double[] start) {
    int d = x[rows[0]].length;
    double total = 0;
    for (int i : rows) {
      total += c[i];
    }
    double norm = total;
    double[] theta = start == null ? new double[d + 1] : start.clone();
    double[] margin = new double[rows.length];
    Lbfgs.Objective objective =
        (t, grad) -> {
          java.util.Arrays.fill(grad, 0);
          double loss = 0;
          for (int r = 0; r < rows.length; r++) {
            float[] xi = x[rows[r]];
            double z = t[d];
            for (int k = 0; k < d; k++) {
              z += t[k] * xi[k];
            }
            margin[r] = z;
            double s = y[rows[r]] ? 1 : -1;
            double m = s * z;
            // log(1 + e^{-m}) and its derivative, stable for large |m|
            loss += c[rows[r]] * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
            double sigma = m > 0 ? Math.exp(-m) / (1 + Math.exp(-m)) : 1 / (1 + Math.exp(m));
            double coef = -s * c[rows[r]] * sigma / norm;
            for (int k = 0; k < d; k++) {
              grad[k] += coef * xi[k];
            }
            grad[d] += coef;
          }
          double penalty = 0;
          for (int k = 0; k < d; k++) {
            penalty += t[k] * t[k];
            grad[k] += lambda * t[k];
          }
          return loss / norm + 0.5 * lambda * penalty;
        };
    int iterations = Lbfgs.minimize(objective, theta, 1e-7, 1000);
    double[] w = java.util.Arrays.copyOf(theta, d);
    return new Fit(w, theta[d], iterations);
  }

  /** Coefficients of {@code fit} as a start vector for {@link #fit}. */
  static double[] start(Fit fit) {
    double[] t = java.util.Arrays.copyOf(fit.weights(), fit.weights().length + 1);
    t[t.length - 1] = fit.bias();
    return t;
  }
}
