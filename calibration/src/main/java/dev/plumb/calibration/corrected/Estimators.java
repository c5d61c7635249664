package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The computations behind {@link CorrectedEstimator}, over one domain of a two-phase sample. */
final class Estimators {
  private final TwoPhaseSample s;
  private final DesignSample p1;
  private final boolean[] domain;
  private final CalibrationOptions options;
  private final TwoPhaseVariance variance;
  private final String where;
  /** Gold units in the domain, their positives, and Kish's n over their weights m·d1·d2. */
  private final int goldN;
  private final int goldPositives;
  private final double goldKish;
  private final int goldStrata;

  Estimators(TwoPhaseSample s, boolean[] domain, CalibrationOptions options) {
    this.s = s;
    this.p1 = s.phase1;
    if (domain != null && domain.length != p1.size()) {
      throw new IllegalArgumentException("domain has " + domain.length + " entries, the sample " + p1.size() + " units");
    }
    this.domain = domain;
    this.options = options;
    this.variance = new TwoPhaseVariance(s);
    this.where = domain == null ? "" : " in this domain";
    int n = 0;
    int pos = 0;
    double sw = 0;
    double sw2 = 0;
    boolean[] strata = new boolean[s.strata2.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        double w = weight2(i);
        n++;
        pos += (int) s.y[i];
        sw += w;
        sw2 += w * w;
        strata[s.stratum2[i]] = true;
      }
    }
    int present = 0;
    for (boolean b : strata) {
      present += b ? 1 : 0;
    }
    this.goldN = n;
    this.goldPositives = pos;
    this.goldKish = sw2 > 0 ? sw * sw / sw2 : 0;
    this.goldStrata = present;
  }

  int goldN() {
    return goldN;
  }

  int goldPositives() {
    return goldPositives;
  }

  private boolean in(int i) {
    return domain == null || domain[i];
  }

  /** m·d1·d2 for a gold unit. */
  private double weight2(int i) {
    return p1.exposure(i) * p1.designWeight(i) / s.pi2[i];
  }

  Corrected compute(CorrectedEstimator e) {
    return switch (e) {
      case HUMAN_ONLY -> humanOnly();
      case LLM_ONLY -> llmOnly();
      case DOUBLE_SAMPLING -> doubleSampling();
      case PPI -> ppi(CorrectedEstimator.PPI, 1.0, Double.NaN, "");
      case PPI_PLUS_PLUS -> ppiPlusPlus();
      case ROGAN_GLADEN -> roganGladen();
    };
  }

  private Corrected noGold(CorrectedEstimator e) {
    return new Corrected.NotEstimable(e, "no reviewed (gold) units" + where);
  }

  private Corrected humanOnly() {
    CorrectedEstimator me = CorrectedEstimator.HUMAN_ONLY;
    if (goldN == 0) {
      return noGold(me);
    }
    double sw = 0;
    double swy = 0;
    for (int i : s.goldIndex) {
      if (in(i)) {
        sw += weight2(i);
        swy += weight2(i) * s.y[i];
      }
    }
    if (!(sw > 0)) {
      return new Corrected.NotEstimable(me, "the reviewed units" + where + " have no exposure");
    }
    double p = swy / sw;
    if (goldPositives == 0) {
      return new Corrected.UpperBound(me, 0, BinomialInterval.upperBoundForZero(goldKish, options.level()),
          String.format(Locale.ROOT, "no gold positive among %d reviewed units%s: one-sided %.0f%% "
              + "Clopper–Pearson bound on Kish's effective n = %.1f", goldN, where, 100 * options.level(), goldKish));
    }
    double[] e = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        e[i] = p1.exposure(i) * (s.y[i] - p) / sw;
      }
    }
    return estimated(me, p, variance.phase1(e), variance.phase2(e), sw, Map.of(), "");
  }

  private Corrected llmOnly() {
    CorrectedEstimator me = CorrectedEstimator.LLM_ONLY;
    Estimate est;
    try {
      est = Estimator.ratio(p1, s.llm, domain);
    } catch (IllegalArgumentException ex) {
      return new Corrected.NotEstimable(me, ex.getMessage());
    }
    Interval ci = options.interval().interval(est, options.level());
    if (est.atZero()) {
      return new Corrected.UpperBound(me, 0, ci, "the LLM flagged no sampled unit" + where);
    }
    return new Corrected.Estimated(me, est.estimate(), est.se(), ci, est.nEff(), Map.of(), "");
  }

  private Corrected doubleSampling() {
    CorrectedEstimator me = CorrectedEstimator.DOUBLE_SAMPLING;
    if (goldN == 0) {
      return noGold(me);
    }
    double[] t = new double[2];
    for (int i = 0; i < p1.size(); i++) {
      if (in(i)) {
        t[(int) s.llm[i]] += p1.designWeight(i) * p1.exposure(i);
      }
    }
    double m = t[0] + t[1];
    if (!(m > 0)) {
      return new Corrected.NotEstimable(me, "the sample" + where + " has no exposure");
    }
    double[] gw = new double[2];
    double[] gwy = new double[2];
    double[] gw2 = new double[2];
    for (int i : s.goldIndex) {
      if (in(i)) {
        int g = (int) s.llm[i];
        double w = weight2(i);
        gw[g] += w;
        gw2[g] += w * w;
        gwy[g] += w * s.y[i];
      }
    }
    String[] names = {"LLM-negative", "LLM-positive"};
    double[] r = new double[2];
    double p = 0;
    for (int g = 0; g < 2; g++) {
      if (t[g] > 0 && !(gw[g] > 0)) {
        return new Corrected.NotEstimable(me, "no reviewed unit among the " + names[g] + " units" + where
            + ": double sampling needs gold in both LLM groups");
      }
      r[g] = t[g] > 0 ? gwy[g] / gw[g] : 0;
      p += t[g] / m * r[g];
    }
    Map<String, Double> details = new HashMap<>();
    details.put("llm_positive_share", t[1] / m);
    if (t[1] > 0) {
      details.put("ppv", r[1]);
    }
    if (t[0] > 0) {
      details.put("npv", 1 - r[0]);
    }
    if (goldPositives == 0) {
      // Bonferroni over the groups: each group's one-sided bound at level 1 − α/G.
      int groups = (t[0] > 0 ? 1 : 0) + (t[1] > 0 ? 1 : 0);
      double level = 1 - (1 - options.level()) / groups;
      double upper = 0;
      for (int g = 0; g < 2; g++) {
        if (t[g] > 0) {
          upper += t[g] / m * BinomialInterval.upperBoundForZero(gw[g] * gw[g] / gw2[g], level).upper();
        }
      }
      Interval bound = new Interval(0, Math.min(1, upper), options.level(), "clopper-pearson-upper-stratified", true);
      return new Corrected.UpperBound(me, 0, bound, String.format(Locale.ROOT,
          "no gold positive among %d reviewed units%s: share-weighted one-sided Clopper–Pearson bounds "
              + "per LLM group (Bonferroni)", goldN, where));
    }
    double[] e = new double[p1.size()];
    double[] b = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        int g = (int) s.llm[i];
        // g-weight T_g/M̂_g (the post-stratification factor) times the residuals: within-group for
        // the phase-2 part, around P̂ for the phase-1 part (as R survey does for a calibrated
        // two-phase design).
        double gweight = t[g] / gw[g];
        double mi = p1.exposure(i);
        b[i] = gweight * mi * (s.y[i] - r[g]) / m;
        e[i] = gweight * mi * (s.y[i] - p) / m;
      }
    }
    return estimated(me, p, variance.phase1(e), variance.phase2(b), m, details, "");
  }

  private Corrected ppiPlusPlus() {
    CorrectedEstimator me = CorrectedEstimator.PPI_PLUS_PLUS;
    if (goldN == 0) {
      return noGold(me);
    }
    double m = phase1Exposure();
    double[] by = new double[p1.size()];
    double[] bf = new double[p1.size()];
    double[] sum = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        by[i] = p1.exposure(i) * s.y[i] / m;
        bf[i] = p1.exposure(i) * s.llm[i] / m;
        sum[i] = by[i] + bf[i];
      }
    }
    // V2(λ) = V2(y) − 2λ C + λ² V2(ŷ); V2 is a quadratic form, so C follows by polarisation.
    double vy = variance.phase2(by);
    double vf = variance.phase2(bf);
    double c = (variance.phase2(sum) - vy - vf) / 2;
    double lambda;
    String note;
    if (vf > 1e-300) {
      double raw = c / vf;
      lambda = Math.max(0, Math.min(1, raw));
      note = raw == lambda ? "" : String.format(Locale.ROOT, "λ = %.3f clipped to [0, 1]", raw);
    } else {
      lambda = 1;
      note = "λ undefined (the LLM call is constant within every phase-2 stratum): λ = 1, i.e. PPI";
    }
    return ppi(me, lambda, lambda, note);
  }

  private double phase1Exposure() {
    double m = 0;
    for (int i = 0; i < p1.size(); i++) {
      if (in(i)) {
        m += p1.designWeight(i) * p1.exposure(i);
      }
    }
    return m;
  }

  /** P̂_λ = [λ Σ_S d1 m ŷ + Σ_G d1 d2 m (y − λŷ)] / Σ_S d1 m. */
  private Corrected ppi(CorrectedEstimator me, double lambda, double reportLambda, String note) {
    if (goldN == 0) {
      return noGold(me);
    }
    if (goldPositives == 0) {
      return new Corrected.NotEstimable(me, "no gold positive among " + goldN + " reviewed units" + where
          + ": the rectifier has no positive to learn from (see the upper bounds)");
    }
    double m = phase1Exposure();
    if (!(m > 0)) {
      return new Corrected.NotEstimable(me, "the sample" + where + " has no exposure");
    }
    double llmTotal = 0;
    for (int i = 0; i < p1.size(); i++) {
      if (in(i)) {
        llmTotal += p1.designWeight(i) * p1.exposure(i) * s.llm[i];
      }
    }
    double rect = 0;
    for (int i : s.goldIndex) {
      if (in(i)) {
        rect += weight2(i) * (s.y[i] - lambda * s.llm[i]);
      }
    }
    double p = (lambda * llmTotal + rect) / m;
    double[] e = new double[p1.size()];
    double[] b = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        e[i] = p1.exposure(i) * (s.y[i] - p) / m;
        b[i] = p1.exposure(i) * (s.y[i] - lambda * s.llm[i]) / m;
      }
    }
    Map<String, Double> details = new HashMap<>();
    details.put("llm_estimate", llmTotal / m);
    details.put("rectifier", rect / m);
    if (!Double.isNaN(reportLambda)) {
      details.put("lambda", reportLambda);
    }
    return estimated(me, p, variance.phase1(e), variance.phase2(b), m, details, "");
  }

  private Corrected roganGladen() {
    CorrectedEstimator me = CorrectedEstimator.ROGAN_GLADEN;
    if (goldN == 0) {
      return noGold(me);
    }
    if (goldPositives == 0) {
      return new Corrected.NotEstimable(me, "no gold positive" + where + ": sensitivity cannot be estimated");
    }
    if (goldPositives == goldN) {
      return new Corrected.NotEstimable(me, "no gold negative" + where + ": specificity cannot be estimated");
    }
    Estimate apparent;
    try {
      apparent = Estimator.ratio(p1, s.llm, domain);
    } catch (IllegalArgumentException ex) {
      return new Corrected.NotEstimable(me, ex.getMessage());
    }
    double[] w = new double[2];
    double[] w2 = new double[2];
    double[] hit = new double[2];
    for (int i : s.goldIndex) {
      if (in(i)) {
        int y = (int) s.y[i];
        double wi = weight2(i);
        w[y] += wi;
        w2[y] += wi * wi;
        if (s.llm[i] == y) {
          hit[y] += wi;
        }
      }
    }
    double se = hit[1] / w[1];
    double sp = hit[0] / w[0];
    double nSe = w[1] * w[1] / w2[1];
    double nSp = w[0] * w[0] / w2[0];
    double ap = apparent.estimate();
    double nAp = Double.isFinite(apparent.nEff()) ? apparent.nEff() : apparent.kishNEff();
    Map<String, Double> details = Map.of("apparent", ap, "sensitivity", se, "specificity", sp,
        "sensitivity_n", nSe, "specificity_n", nSp, "apparent_n", nAp);
    if (!(se + sp > 1)) {
      return new Corrected.NotEstimable(me, String.format(Locale.ROOT,
          "sensitivity %.3f + specificity %.3f is not above 1: the LLM is no better than chance%s", se, sp, where));
    }
    RoganGladen.Result r = RoganGladen.langReiczigel(ap * nAp, nAp, se * nSe, nSe, sp * nSp, nSp, options.level());
    double nEff = r.se() > 0 ? r.estimate() * (1 - r.estimate()) / (r.se() * r.se()) : Double.POSITIVE_INFINITY;
    return new Corrected.Estimated(me, r.estimate(), r.se(), r.interval(), nEff, details,
        "assumes the LLM's sensitivity and specificity on the reviewed units hold for the whole sample");
  }

  /**
   * An estimate with V = V1 + V2 and its interval by the configured method, through the estimation
   * core's {@link Estimate} (n = rows = gold units, df = gold units − phase-2 strata).
   */
  private Corrected estimated(
      CorrectedEstimator me, double p, double v1, double v2, double total,
      Map<String, Double> extra, String note) {
    Map<String, Double> details = new HashMap<>(extra);
    details.put("variance_phase1", v1);
    details.put("variance_phase2", v2);
    double v = Math.max(0, v1) + Math.max(0, v2);
    double se = Math.sqrt(v);
    if (p <= 0) {
      // A difference estimator can land at or below 0 with gold positives present: report the
      // one-sided bound P̂ + z_{1−α} SE, never a zero-width interval.
      double z = BinomialInterval.z(2 * options.level() - 1);
      double upper = Math.min(1, Math.max(p + z * se, BinomialInterval.upperBoundForZero(goldKish, options.level()).upper()));
      return new Corrected.UpperBound(me, p, new Interval(0, upper, options.level(), "wald-upper", true),
          String.format(Locale.ROOT, "the estimate %.3g is not above 0%s: one-sided bound", p, where));
    }
    double pc = Math.min(1, p);
    double nEff = pc < 1 && v > 0 ? pc * (1 - pc) / v : goldKish;
    int df = Math.max(1, goldN - goldStrata);
    Estimate core = new Estimate(pc, se, v, goldN, goldN, goldN, df, goldPositives, total, nEff,
        goldN / nEff, goldKish);
    Interval ci = options.interval().interval(core, options.level());
    return new Corrected.Estimated(me, p, se, ci, nEff, details, note);
  }
}
