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
    /** The decision value of a text, as {@link PolicyModel#decision(double[], double, float[], float[][])} defines it. */
    double decision(float[] whole, float[][] windows) {
      return PolicyModel.decision(weights, bias, whole, windows);
    }
  }

  /** Training rows as the fit sees them: dense embeddings or sparse {@link Lexical} rows. */
  interface Design {
    int dimension();

    /** w·x_row + t[d] for coefficients {@code t} (intercept last). */
    double margin(int row, double[] t);

    /** grad[0..d) += coef · x_row. */
    void add(int row, double coef, double[] grad);

    static Design dense(float[][] x) {
      return new Design() {
        @Override
        public int dimension() {
          return x[0].length;
        }

        @Override
        public double margin(int row, double[] t) {
          float[] xi = x[row];
          double z = t[xi.length];
          for (int k = 0; k < xi.length; k++) {
            z += t[k] * xi[k];
          }
          return z;
        }

        @Override
        public void add(int row, double coef, double[] grad) {
          float[] xi = x[row];
          for (int k = 0; k < xi.length; k++) {
            grad[k] += coef * xi[k];
          }
        }
      };
    }

    static Design sparse(Lexical.Row[] x, int dimension) {
      return new Design() {
        @Override
        public int dimension() {
          return dimension;
        }

        @Override
        public double margin(int row, double[] t) {
          return Lexical.linear(t, t[dimension], x[row]);
        }

        @Override
        public void add(int row, double coef, double[] grad) {
          Lexical.Row xi = x[row];
          for (int r = 0; r < xi.index().length; r++) {
            grad[xi.index()[r]] += coef * xi.value()[r];
          }
        }
      };
    }
  }

  /** Fits the model on rows {@code rows} of dense {@code x}; see {@link #fit(Design, boolean[], double[], int[], double, double[])}. */
  static Fit fit(float[][] x, boolean[] y, double[] c, int[] rows, double lambda, double[] start) {
    return fit(Design.dense(x), y, c, rows, lambda, start);
  }

  /**
   * Fits the model on rows {@code rows} of {@code x}.
   *
   * @param start coefficients to start from (length d + 1, intercept last), or {@code null}
   */
  static Fit fit(Design x, boolean[] y, double[] c, int[] rows, double lambda, double[] start) {
    int d = x.dimension();
    double total = 0;
    for (int i : rows) {
      total += c[i];
    }
    double norm = total;
    double[] theta = start == null ? new double[d + 1] : start.clone();
    Lbfgs.Objective objective =
        (t, grad) -> {
          java.util.Arrays.fill(grad, 0);
          double loss = 0;
          for (int row : rows) {
            double s = y[row] ? 1 : -1;
            double m = s * x.margin(row, t);
            // log(1 + e^{-m}) and its derivative, stable for large |m|
            loss += c[row] * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
            double sigma = m > 0 ? Math.exp(-m) / (1 + Math.exp(-m)) : 1 / (1 + Math.exp(m));
            double coef = -s * c[row] * sigma / norm;
            x.add(row, coef, grad);
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
