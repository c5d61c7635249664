package dev.plumb.calibration.corrected;

import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.calibration.stats.Interval;
import java.util.Map;
import java.util.Set;

/**
 * The phase-2 floor with the LLM's f recalibrated on the gold, measured beside plumb's floor from the stated f
 * (h49, docs/calibration.md "The floor under an overconfident LLM"), in test code: each arm recomputes PPI++,
 * stratified PPI or active AIPW from plumb's own estimate, V1, jackknife and gold part, with only V2's floor
 * changed. p = σ(a + b·logit f), (a, b) Platt's fit ({@link Recalibration#PLATT}) of the gold on logit f over the
 * reviewed units, weighted by m·d1/π2 (each unit's weight in the estimate) or by d1/π2 (the design weight), fitted
 * once on the full gold: on the gold y (an error model's unbiased gold, clipped to [0, 1]) or on the gold calls (h50).
 */
final class RecalibratedFloor {
  private RecalibratedFloor() {}

  /** The estimators with the floor. */
  static final Set<CorrectedEstimator> FLOORED = Set.of(CorrectedEstimator.PPI_PLUS_PLUS,
      CorrectedEstimator.STRATIFIED_PPI, CorrectedEstimator.ACTIVE_AIPW);

  /** How the fit weights each reviewed unit and how the two floors combine. */
  enum Arm {
    /** The floor from the stated f alone: what plumb computed before h50. */
    STATED("floor from the stated f (before h50)", false, false, false),
    /** max(floor from f, floor from p), the fit weighted by m·d1/π2. */
    MAX("floor max(stated, recalibrated)", true, false, false),
    /** Σ_G (1 − π2)/π2² c² max(f(1 − f), p(1 − p)), the fit weighted by m·d1/π2. */
    UNITWISE("floor unit-wise max", true, true, false),
    /** As {@link #MAX}, the fit weighted by d1/π2 (the design weight 1/(π1π2), as {@link Recalibration}'s). */
    MAX_DESIGN("floor max(stated, recalibrated 1/π)", false, false, false),
    /** As {@link #UNITWISE}, the fit weighted by d1/π2. */
    UNITWISE_DESIGN("floor unit-wise max, recalibrated 1/π", false, true, false),
    /**
     * As {@link #MAX_DESIGN}, fitted on the gold calls (h50): a call needs the panel's consensus, so a single rater's
     * false flag on a confidently clean unit no longer reads as a miss. With exact gold the calls are y: the same arm.
     * What plumb computes since h50 ({@link AnticipatedFloor}); {@link #with} checks that it reproduces plumb's
     * interval.
     */
    MAX_DESIGN_CALLS("floor max(stated, recalibrated 1/π on calls) (plumb)", false, false, true),
    /**
     * h51: the recalibrated floor alone where the gold calls reject the stated f as far too high ({@link
     * #calibrationZ} below {@link #SWITCH_Z}), else {@link #MAX_DESIGN_CALLS}; the same fit.
     */
    SWITCH("floor recalibrated where z < −3, else max (h51)", false, false, true);

    final String label;
    /** Whether the fit weights by m·d1/π2 (else d1/π2). */
    final boolean exposure;
    final boolean unitwise;
    /** Whether the fit is on the gold calls (else on y). */
    final boolean calls;

    Arm(String label, boolean exposure, boolean unitwise, boolean calls) {
      this.label = label;
      this.exposure = exposure;
      this.unitwise = unitwise;
      this.calls = calls;
    }

    /** The fit this arm's floor uses, as {@link ReviewDesignSimulation} tallies it. */
    String fit() {
      return (exposure ? "m·d1/π2" : "d1/π2") + (calls ? ", calls" : "");
    }
  }

  /** h51's threshold on {@link #calibrationZ}, fixed before the run (docs/calibration.md, "h51"). */
  static final double SWITCH_Z = -3;

  /**
   * Calibration-in-the-large of the stated f on the gold calls, z = Σ_G w (y − f) / √(Σ_G w² f(1 − f)), w = d1/π2
   * (h50's fit's weights): given the reviewed set, which the designs draw on f and m and never on y, y ~
   * Bernoulli(f) independently gives the numerator mean 0 and variance Σ_G w² f(1 − f) exactly — the
   * observed-minus-expected statistic of calibration-in-the-large, design-weighted. NaN where that variance is 0
   * (every f a bare 0/1 call).
   */
  static double calibrationZ(TwoPhaseSample s) {
    double num = 0;
    double var = 0;
    for (int i : s.goldIndex) {
      if (base(s, i) > 0) {
        double w = s.phase1.designWeight(i) / s.pi2[i];
        double f = s.prob[i];
        num += w * ((s.call[i] ? 1 : 0) - f);
        var += w * w * f * (1 - f);
      }
    }
    return var > 0 ? num / Math.sqrt(var) : Double.NaN;
  }

  /** Platt's fit: p per unit of S (G's entries set), and its intercept and slope on logit f. */
  record Fit(double[] p, double a, double b) {}

  /**
   * The Platt fit on the gold of the whole sample, or null where there is none: f a bare 0/1 call on every
   * reviewed unit, gold all one way, or f separating the gold.
   */
  static Fit recalibrated(TwoPhaseSample s, boolean exposure, boolean calls) {
    int k = 0;
    boolean varies = false;
    for (int i : s.goldIndex) {
      if (base(s, i) > 0) {
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
      if (base(s, i) > 0) {
        f[k] = s.prob[i];
        // the unbiased gold of an error model can leave [0, 1]; the fit is of a probability
        y[k] = calls ? (s.call[i] ? 1 : 0) : Math.min(1, Math.max(0, s.y[i]));
        w[k] = (exposure ? base(s, i) : s.phase1.designWeight(i)) / s.pi2[i];
        k++;
      }
    }
    ScoreMap platt;
    try {
      platt = Recalibration.PLATT.fitted("", f, y, w);
    } catch (IllegalArgumentException noMle) {
      return null;
    }
    double[] p = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      p[i] = platt.apply(s.prob[i]);
    }
    return new Fit(p, platt.a(), platt.b());
  }

  /** Σ_G (1 − π2)/π2² c² v, v the arm's Bernoulli variance per unit (p null: the stated f alone). */
  static double floor(TwoPhaseSample s, double[] unit, double[] p, Arm arm) {
    double stated = 0;
    double recal = 0;
    double unitwise = 0;
    for (int i : s.goldIndex) {
      double k = (1 - s.pi2[i]) / (s.pi2[i] * s.pi2[i]) * unit[i] * unit[i];
      double vf = s.prob[i] * (1 - s.prob[i]);
      double vp = p == null ? vf : p[i] * (1 - p[i]);
      stated += k * vf;
      recal += k * vp;
      unitwise += k * Math.max(vf, vp);
    }
    if (arm == Arm.SWITCH && p != null && calibrationZ(s) < SWITCH_Z) {
      return recal;
    }
    return arm == Arm.STATED ? stated : arm.unitwise ? unitwise : Math.max(stated, recal);
  }

  /**
   * The unit coefficients of {@code e}'s floor as plumb computes them over all of S: m·d1 over the gold's exposure
   * Σ_G m d1/π2 (PPI++), (T_h/M_h)·m·d1/T per LLM-call group (stratified PPI), m·d1/T (active AIPW).
   */
  static double[] unit(TwoPhaseSample s, CorrectedEstimator e) {
    double[] unit = new double[s.phase1.size()];
    double t = 0;
    double[] th = new double[2];
    for (int i = 0; i < s.phase1.size(); i++) {
      t += base(s, i);
      th[(int) s.llm[i]] += base(s, i);
    }
    double gold = 0;
    double[] mh = new double[2];
    for (int i : s.goldIndex) {
      gold += base(s, i) / s.pi2[i];
      mh[(int) s.llm[i]] += base(s, i) / s.pi2[i];
    }
    for (int i : s.goldIndex) {
      int h = (int) s.llm[i];
      unit[i] = switch (e) {
        case PPI_PLUS_PLUS -> base(s, i) / gold;
        case STRATIFIED_PPI -> th[h] / mh[h] * base(s, i) / t;
        case ACTIVE_AIPW -> base(s, i) / t;
        default -> throw new IllegalArgumentException(e + " has no floor");
      };
    }
    return unit;
  }

  /**
   * {@code est} (plumb's, over all of S) with V2 = max(jackknife, the arm's floor); {@code est} itself when it is not
   * a two-sided estimate (a one-sided bound has no variance parts to recompute). Checks that the stated floor
   * recomputed here equals plumb's {@code variance_phase2_model_stated}, and that the {@link Arm#MAX_DESIGN_CALLS}
   * arm gives plumb's interval.
   */
  static Corrected with(TwoPhaseSample s, Corrected est, double[] p, Arm arm, CalibrationOptions options) {
    if (!(est instanceof Corrected.Estimated e) || !FLOORED.contains(est.estimator())) {
      return est;
    }
    double[] unit = unit(s, e.estimator());
    double model = e.details().get("variance_phase2_model_stated");
    double stated = floor(s, unit, null, Arm.STATED);
    if (Math.abs(stated - model) > 1e-9 * Math.max(model, 1e-300)) {
      throw new IllegalStateException(e.estimator() + ": the floor recomputed " + stated + ", plumb's " + model);
    }
    double v1 = e.details().get("variance_phase1");
    double jack = e.details().get("variance_phase2_jackknife");
    double vGold = e.details().getOrDefault("variance_gold_model", 0.0);
    Estimators estimators = new Estimators(s, null, options);
    Corrected alt = estimators.estimated(e.estimator(), e.estimate(), v1, Math.max(jack, floor(s, unit, p, arm)),
        vGold, estimators.phase1Exposure(), Map.of(), "");
    if (arm == Arm.MAX_DESIGN_CALLS) {
      Interval mine = alt instanceof Corrected.Estimated x ? x.interval() : null;
      Interval plumb = e.interval();
      if (mine == null || Math.abs(mine.lower() - plumb.lower()) > 1e-9 * plumb.upper()
          || Math.abs(mine.upper() - plumb.upper()) > 1e-9 * plumb.upper()) {
        throw new IllegalStateException(e.estimator() + ": plumb's interval " + plumb + ", the arm's " + mine);
      }
    }
    return alt;
  }

  /** m·d1 of unit i of S. */
  private static double base(TwoPhaseSample s, int i) {
    return s.phase1.exposure(i) * s.phase1.designWeight(i);
  }
}
