package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The computations behind {@link CorrectedEstimator}, over one domain of a two-phase sample. */
final class Estimators {
  final TwoPhaseSample s;
  final DesignSample p1;
  final boolean[] domain;
  private final CalibrationOptions options;
  final TwoPhaseVariance variance;
  final String where;
  /** Gold units in the domain, their positives, and Kish's n over their weights m·d1·d2. */
  private final int goldN;
  private final int goldPositives;
  private final double goldKish;
  private final int goldStrata;
  /** Platt's {a, b} of the gold calls on logit f for the floor (null: none), fitted on first use. */
  private double[] floorFit;
  private boolean floorFitted;

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
        pos += s.call[i] ? 1 : 0;
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

  /** The interval's confidence level. */
  double level() {
    return options.level();
  }

  int goldN() {
    return goldN;
  }

  int goldPositives() {
    return goldPositives;
  }

  boolean in(int i) {
    return domain == null || domain[i];
  }

  /** m·d1·d2 for a gold unit. */
  double weight2(int i) {
    return p1.exposure(i) * p1.designWeight(i) / s.pi2[i];
  }

  Corrected compute(CorrectedEstimator e) {
    return switch (e) {
      case HUMAN_ONLY -> humanOnly();
      case LLM_ONLY -> llmOnly();
      case DOUBLE_SAMPLING -> doubleSampling();
      case PPI -> ppi(CorrectedEstimator.PPI, 1.0, Double.NaN, "");
      case PPI_PLUS_PLUS -> ppiPlusPlus();
      case ROGAN_GLADEN -> RoganGladen.of(this);
      case STRATIFIED_PPI -> new HybridEstimators(this).stratifiedPpi();
      case ACTIVE_AIPW -> new HybridEstimators(this).activeAipw();
    };
  }

  Corrected noGold(CorrectedEstimator e) {
    return new Corrected.NotEstimable(e, "no reviewed (gold) units" + where);
  }

  /** Why an estimator with a rectifier (PPI, stratified PPI, active AIPW) cannot be computed, or null. */
  Corrected.NotEstimable rectifierUnavailable(CorrectedEstimator e) {
    if (goldN == 0) {
      return new Corrected.NotEstimable(e, "no reviewed (gold) units" + where);
    }
    if (goldPositives == 0) {
      return new Corrected.NotEstimable(e, "no gold positive among " + goldN + " reviewed units" + where
          + ": the rectifier has no positive to learn from (see the upper bounds)");
    }
    return null;
  }

  /** Σ_S d1 m x over the domain. */
  double phase1Total(double[] x) {
    double t = 0;
    for (int i = 0; i < p1.size(); i++) {
      if (in(i)) {
        t += p1.designWeight(i) * p1.exposure(i) * x[i];
      }
    }
    return t;
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
    double v1 = variance.phase1(e);
    double[] coef = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        coef[i] = weight2(i) / sw;
      }
    }
    double vGold = variance.gold(coef);
    double v2 = variance.phase2(e);
    Map<String, Double> details = Map.of();
    double[] q = options.scoreFloor() ? ScoreFloor.model(s) : null;
    if (q != null) {
      // the draw's own V2 is small exactly when it saw only light violations (P̂ low): floored by what the score's
      // model of the gold anticipates (ScoreFloor; docs/calibration.md, "Two-phase variance")
      double[] anticipated = ScoreFloor.phase2ByClass(s, domain, p, q);
      double model = 0; // ScoreFloor.phase2's sum, in its order, without computing the classes' terms again
      for (double vh : anticipated) {
        model += vh;
      }
      CalibrationOptions.FloorGuard guard = options.floorGuard();
      if (guard.equals(CalibrationOptions.FloorGuard.NONE)) {
        details = Map.of("variance_phase2_linearised", v2, "variance_phase2_model", model,
            "phase2_floored", model > v2 ? 1.0 : 0.0);
      } else {
        // a class whose gold cannot vouch for its model (too few positives or negatives, or a score that does not
        // rank it) keeps its own V2 term (docs/calibration.md, "A guard on the score floor (h48)")
        boolean[] trusted = ScoreFloor.trusted(ScoreFloor.evidence(s, s.score), guard);
        int passed = 0;
        for (boolean t : trusted) {
          passed += t ? 1 : 0;
        }
        // every class trusted: h44's floor to the digit; otherwise refused classes keep their own V2 term (none
        // trusted: V2 itself, no floor)
        if (passed < trusted.length) {
          double[] own = new double[trusted.length];
          for (int h = 0; h < trusted.length; h++) {
            if (trusted[h]) {
              // class h's own term of V2: its residuals alone (the others' set to 0 add nothing)
              double[] eh = new double[e.length];
              for (int i : s.goldIndex) {
                eh[i] = s.stratum2[i] == h ? e[i] : 0;
              }
              own[h] = variance.phase2(eh);
            }
          }
          model = ScoreFloor.guarded(v2, anticipated, trusted, own);
        }
        Map<String, Double> guarded = new HashMap<>(Map.of("variance_phase2_linearised", v2, "variance_phase2_model",
            model, "phase2_floored", model > v2 ? 1.0 : 0.0, "phase2_floor_classes", (double) passed));
        for (int h = 0; h < trusted.length; h++) {
          // per review class: 1 where its model floors, 0 where the guard kept its own V2
          guarded.put("phase2_floor_trusted." + s.strata2.get(h), trusted[h] ? 1.0 : 0.0);
        }
        details = guarded;
      }
      v2 = Math.max(v2, model);
    }
    Corrected c = estimated(me, p, v1, v2, vGold, sw, details, "");
    // the one estimator whose review classes MOVER-Wilson combines (IntervalMethod.MOVER_WILSON)
    // MOVER-Wilson combines SRS review classes; a Poisson (active) review has none, so it keeps the
    // design interval
    if (options.interval() == IntervalMethod.MOVER_WILSON && !s.poisson && c instanceof Corrected.Estimated est) {
      c = new Corrected.Estimated(me, p, est.se(), ReviewClassIntervals.moverWilson(s, domain, p, v1 + vGold, options.level()), est.effectiveN(), est.details(),
          est.note());
    } else if (options.interval() == IntervalMethod.GAMMA && c instanceof Corrected.Estimated est) {
      // the gamma interval allows for one more violation at an unseen class's weight, so no unseen-class note
      c = new Corrected.Estimated(me, p, est.se(), ReviewClassIntervals.gamma(s, domain, p, est.se() * est.se(), options.level()),
          est.effectiveN(), est.details(), est.note());
    } else if (options.interval() == IntervalMethod.KG_GAMMA && c instanceof Corrected.Estimated est) {
      // Korn–Graubard, or the gamma interval where a review stratum reviewed in part showed no violation
      ReviewClassIntervals.Switched g = ReviewClassIntervals.kgGamma(s, domain, p, est.se() * est.se(), options.level());
      if (g != null) {
        c = new Corrected.Estimated(me, p, est.se(), g.interval(), est.effectiveN(), est.details(),
            est.note().isEmpty() ? g.note() : est.note() + "; " + g.note());
      }
    } else if (c instanceof Corrected.Estimated est) {
      String unseen = ReviewClassIntervals.unseenClassNote(s, domain, p, est.se() * est.se(), options.level());
      if (!unseen.isEmpty()) {
        c = new Corrected.Estimated(me, p, est.se(), est.interval(), est.effectiveN(), est.details(),
            est.note().isEmpty() ? unseen : est.note() + "; " + unseen);
      }
    }
    return c instanceof Corrected.Estimated est
        ? new Corrected.Estimated(me, p, est.se(), ReviewClassIntervals.certaintyFloor(s, domain).widen(est.interval(), options.level()), est.effectiveN(),
            est.details(), est.note())
        : c;
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
    double linear = variance.phase2(b);
    double jack = Jackknife.phase2Variance(s, domain, d2 -> doubleSamplingValue(t, m, r, d2));
    details.put("variance_phase2_linearised", linear);
    details.put("se_linearised", Math.sqrt(Math.max(0, variance.phase1(e)) + linear));
    double[] coef = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        coef[i] = t[(int) s.llm[i]] / m * weight2(i) / gw[(int) s.llm[i]];
      }
    }
    return estimated(me, p, variance.phase1(e), jack, variance.gold(coef), m, details,
        "phase-2 variance by the delete-one jackknife (the group ratios are re-fitted in each replicate)");
  }

  /** Double sampling with phase-2 weights d2; a group left without gold keeps its full-sample ratio. */
  private double doubleSamplingValue(double[] t, double m, double[] fallback, double[] d2) {
    double[] gw = new double[2];
    double[] gwy = new double[2];
    for (int i : s.goldIndex) {
      if (in(i) && d2[i] > 0) {
        int g = (int) s.llm[i];
        double w = p1.exposure(i) * p1.designWeight(i) * d2[i];
        gw[g] += w;
        gwy[g] += w * s.y[i];
      }
    }
    double p = 0;
    for (int g = 0; g < 2; g++) {
      if (t[g] > 0) {
        p += t[g] / m * (gw[g] > 0 ? gwy[g] / gw[g] : fallback[g]);
      }
    }
    return p;
  }

  /** Hájek means over the gold set with phase-2 weights d2: {M_G, ȳ_G, f̄_G}. */
  private double[] goldMeans(double[] d2) {
    double sw = 0;
    double swy = 0;
    double swf = 0;
    for (int i : s.goldIndex) {
      if (in(i) && d2[i] > 0) {
        double w = p1.exposure(i) * p1.designWeight(i) * d2[i];
        sw += w;
        swy += w * s.y[i];
        swf += w * s.llm[i];
      }
    }
    return new double[] {sw, sw > 0 ? swy / sw : 0, sw > 0 ? swf / sw : 0};
  }

  /**
   * The power-tuning λ for phase-2 weights d2: minimises the phase-2 variance of
   * Σ_G d1 d2 m[(y − ȳ_G) − λ(ŷ − f̄_G)], Σ_g N_g²(1 − f_g) s²_g/n_g over the units with d2 &gt; 0, so
   * λ = Σ_g c_g cov_g(a, c) / Σ_g c_g var_g(c) with a = d1 m (y − ȳ_G), c = d1 m (ŷ − f̄_G), clipped
   * to [0, 1]; NaN when the denominator is 0.
   */
  private double lambda(double[] d2) {
    double[] means = goldMeans(d2);
    int strata = s.strata2.size();
    double[] n = new double[strata];
    double[] sa = new double[strata];
    double[] sc = new double[strata];
    double[] sac = new double[strata];
    double[] scc = new double[strata];
    for (int i : s.goldIndex) {
      if (d2[i] > 0) {
        int g = s.stratum2[i];
        double base = in(i) ? p1.designWeight(i) * p1.exposure(i) : 0;
        double a = base * (s.y[i] - means[1]);
        double c = base * (s.llm[i] - means[2]);
        n[g]++;
        sa[g] += a;
        sc[g] += c;
        sac[g] += a * c;
        scc[g] += c * c;
      }
    }
    double num = 0;
    double den = 0;
    for (int g = 0; g < strata; g++) {
      if (n[g] < 2) {
        continue;
      }
      double weight = s.n1g[g] * s.n1g[g] * Math.max(0, 1 - s.n2g[g] / s.n1g[g]) / n[g] / (n[g] - 1);
      num += weight * (sac[g] - sa[g] * sc[g] / n[g]);
      den += weight * (scc[g] - sc[g] * sc[g] / n[g]);
    }
    if (!(den > 1e-300)) {
      return Double.NaN;
    }
    return num / den;
  }

  /** θ̂_λ = ȳ_G + λ(f̄_S − f̄_G) with phase-2 weights d2. */
  private double ppiValue(double lambda, double llmMean, double[] d2) {
    double[] means = goldMeans(d2);
    return means[1] + lambda * (llmMean - means[2]);
  }

  private Corrected ppiPlusPlus() {
    CorrectedEstimator me = CorrectedEstimator.PPI_PLUS_PLUS;
    if (goldN == 0) {
      return noGold(me);
    }
    double[] d2 = fullPhase2Weights();
    double raw = lambda(d2);
    double lambda;
    String note;
    if (Double.isNaN(raw)) {
      lambda = 1;
      note = "λ undefined (the LLM call is constant within every phase-2 stratum): λ = 1, i.e. PPI";
    } else {
      lambda = Math.max(0, Math.min(1, raw));
      note = raw == lambda ? "" : String.format(Locale.ROOT, "λ = %.3f clipped to [0, 1]", raw);
    }
    String jack = "phase-2 variance: the larger of the delete-one jackknife (λ re-tuned in each replicate) and the "
        + "variance the LLM's probabilities anticipate";
    return ppi(me, lambda, lambda, note.isEmpty() ? jack : note + "; " + jack);
  }

  double[] fullPhase2Weights() {
    double[] d2 = new double[p1.size()];
    for (int i : s.goldIndex) {
      d2[i] = 1 / s.pi2[i];
    }
    return d2;
  }

  double phase1Exposure() {
    double m = 0;
    for (int i = 0; i < p1.size(); i++) {
      if (in(i)) {
        m += p1.designWeight(i) * p1.exposure(i);
      }
    }
    return m;
  }

  /**
   * θ̂_λ = ȳ_G + λ(f̄_S − f̄_G): the gold's Hájek mean plus λ times the difference between the LLM's
   * Hájek means on S and on G (PPI at λ = 1: f̄_S plus the rectifier mean (ȳ − f̄)_G; human-only at
   * λ = 0). Linearised: phase 1 on e = m(y − θ)/M_G, phase 2 on b = m[(y − ȳ_G) − λ(ŷ − f̄_G)]/M_G.
   */
  private Corrected ppi(CorrectedEstimator me, double lambda, double reportLambda, String note) {
    Corrected.NotEstimable unavailable = rectifierUnavailable(me);
    if (unavailable != null) {
      return unavailable;
    }
    double m = phase1Exposure();
    if (!(m > 0)) {
      return new Corrected.NotEstimable(me, "the sample" + where + " has no exposure");
    }
    double llmMean = phase1Total(s.llm) / m;
    double[] d2 = fullPhase2Weights();
    double[] means = goldMeans(d2);
    if (!(means[0] > 0)) {
      return new Corrected.NotEstimable(me, "the reviewed units" + where + " have no exposure");
    }
    double p = means[1] + lambda * (llmMean - means[2]);
    double[] e = new double[p1.size()];
    double[] b = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        // Normalised by the gold set's exposure, as human-only is: at λ = 0 both are identical.
        e[i] = p1.exposure(i) * (s.y[i] - p) / means[0];
        b[i] = p1.exposure(i) * ((s.y[i] - means[1]) - lambda * (s.llm[i] - means[2])) / means[0];
      }
    }
    Map<String, Double> details = new HashMap<>();
    details.put("llm_estimate", llmMean);
    details.put("rectifier", means[1] - means[2]);
    double v1 = variance.phase1(e);
    double v2 = variance.phase2(b);
    double[] coef = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (in(i)) {
        // ∂θ̂/∂y_i at fixed λ: the rectifier's weight (λ moves only f̄ terms, which do not involve y)
        coef[i] = weight2(i) / means[0];
      }
    }
    double vGold = variance.gold(coef);
    if (!Double.isNaN(reportLambda)) {
      details.put("lambda", reportLambda);
      details.put("variance_phase2_linearised", v2);
      details.put("se_linearised", Math.sqrt(Math.max(0, v1) + v2));
      double jack = Jackknife.phase2Variance(s, domain, w -> {
        double l = lambda(w);
        return ppiValue(Double.isNaN(l) ? 1 : Math.max(0, Math.min(1, l)), llmMean, w);
      });
      // With the LLM-negatives reviewed thinly, most reviews see none of their rare misses and the
      // jackknife collapses (coverage 0.05–0.58 in ReviewDesignSimulation): the same floor as
      // stratified PPI and active AIPW, the variance the LLM's probabilities anticipate.
      double[] unit = new double[p1.size()];
      for (int i : s.goldIndex) {
        if (in(i)) {
          unit[i] = p1.exposure(i) * p1.designWeight(i) / means[0];
        }
      }
      AnticipatedFloor model = anticipatedPhase2Variance(unit);
      details.put("variance_phase2_jackknife", jack);
      model.record(details, jack);
      v2 = Math.max(jack, model.value());
      if (model.recalibratedBinds(jack)) {
        note = note.isEmpty() ? AnticipatedFloor.NOTE : note + "; " + AnticipatedFloor.NOTE;
      }
    }
    return estimated(me, p, v1, v2, vGold, m, details, note);
  }

  /**
   * The phase-2 variance the LLM's probabilities anticipate (Isaki &amp; Fuller 1982, "Survey design
   * under the regression superpopulation model", JASA 77:89–96): if y_i ~ Bernoulli(f_i), no λ removes
   * the noise f(1 − f) of y itself, so the rectifier's phase-2 variance is at least
   * Σ_S (1 − π2)/π2 c² f(1 − f), c_i the unit's coefficient (its weight m·d1 over the
   * estimator's denominator); its Horvitz–Thompson estimate from G is
   * Σ_G (1 − π2)/π2² c² f(1 − f). Averaged over every reviewed unit, it does not hinge on the few rare
   * positives a review of low inclusion probabilities happens to catch, which is what leaves the
   * design-based variance near zero in most samples of a rare violation (docs/calibration.md, "Review
   * designs"). 0 when f is a bare 0/1 call.
   *
   * <p>The floor is the larger of that total and the same with f recalibrated on this domain's gold calls
   * ({@link AnticipatedFloor#fit}, Platt's logit p = a + b·logit f): an overconfident LLM states f far below
   * the miss rate its gold shows, and the stated floor then vanishes (active AIPW covered 0.125 at 0.43% with
   * σ(2.5·logit P)); the max keeps the stated floor where the fit, learning from the few misses a review
   * sees, would lower it (which undercovered when it replaced f: docs/calibration.md, "A recalibrated floor
   * was tried and rejected" and "The floor under an overconfident LLM").
   */
  AnticipatedFloor anticipatedPhase2Variance(double[] coef) {
    if (!floorFitted) {
      floorFit = AnticipatedFloor.fit(s, domain);
      floorFitted = true;
    }
    return AnticipatedFloor.of(s, domain, coef, floorFit);
  }

  private Corrected estimated(
      CorrectedEstimator me, double p, double v1, double v2, double total,
      Map<String, Double> extra, String note) {
    return estimated(me, p, v1, v2, 0, total, extra, note);
  }

  /**
   * An estimate with V = V1 + V2 + V_gold and its interval by the configured method, through the
   * estimation core's {@link Estimate} (n = rows = gold units, df = gold units − phase-2 strata).
   * V_gold is the rater-error model's part ({@link TwoPhaseVariance#gold}); it is recorded only when the
   * gold carries an error model.
   */
  Corrected estimated(
      CorrectedEstimator me, double p, double v1, double v2, double vGold, double total,
      Map<String, Double> extra, String note) {
    Map<String, Double> details = new HashMap<>(extra);
    details.put("variance_phase1", v1);
    details.put("variance_phase2", v2);
    if (s.yReplicates != null) {
      details.put("variance_gold_model", vGold);
    }
    double v = Math.max(0, v1) + Math.max(0, v2) + vGold;
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
    Estimate core = core(pc, v, total);
    Interval ci = vGold > 0 ? withGoldError(pc, Math.max(0, v1) + Math.max(0, v2), vGold, total)
        : options.interval().interval(core, options.level());
    return new Corrected.Estimated(me, p, se, ci, core.nEff(), details, note);
  }

  /**
   * The estimation core's {@link Estimate} of P̂ with variance v: n = rows = gold units, df = gold units −
   * phase-2 strata, n* = P̂(1 − P̂)/v (Kish's n of the gold when v = 0 or P̂ = 1).
   */
  private Estimate core(double p, double v, double total) {
    double nEff = p < 1 && v > 0 ? p * (1 - p) / v : goldKish;
    int df = Math.max(1, goldN - goldStrata);
    return new Estimate(p, Math.sqrt(v), v, goldN, goldN, goldN, df, goldPositives, total, nEff, goldN / nEff, goldKish);
  }

  /**
   * The interval when the gold carries an error model: the configured method's interval on the
   * design variance V1 + V2 alone, widened by V_gold as an independent normal component (MOVER, Zou
   * &amp; Donner 2008: L = P̂ − √((P̂ − l)² + z² V_gold), U = P̂ + √((u − P̂)² + z² V_gold)). Why: Korn–Graubard
   * turns the whole variance into an effective binomial size, so at 0.1% the raters' noise and the rates'
   * uncertainty — sums over hundreds of units' independent errors, not a count of positives — shrank
   * n* and stretched the Clopper–Pearson upper limit (coverage 1.000 at 0.1%, docs/calibration.md
   * "The interval with gold error"). The design part keeps its small-count handling; the gold part adds
   * in quadrature.
   */
  private Interval withGoldError(double p, double vDesign, double vGold, double total) {
    Estimate design = core(p, vDesign, total);
    Interval d = options.interval().interval(design, options.level());
    double h2 = Math.pow(BinomialInterval.z(options.level()), 2) * vGold;
    return Interval.clamped(p - Math.sqrt((p - d.lower()) * (p - d.lower()) + h2),
        p + Math.sqrt((d.upper() - p) * (d.upper() - p) + h2), 0, 1, options.level(), d.method(), false);
  }
}
