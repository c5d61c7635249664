package dev.plumb.calibration.corrected;

/**
 * Logistic recalibration of the LLM's stated probabilities on the gold (Platt 1999, "Probabilistic
 * outputs for support vector machines"; Cox 1958, "Two further applications of a model for binary
 * regression", Biometrika 45:562–565): logit P(y = 1 | f) = a + b·logit f, fitted by Newton's method
 * on the reviewed units weighted by 1/π2, so that the fit describes the labeled sample S and not the
 * review's oversampling of uncertain units. A stated confidence that is not a probability (the demo's
 * local classifier states 0.99 and is right 12% of the time; an LLM's verbalised confidence is
 * overconfident) is mapped to the rate the gold shows at that confidence; a calibrated one is left
 * about where it was (a ≈ 0, b ≈ 1).
 */
final class Recalibration {
  private Recalibration() {}

  private static final int STEPS = 50;
  /** Ridge on (a, b − 1): the fit stays finite when the gold separates the classes. */
  private static final double RIDGE = 1;
  private static final double EDGE = 1e-6;

  static double logit(double f) {
    double c = Math.min(1 - EDGE, Math.max(EDGE, f));
    return Math.log(c / (1 - c));
  }

  static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }

  /**
   * (a, b) for the units {@code index} of the stated probabilities {@code f}, gold {@code y} in [0, 1]
   * (a rater-error model's posterior is a soft label) and weights {@code w} (normalised here to sum
   * to the number of units, so that the ridge weighs as one unit's worth of evidence per parameter).
   */
  static double[] fit(int[] index, double[] f, double[] y, double[] w) {
    double total = 0;
    for (int i : index) {
      total += w[i];
    }
    double scale = total > 0 ? index.length / total : 0;
    double a = 0;
    double b = 1;
    for (int step = 0; step < STEPS; step++) {
      double ga = -RIDGE * a;
      double gb = -RIDGE * (b - 1);
      double haa = RIDGE;
      double hab = 0;
      double hbb = RIDGE;
      for (int i : index) {
        double x = logit(f[i]);
        double p = sigmoid(a + b * x);
        double wi = w[i] * scale;
        double r = wi * (y[i] - p);
        double v = wi * p * (1 - p);
        ga += r;
        gb += r * x;
        haa += v;
        hab += v * x;
        hbb += v * x * x;
      }
      double det = haa * hbb - hab * hab;
      if (!(det > 0)) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a += da;
      b += db;
      if (Math.abs(da) + Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new double[] {a, b};
  }
}
