package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;

/**
 * For the coverage simulations (other packages): human-only's phase-2 variance floored by what a working model
 * anticipates, tried against Korn–Graubard's 3% shortfall (docs/calibration.md, "Korn–Graubard at 3%"). The
 * score-based V2 floor (h42) is {@link ScoreFloor}, {@code calibrate --score-floor}; the class-rate floor (h41), the V1
 * floor and the re-built intervals here are the arms tried beside it.
 *
 * <p>Human-only's linearised V2 is the stratified-SRS variance of z_i = c_i (y_i − P̂), c_i = m_i d1_i/(π2_i Σ_G w),
 * over the review classes h: V2 = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{G_h} (z_i − z̄_h)². A review that drew only light
 * violations leaves V2 (and P̂) low together. The working model y_i ~ Bernoulli(p̂_h) in class h (p̂_h the class's
 * Hájek rate, weights m·d1) decouples it from the draw: with μ_i = c_i (p̂_h − P̂) and σ_i² = c_i² p̂_h(1 − p̂_h),
 * E Σ (z_i − z̄)² = (1 − 1/n_h) Σ σ_i² + Σ (μ_i − μ̄)², so
 * V2_ant = Σ_h (1 − f_h) [p̂_h(1 − p̂_h) Σ_{G_h} c_i² + n_h/(n_h − 1) (p̂_h − P̂)² Σ_{G_h} (c_i − c̄_h)²],
 * the model-anticipated variance of Isaki &amp; Fuller (1982, JASA 77:89–96) for this estimator; the arm uses
 * max(V2, V2_ant), as active AIPW floors its jackknife.
 *
 * <p>The score-based model (h42) lets the chance vary by unit, y_i ~ Bernoulli(q_i) with q_i from a Platt fit of the
 * class's gold on logit(score) ({@link #scored}). The same expectation with μ_i = c_i (q_i − P̂) and
 * σ_i² = c_i² q_i(1 − q_i) gives V2_ant = Σ_h (1 − f_h) [Σ_{G_h} c_i² q_i(1 − q_i) + n_h/(n_h − 1) Σ_{G_h} (μ_i − μ̄_h)²]
 * ({@link #phase2(TwoPhaseSample, double, double[])}), which is the formula above when every q_i of a class is p̂_h.
 * Where phase 1 draws ∝ m·score, c ∝ 1/score: the clean low-score units carry the large c_i and, under this model,
 * a small q_i, instead of p̂_h.
 */
public final class AnticipatedHumanOnly {
  private AnticipatedHumanOnly() {}

  /**
   * The score floor's guard evidence per review class id ({@link ScoreFloor#evidence}: gold positives, negatives and the
   * within-class AUC of {@code score}), for the simulations' diagnostics (h48).
   */
  public static java.util.Map<String, double[]> floorEvidence(TwoPhaseSample s, double[] score) {
    double[][] e = ScoreFloor.evidence(s, score);
    java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
    for (int h = 0; h < e.length; h++) {
      out.put(s.strata2.get(h), e[h]);
    }
    return out;
  }

  /** Per review class id: whether {@code guard} lets its model floor ({@link ScoreFloor#trusted}). */
  public static java.util.Map<String, Boolean> floorTrusted(TwoPhaseSample s, double[] score,
      CalibrationOptions.FloorGuard guard) {
    boolean[] ok = ScoreFloor.trusted(ScoreFloor.evidence(s, score), guard);
    java.util.Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    for (int h = 0; h < ok.length; h++) {
      out.put(s.strata2.get(h), ok[h]);
    }
    return out;
  }

  /** V2_ant at the estimate {@code p}; 0 for an active (Poisson) review, which has no classes. */
  public static double phase2(TwoPhaseSample s, double p) {
    if (s.poisson) {
      return 0;
    }
    int g = s.strata2.size();
    double sw = 0;
    double[] w = new double[g];
    double[] wy = new double[g];
    double[] c = new double[g];
    double[] c2 = new double[g];
    int[] n = new int[g];
    double[] f = new double[g];
    for (int i : s.goldIndex) {
      int h = s.stratum2[i];
      double base = s.phase1.exposure(i) * s.phase1.designWeight(i);
      sw += base / s.pi2[i];
      w[h] += base;
      wy[h] += base * s.y[i];
      n[h]++;
      f[h] = s.pi2[i];
    }
    for (int i : s.goldIndex) {
      int h = s.stratum2[i];
      double ci = s.phase1.exposure(i) * s.phase1.designWeight(i) / (s.pi2[i] * sw);
      c[h] += ci;
      c2[h] += ci * ci;
    }
    double v = 0;
    for (int h = 0; h < g; h++) {
      if (n[h] < 2 || !(w[h] > 0)) {
        continue;
      }
      double ph = wy[h] / w[h];
      double spread = c2[h] - c[h] * c[h] / n[h];
      v += (1 - f[h]) * (ph * (1 - ph) * c2[h] + n[h] / (n[h] - 1.0) * (ph - p) * (ph - p) * spread);
    }
    return v;
  }

  /** V2_ant under y_i ~ Bernoulli(q_i): plumb's own floor, {@link ScoreFloor#phase2} over all of S. */
  public static double phase2(TwoPhaseSample s, double p, double[] q) {
    return ScoreFloor.phase2(s, null, p, q);
  }

  /**
   * V1_ant: the expectation of human-only's V1 estimator (TwoPhaseVariance.phase1 on e_i = m_i (y_i − P̂)/Σ_G w, P̂
   * held) under y_i ~ Bernoulli(q_i), independent, on G. V1 is a quadratic form Q(e) = Σ_k Σ_l A_kl e_k e_l in e,
   * so E Q(e) = Q(μ) + Σ_k A_kk σ_k², with μ_k = m_k (q_k − P̂)/Σ w, σ_k² = m_k² q_k(1 − q_k)/(Σ w)² and
   * A_kk = Q(δ_k) (the unit vector). Under priority or Poisson phase 1 Q is diagonal and this is
   * Σ_G (1 − π1_k)(d1_k m_k/Σ w)² [q_k(1 − q_k) + (q_k − P̂)²]/π2_k.
   */
  public static double phase1(TwoPhaseSample s, double p, double[] q) {
    TwoPhaseVariance variance = new TwoPhaseVariance(s);
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
    }
    double[] mu = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      mu[i] = s.phase1.exposure(i) * (q[i] - p) / sw;
    }
    double v = variance.phase1(mu);
    double[] unit = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      double a = s.phase1.exposure(i) / sw;
      unit[i] = 1;
      v += variance.phase1(unit) * a * a * q[i] * (1 - q[i]);
      unit[i] = 0;
    }
    return v;
  }

  /** p̂_h, the class's Hájek rate (weights m·d1), for every reviewed unit of class h: h41's working model. */
  static double[] classRates(TwoPhaseSample s) {
    return ScoreFloor.classRates(s);
  }

  /**
   * The score-based working model, plumb's own ({@link ScoreFloor#model(TwoPhaseSample, double[])}): per review class
   * the Platt fit of the class's gold on logit(score), weighted by m·d1; p̂_h where the fit has no MLE.
   *
   * @param score the risk score per unit of S
   */
  public static double[] scored(TwoPhaseSample s, double[] score) {
    return ScoreFloor.model(s, score);
  }

  /** {@link #floored(TwoPhaseSample, Corrected, boolean, double)} with the floor of the working model {@code q}. */
  public static Corrected floored(TwoPhaseSample s, Corrected kg, boolean kgGamma, double level, double[] q) {
    return kg instanceof Corrected.Estimated e ? floored(s, e, kgGamma, level, phase2(s, e.estimate(), q)) : kg;
  }

  /** The same with V1 floored too, V1 = max(V1, V1_ant) ({@link #phase1}), under the working model {@code q}. */
  public static Corrected flooredBoth(TwoPhaseSample s, Corrected kg, boolean kgGamma, double level, double[] q) {
    return kg instanceof Corrected.Estimated e ? floored(s, e, kgGamma, level, phase1(s, e.estimate(), q),
        phase2(s, e.estimate(), q)) : kg;
  }

  /**
   * {@code kg}'s human-only estimate (made with {@link IntervalMethod#KORN_GRAUBARD} or {@link IntervalMethod#KG_GAMMA},
   * as {@code kgGamma} says) with V2 = max(V2, V2_ant): the same steps as Estimators (Korn–Graubard on the design
   * variance, the gold part added by MOVER, kg-gamma's switch on the whole variance, the certainty floor). Anything
   * but an estimate is returned as it is.
   */
  public static Corrected floored(TwoPhaseSample s, Corrected kg, boolean kgGamma, double level) {
    return kg instanceof Corrected.Estimated e ? floored(s, e, kgGamma, level, phase2(s, e.estimate())) : kg;
  }

  /** The same with the floor given (0 gives {@code e}'s own interval back: checked in the test). */
  static Corrected floored(TwoPhaseSample s, Corrected.Estimated e, boolean kgGamma, double level, double floor) {
    return floored(s, e, kgGamma, level, 0, floor);
  }

  /** The same with V1 floored by {@code floor1} and V2 by {@code floor2}. */
  static Corrected floored(TwoPhaseSample s, Corrected.Estimated e, boolean kgGamma, double level, double floor1,
      double floor) {
    double p = e.estimate();
    double v1 = Math.max(floor1, e.details().getOrDefault("variance_phase1", 0.0));
    double v2 = Math.max(0, e.details().getOrDefault("variance_phase2", 0.0));
    double vGold = e.details().getOrDefault("variance_gold_model", 0.0);
    double vDesign = v1 + Math.max(v2, floor);
    double pc = Math.min(1, p);
    int goldN = s.goldIndex.length;
    double sw = 0;
    double sw2 = 0;
    for (int i : s.goldIndex) {
      double w = s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
      sw += w;
      sw2 += w * w;
    }
    double kish = sw * sw / sw2;
    double nEff = pc < 1 && vDesign > 0 ? pc * (1 - pc) / vDesign : kish;
    int df = Math.max(1, goldN - s.strata2.size());
    Estimate core = new Estimate(pc, Math.sqrt(vDesign), vDesign, goldN, goldN, goldN, df, s.goldPositives(), sw, nEff,
        goldN / nEff, kish);
    Interval ci = IntervalMethod.KORN_GRAUBARD.interval(core, level);
    if (vGold > 0) {
      double h2 = Math.pow(BinomialInterval.z(level), 2) * vGold;
      ci = Interval.clamped(pc - Math.sqrt((pc - ci.lower()) * (pc - ci.lower()) + h2),
          pc + Math.sqrt((ci.upper() - pc) * (ci.upper() - pc) + h2), 0, 1, level, ci.method(), false);
    }
    if (kgGamma) {
      ReviewClassIntervals.Switched g = ReviewClassIntervals.kgGamma(s, null, p, vDesign + vGold, level);
      if (g != null) {
        ci = g.interval();
      }
    }
    ci = ReviewClassIntervals.certaintyFloor(s, null).widen(ci, level);
    return new Corrected.Estimated(e.estimator(), p, Math.sqrt(vDesign + vGold), ci, nEff, e.details(), e.note());
  }
}
