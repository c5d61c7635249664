package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import java.util.HashMap;
import java.util.Map;

/**
 * The corrected estimators that use the LLM's probability per unit rather than its call alone:
 * stratified PPI and active AIPW, computed over {@link Estimators}' sample, domain and variance
 * (one class so that {@link Estimators} stays readable).
 */
final class HybridEstimators {
  private final Estimators est;
  private final TwoPhaseSample s;
  private final DesignSample p1;
  private final boolean[] domain;
  private final TwoPhaseVariance variance;
  private final String where;

  HybridEstimators(Estimators e) {
    this.est = e;
    this.s = e.s;
    this.p1 = e.p1;
    this.domain = e.domain;
    this.variance = e.variance;
    this.where = e.where;
  }

  /**
   * Stratified PPI over the LLM-call groups h ∈ {ŷ = 0, ŷ = 1} of this policy (Fisch et al. 2024,
   * NeurIPS, eq. 6 with one labelled/unlabelled split per stratum; here G_h ⊂ S_h):
   * θ̂ = Σ_h (T_h/T) [ȳ_h + λ_h (F_h − f̄_h)], T_h = Σ_{S_h} d1 m, F_h = Σ_{S_h} d1 m f / T_h the
   * LLM's probability f on S, ȳ_h and f̄_h the Hájek means of y and f on G_h (weights m d1 d2).
   * λ_h minimises the phase-2 variance of the group's rectifier, in its Poisson form
   * Σ_{G_h} (1 − π2)(m d1 d2)² ((y − ȳ_h) − λ(f − f̄_h))², so λ_h = Σ κ a c / Σ κ c² with
   * κ = (1 − π2)(m d1 d2)², a = y − ȳ_h, c = f − f̄_h: Fisch et al.'s Cov_h(Y, f)/Var_h(f) for nested
   * samples, design-weighted. Clipped to [0, 1]; 0 where f does not vary on the reviewed units of h
   * (a bare 0/1 call is constant within its group), which makes the estimator double sampling.
   */
  Corrected stratifiedPpi() {
    CorrectedEstimator me = CorrectedEstimator.STRATIFIED_PPI;
    Corrected.NotEstimable unavailable = est.rectifierUnavailable(me);
    if (unavailable != null) {
      return unavailable;
    }
    double[] t = new double[2];
    double[] tf = new double[2];
    for (int i = 0; i < p1.size(); i++) {
      if (est.in(i)) {
        double w = p1.designWeight(i) * p1.exposure(i);
        t[(int) s.llm[i]] += w;
        tf[(int) s.llm[i]] += w * s.prob[i];
      }
    }
    double m = t[0] + t[1];
    if (!(m > 0)) {
      return new Corrected.NotEstimable(me, "the sample" + where + " has no exposure");
    }
    double[] f = {t[0] > 0 ? tf[0] / t[0] : 0, t[1] > 0 ? tf[1] / t[1] : 0};
    double[] d2 = est.fullPhase2Weights();
    double[][] g = groupMeans(d2);
    String[] names = {"LLM-negative", "LLM-positive"};
    for (int h = 0; h < 2; h++) {
      if (t[h] > 0 && !(g[h][0] > 0)) {
        return new Corrected.NotEstimable(me, "no reviewed unit among the " + names[h] + " units" + where
            + ": stratified PPI needs gold in both LLM groups");
      }
    }
    double[] lambda = groupLambdas(d2, g);
    double p = stratifiedPpiValue(t, m, f, lambda, g);
    double[] e = new double[p1.size()];
    double[] b = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (est.in(i)) {
        int h = (int) s.llm[i];
        double mi = p1.exposure(i);
        e[i] = mi * (s.y[i] - p) / m;
        b[i] = t[h] / g[h][0] * mi * ((s.y[i] - g[h][1]) - lambda[h] * (s.prob[i] - g[h][2])) / m;
      }
    }
    Map<String, Double> details = new HashMap<>();
    details.put("lambda_llm_negative", lambda[0]);
    details.put("lambda_llm_positive", lambda[1]);
    double jack = Jackknife.phase2Variance(s, domain, w -> {
      double[][] gw = groupMeans(w);
      for (int h = 0; h < 2; h++) {
        if (t[h] > 0 && !(gw[h][0] > 0)) {
          gw[h] = g[h]; // a group left without gold in a replicate keeps its full-sample means
        }
      }
      return stratifiedPpiValue(t, m, f, groupLambdas(w, gw), gw);
    });
    double[] coef = new double[p1.size()];
    double[] unit = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (est.in(i)) {
        int h = (int) s.llm[i];
        coef[i] = t[h] / m * est.weight2(i) / g[h][0];
        unit[i] = t[h] / g[h][0] * p1.exposure(i) * p1.designWeight(i) / m;
      }
    }
    return floored(me, p, e, b, jack, unit, coef, m, details, "λ_h");
  }

  /** Per LLM-call group h, the Hájek means on G with phase-2 weights d2: {M_h, ȳ_h, f̄_h}. */
  private double[][] groupMeans(double[] d2) {
    double[][] g = new double[2][3];
    for (int i : s.goldIndex) {
      if (est.in(i) && d2[i] > 0) {
        double w = p1.exposure(i) * p1.designWeight(i) * d2[i];
        double[] row = g[(int) s.llm[i]];
        row[0] += w;
        row[1] += w * s.y[i];
        row[2] += w * s.prob[i];
      }
    }
    for (double[] row : g) {
      if (row[0] > 0) {
        row[1] /= row[0];
        row[2] /= row[0];
      }
    }
    return g;
  }

  /** λ_h = Σ κ a c / Σ κ c² per group, clipped to [0, 1]; 0 when f does not vary (stratifiedPpi). */
  private double[] groupLambdas(double[] d2, double[][] g) {
    double[] num = new double[2];
    double[] den = new double[2];
    for (int i : s.goldIndex) {
      if (est.in(i) && d2[i] > 0) {
        int h = (int) s.llm[i];
        double w = p1.exposure(i) * p1.designWeight(i) * d2[i];
        double kappa = (1 - s.pi2[i]) * w * w;
        double c = s.prob[i] - g[h][2];
        num[h] += kappa * (s.y[i] - g[h][1]) * c;
        den[h] += kappa * c * c;
      }
    }
    double[] lambda = new double[2];
    for (int h = 0; h < 2; h++) {
      lambda[h] = den[h] > 1e-300 ? Math.max(0, Math.min(1, num[h] / den[h])) : 0;
    }
    return lambda;
  }

  private static double stratifiedPpiValue(double[] t, double m, double[] f, double[] lambda, double[][] g) {
    double p = 0;
    for (int h = 0; h < 2; h++) {
      if (t[h] > 0) {
        p += t[h] / m * (g[h][1] + lambda[h] * (f[h] - g[h][2]));
      }
    }
    return p;
  }

  /**
   * Active statistical inference's estimator (Zrnic &amp; Candès 2024, ICML, eq. 3 with power
   * tuning, §3; Gligorić et al. 2025, NAACL): θ̂ = [λ Σ_S d1 m f + Σ_G d1 m d2 (y − λ f)] / T,
   * T = Σ_S d1 m, f the LLM's probability. Design-unbiased for the numerator whatever λ and π2, so
   * long as every π2 &gt; 0. The fitted λ̂ minimises the Poisson-form phase-2 variance
   * Σ_G (1 − π2)(m d1 d2)²(y − λf)²: λ̂ = N/D, N = Σ_G κ y f, D = Σ_G κ f², κ = (1 − π2)(m d1 d2)²,
   * clipped to [0, 1]; 1 (plain AIPW) when no reviewed unit reviewed in part has f &gt; 0.
   *
   * <p>The λ used is λ̂ shrunk toward 1: λ = 1 − (1 − λ̂)·max(0, 1 − v̂/(1 − λ̂)²), v̂ = Σ_G κ² f³(1 − f)/D²
   * the variance of λ̂ were y ~ Bernoulli(f) (the model the phase-2 floor uses); λ = 1 when λ̂ = 1. The
   * factor is the positive-part James–Stein form (James &amp; Stein 1961; Baranchik 1964) for one
   * coordinate, where Stein's dominance does not hold: a heuristic that keeps the departure 1 − λ̂ only in
   * proportion to how far beyond one SE it lies. Why: κ is 0 for units reviewed with certainty, so when
   * every positive the review saw had π2 = 1, λ̂ = 0 exactly; the estimator then drops the LLM and becomes
   * the heavy-tailed Horvitz–Thompson mean of y while the floor is sized for λ = 1 (at 0.15% such reviews
   * all missed, coverage 0.910; shrunk 0.995 — docs/calibration.md "λ at 0.15%"). Where λ̂ carries
   * information v̂ is small and λ stays near λ̂. Details: {@code lambda} (used) and {@code lambda_fitted}
   * (λ̂). V1 is that of Σ_S d1 m y / T; V2 the jackknife (λ̂ and λ re-computed in each replicate), floored.
   */
  Corrected activeAipw() {
    CorrectedEstimator me = CorrectedEstimator.ACTIVE_AIPW;
    Corrected.NotEstimable unavailable = est.rectifierUnavailable(me);
    if (unavailable != null) {
      return unavailable;
    }
    double m = est.phase1Exposure();
    if (!(m > 0)) {
      return new Corrected.NotEstimable(me, "the sample" + where + " has no exposure");
    }
    double llmTotal = est.phase1Total(s.prob);
    double[] d2 = est.fullPhase2Weights();
    double[] fit = aipwLambda(d2);
    double lambda = fit[1];
    double p = aipwValue(lambda, llmTotal, m, d2);
    double[] e = new double[p1.size()];
    double[] b = new double[p1.size()];
    double[] coef = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (est.in(i)) {
        double mi = p1.exposure(i);
        e[i] = mi * (s.y[i] - p) / m;
        b[i] = mi * (s.y[i] - lambda * s.prob[i]) / m;
        coef[i] = est.weight2(i) / m;
      }
    }
    Map<String, Double> details = new HashMap<>();
    details.put("lambda", lambda);
    details.put("lambda_fitted", fit[0]);
    details.put("llm_estimate", llmTotal / m);
    double jack = Jackknife.phase2Variance(s, domain, w -> aipwValue(aipwLambda(w)[1], llmTotal, m, w));
    double[] unit = new double[p1.size()];
    for (int i : s.goldIndex) {
      if (est.in(i)) {
        unit[i] = p1.exposure(i) * p1.designWeight(i) / m;
      }
    }
    return floored(me, p, e, b, jack, unit, coef, m, details, "λ");
  }

  /**
   * The estimate with phase-2 variance the larger of the jackknife {@code jack} and the variance the
   * LLM's probabilities anticipate for the unit coefficients {@code unit}; the linearised figures
   * (phase 1 on {@code e}, phase 2 on {@code b}) are recorded beside them.
   */
  private Corrected floored(CorrectedEstimator me, double p, double[] e, double[] b, double jack, double[] unit,
      double[] coef, double m, Map<String, Double> details, String tuned) {
    double v1 = variance.phase1(e);
    double linear = variance.phase2(b);
    details.put("variance_phase2_linearised", linear);
    details.put("se_linearised", Math.sqrt(Math.max(0, v1) + linear));
    AnticipatedFloor model = est.anticipatedPhase2Variance(unit);
    details.put("variance_phase2_jackknife", jack);
    model.record(details, jack);
    return est.estimated(me, p, v1, Math.max(jack, model.value()), variance.gold(coef), m, details,
        "phase-2 variance: the larger of the delete-one jackknife (" + tuned + " re-tuned in each replicate) and the "
            + "variance the LLM's probabilities anticipate"
            + (model.recalibratedBinds(jack) ? "; " + AnticipatedFloor.NOTE : ""));
  }

  /** {λ̂, λ}: the fitted λ̂ and λ̂ shrunk toward 1 by its model variance (activeAipw). */
  private double[] aipwLambda(double[] d2) {
    double num = 0;
    double den = 0;
    double spread = 0;
    for (int i : s.goldIndex) {
      if (est.in(i) && d2[i] > 0) {
        double w = p1.exposure(i) * p1.designWeight(i) * d2[i];
        double kappa = (1 - s.pi2[i]) * w * w;
        double f = s.prob[i];
        num += kappa * s.y[i] * f;
        den += kappa * f * f;
        spread += kappa * kappa * f * f * f * (1 - f);
      }
    }
    if (!(den > 1e-300)) {
      return new double[] {1, 1};
    }
    double fitted = Math.max(0, Math.min(1, num / den));
    double gap = 1 - fitted;
    if (gap <= 0) {
      return new double[] {fitted, 1};
    }
    double v = spread / (den * den);
    return new double[] {fitted, 1 - gap * Math.max(0, 1 - v / (gap * gap))};
  }

  private double aipwValue(double lambda, double llmTotal, double m, double[] d2) {
    double rect = 0;
    for (int i : s.goldIndex) {
      if (est.in(i) && d2[i] > 0) {
        rect += p1.exposure(i) * p1.designWeight(i) * d2[i] * (s.y[i] - lambda * s.prob[i]);
      }
    }
    return (lambda * llmTotal + rect) / m;
  }
}
