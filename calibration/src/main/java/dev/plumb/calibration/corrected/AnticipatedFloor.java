package dev.plumb.calibration.corrected;

import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.calibration.scores.ScoreMap;
import java.util.Map;

/**
 * The model-anticipated phase-2 variance that floors PPI++, stratified PPI and active AIPW ({@link
 * Estimators#anticipatedPhase2Variance}): Σ_G (1 − π2)/π2² c² v, v the Bernoulli variance of each reviewed unit,
 * from the LLM's stated f and from f recalibrated on the gold; the floor is the larger total.
 *
 * @param stated Σ_G (1 − π2)/π2² c² f(1 − f)
 * @param recalibrated the same with p = σ(a + b·logit f) in place of f; NaN where there is no fit
 * @param a Platt's intercept (NaN where there is no fit)
 * @param b Platt's slope on logit f (NaN where there is no fit)
 */
record AnticipatedFloor(double stated, double recalibrated, double a, double b) {
  /** The headline note when the recalibrated floor sets the phase-2 variance. */
  static final String NOTE = "the gold shows more misses at low confidence than the LLM states: floor from "
      + "recalibrated confidences";

  /** The floor: the larger of the two totals. */
  double value() {
    return recalibrated > stated ? recalibrated : stated;
  }

  /** Whether the recalibrated floor is the phase-2 variance: above the stated floor and {@code jackknife}. */
  boolean recalibratedBinds(double jackknife) {
    return recalibrated > stated && recalibrated >= jackknife;
  }

  /**
   * Records the floor in {@code details}: {@code variance_phase2_model} (the floor), {@code
   * variance_phase2_model_stated}, {@code floor_recalibrated} (1 when the recalibrated floor is the phase-2
   * variance, else 0) and, where the fit exists, {@code floor_platt_a} and {@code floor_platt_b}.
   */
  void record(Map<String, Double> details, double jackknife) {
    details.put("variance_phase2_model", value());
    details.put("variance_phase2_model_stated", stated);
    details.put("floor_recalibrated", recalibratedBinds(jackknife) ? 1.0 : 0.0);
    if (!Double.isNaN(a)) {
      details.put("floor_platt_a", a);
      details.put("floor_platt_b", b);
    }
  }

  /**
   * Platt's fit (1999) of the domain's gold calls on logit f, {a, b}, or null where it does not exist: f a bare 0/1
   * call on every reviewed unit, gold all one way, or f separating the gold ({@link Recalibration#PLATT}: weighted
   * maximum likelihood by damped Newton, which refuses both). On the calls, not on an error model's unbiased gold:
   * the floor is sized by how often the LLM misses at each stated confidence, and a call needs the panel's
   * consensus, whereas in the unbiased gold one rater's false flag on a confidently clean unit reads as a miss and
   * widened active AIPW 1.32–1.38× with noisy raters (docs/calibration.md, "h50"). With exact gold the calls are
   * the gold. Each reviewed unit is weighted by its design weight
   * d1/π2, so the fit is P(y | f) over the units of the sample, not the review's oversampling; not by m·d1/π2:
   * p is a per-unit probability, and with heavy-tailed exposure the few heavy units an active review takes
   * almost surely would set it in every review (docs/calibration.md, "The floor under an overconfident LLM").
   * Fitted once on the full gold, not per jackknife replicate: the floor is a variance estimate made once, beside
   * the jackknife, not a statistic the jackknife re-computes.
   */
  static double[] fit(TwoPhaseSample s, boolean[] domain) {
    int k = 0;
    boolean varies = false;
    for (int i : s.goldIndex) {
      if (in(domain, i)) {
        k++;
        varies |= s.prob[i] > 0 && s.prob[i] < 1;
      }
    }
    if (!varies) {
      return null;
    }
    double[] f = new double[k];
    double[] y = new double[k];
    double[] w = new double[k];
    k = 0;
    for (int i : s.goldIndex) {
      if (in(domain, i)) {
        f[k] = s.prob[i];
        y[k] = s.call[i] ? 1 : 0;
        w[k] = s.phase1.designWeight(i) / s.pi2[i];
        k++;
      }
    }
    try {
      ScoreMap platt = Recalibration.PLATT.fitted("", f, y, w);
      return new double[] {platt.a(), platt.b()};
    } catch (IllegalArgumentException noMle) {
      return null;
    }
  }

  /** The floor for unit coefficients {@code coef} over the domain, {@code ab} the fit or null. */
  static AnticipatedFloor of(TwoPhaseSample s, boolean[] domain, double[] coef, double[] ab) {
    double stated = 0;
    double recalibrated = 0;
    for (int i : s.goldIndex) {
      if (in(domain, i)) {
        double k = (1 - s.pi2[i]) / (s.pi2[i] * s.pi2[i]) * coef[i] * coef[i];
        double f = s.prob[i];
        stated += k * f * (1 - f);
        if (ab != null) {
          double p = 1 / (1 + Math.exp(-(ab[0] + ab[1] * ScoreMap.logit(f))));
          recalibrated += k * p * (1 - p);
        }
      }
    }
    return ab == null ? new AnticipatedFloor(stated, Double.NaN, Double.NaN, Double.NaN)
        : new AnticipatedFloor(stated, recalibrated, ab[0], ab[1]);
  }

  private static boolean in(boolean[] domain, int i) {
    return domain == null || domain[i];
  }
}
