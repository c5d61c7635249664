package dev.plumb.calibration.queue;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.review.LogisticPrior;
import dev.plumb.calibration.stats.BinomialInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans a confidence-driven review ({@code type: active}, {@code plumb plan --review-budget N};
 * docs/review.md, "Planning a confidence-driven review"): the inclusion probabilities π2 that
 * {@code queue export} would draw with for an expected budget n ({@link ActiveInclusion#inclusion}: the
 * same scores, LLM probabilities, weights and floor, all policies at once), and per policy the
 * expected half-width of active AIPW, the estimator {@code plumb calibrate} headlines after such a review.
 *
 * <p>Before anything of the sample is reviewed, with q_j the unit's chance of violating (its risk score,
 * or a pilot's rate: {@link PlanRates}), f_j the LLM's probability that the estimator
 * reads, c_j = w_j/M (w = m·d1, M = Σ_S w) and κ_j = (1 − π2_j)/π2_j·c_j²:
 *
 * <ul>
 *   <li><b>V1</b>, phase 1: the expected variance of Σ_S w y/M when y_j ~ Bernoulli(q_j), as for a stratified
 *       review ({@link ReviewPlan#phase1Variance}).
 *   <li><b>V2</b>, phase 2: the estimator's is max(jackknife, Σ_G (1 − π2)/π2²·c²·f(1 − f))
 *       (calibration.corrected.HybridEstimators; Isaki &amp; Fuller 1982 for the anticipated term). Over the
 *       Poisson draw the anticipated term's expectation is V2_model = Σ_S κ f(1 − f), its Horvitz–Thompson
 *       estimate's target; the jackknife estimates the rectifier's design variance, whose expectation under
 *       y ~ Bernoulli(q) is V2_design = Σ_S κ [q(1 − q) + (q − λf)²] with λ = Σ κ q f / Σ κ f² clipped to
 *       [0, 1], the estimator's power-tuning λ at its expectation (Zrnic &amp; Candès 2024, ICML, §3).
 *       V2 = max(V2_model, V2_design).
 *   <li>The expected half-width is z_{1−α/2}·√(V1 + V2), a normal approximation to the Korn–Graubard
 *       interval calibrate reports.
 * </ul>
 *
 * <p><b>The raters' part</b>, when the request names a panel ({@link RaterPart}: v_j the answers' noise in unit j's
 * gold, V_θ the error rates' uncertainty): the estimator's variance on noisy gold takes the noise in three places, as
 * calibration.corrected computes it — V1 estimated on g holds Σ_S (1 − π1_j)(w_j/M)² v_j, the jackknife's
 * rectifier variance Σ_S κ_j v_j more, and the gold-error term (TwoPhaseVariance#gold) Σ_S π1_j (w_j/M)² v_j in
 * expectation plus V_θ. So the planned total is V1 + Σ_S (w/M)² v + max(V2_model, V2_design + Σ_S κ v) + V_θ, and
 * the raters' part is that less the design's V1 + V2: Σ_S (w/M)² v + [max(V2_model, V2_design + Σ κ v) − V2] + V_θ.
 * Without a panel the half-width is the design's alone.
 *
 * <p>Not predicted: the jackknife's scatter around its expectation (E[max] ≥ max of the expectations, so a review
 * whose few violations fall unevenly is wider than planned), and the draw's size, which varies around n. Stateless.
 */
public final class ActiveReviewPlan {
  private ActiveReviewPlan() {}

  /**
   * The units with π2 = 1, between the floor and 1, or at the floor, with their expected reviews Σ π2 and mean π2.
   */
  public record Band(String id, int units, double reviews, double meanPi) {}

  /**
   * One policy's expected prevalence Σ w q / M, half-width and half-width relative to the prevalence, with
   * the variance parts (see the class comment): the design's V1, V2_model, V2_design, and the raters' part as the
   * answers' noise and the error rates' uncertainty (both 0 without a panel); {@code designHalfWidth} is
   * z·√(V1 + V2), {@code ratersHalfWidth} z·√(raters' part), {@code halfWidth} z·√(the sum).
   */
  public record Width(String policy, double prevalence, double halfWidth, double relative, double phase1,
      double phase2Model, double phase2Design, double ratersNoise, double ratersRates, double designHalfWidth,
      double ratersHalfWidth) {}

  /**
   * The plan.
   *
   * @param budget the expected reviews planned (capped at the sample size)
   * @param units sampled units
   * @param minimumBudget the smallest budget the design takes (⌈floor·N⌉ with {@code floor:}, else 1)
   * @param floor the floor at this budget
   * @param rates where q came from
   * @param panel where the raters' rates came from, or null when the half-widths are the design's alone
   * @param worst the largest relative half-width over the policies
   * @param byBudget the worst relative half-width at half and twice the budget (within the workable range) and
   *     at the budget itself, by budget
   */
  public record Result(int budget, int units, int minimumBudget, double floor, String rates, String panel,
      List<Band> bands, List<Width> widths, double worst, Map<Integer, Double> byBudget) {
    public Result {
      bands = List.copyOf(bands);
      widths = List.copyOf(widths);
      byBudget = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byBudget));
    }
  }

  /**
   * Plans {@code r.budget()} expected reviews (null: the design's {@code n}) of {@code r.design()}, which must
   * be {@code type: active}; nothing is written.
   *
   * @throws dev.plumb.core.InputException for a budget below {@link Result#minimumBudget} (one line naming it),
   *     a unit without a risk score and no pilot, and the input errors of {@code queue export}
   */
  public static Result run(ReviewPlan.Request r) {
    GoldDesign d = r.design();
    if (!GoldDesign.ACTIVE.equals(d.type())) {
      throw new IllegalArgumentException("not a type: active design: " + d.type() + " (plan it with ReviewPlan)");
    }
    QueueExport.Request q = new QueueExport.Request(r.sample(), r.labels(), d, List.of(), null, false, 0,
        null, "plan", k -> Optional.empty(), r.pilot(), r.pilotLabels());
    QueueExport.SampleIds sample = QueueExport.sampleIds(q);
    QueueExport.LlmLabels labels = QueueExport.llmLabels(q, sample);
    int budget = r.budget() != null ? r.budget() : d.n().get(GoldDesign.ACTIVE);
    DesignSample p1 = QueueExport.phase1(r.sample(), "--review-budget");
    int units = sample.ids().size();
    int[] at = QueueExport.rows(p1, sample.ids());
    double[] w = QueueExport.contributionWeights(p1, at);
    List<String> policies = new ArrayList<>(labels.answers().keySet());
    PlanRates rates = PlanRates.of(q, sample, labels, policies);
    double[][] f = new double[policies.size()][units];
    for (int p = 0; p < policies.size(); p++) {
      ReviewPolicy rp = labels.policy(policies.get(p));
      QueueExport.LlmAnswer[] answers = labels.answers().get(policies.get(p));
      for (int j = 0; j < units; j++) {
        f[p][j] = ActiveInclusion.llmProbability(rp, answers[j]);
      }
    }
    double z = BinomialInterval.z(r.confidence());
    double[] pi = ActiveInclusion.inclusion(d, budget, "--review-budget", labels, w, sample);
    RaterPart.Parts[] raters = raters(r.panel(), policies, rates.q(), w, pi, new int[units]);
    List<Width> widths = widths(p1, at, w, policies, rates.q(), f, pi, z, raters);
    int minimum = ActiveInclusion.minimumBudget(d, units);
    Map<Integer, Double> byBudget = new LinkedHashMap<>();
    TreeSet<Integer> budgets = new TreeSet<>();
    for (int b : new int[] {budget / 2, budget, 2 * budget}) {
      budgets.add(Math.max(minimum, Math.min(units, b)));
    }
    for (int b : budgets) {
      double[] piB = b == budget ? pi : ActiveInclusion.inclusion(d, b, "--review-budget", labels, w, sample);
      byBudget.put(b, worst(b == budget ? widths : widths(p1, at, w, policies, rates.q(), f, piB, z, raters)));
    }
    int planned = Math.min(budget, units);
    double floor = ActiveInclusion.floor(d, budget, units);
    return new Result(planned, units, minimum, floor, rates.source(), r.panel() == null ? null : r.panel().source(),
        bands(pi, floor), widths, worst(widths), byBudget);
  }

  /**
   * Each policy's raters' part ({@link RaterPart}), or null without a panel; a stated panel's rate variances are
   * Se(1 − Se)/Σ π2 q and Sp(1 − Sp)/Σ π2 (1 − q) over the review's expected violating and clean units.
   *
   * @param pi2 each sampled unit's chance of review
   * @param stratum each sampled unit's review stratum (for its prior in the error model: {@link #priors})
   * @throws dev.plumb.core.InputException when the panel has no rates for a labeled policy, or a stated panel has
   *     one rater per item (its rates then rest on honeypots alone)
   */
  static RaterPart.Parts[] raters(ReviewPanel panel, List<String> policies, double[][] q, double[] w, double[] pi2,
      int[] stratum) {
    if (panel == null) {
      return null;
    }
    double total = 0;
    for (double x : w) {
      total += x;
    }
    RaterPart.Parts[] out = new RaterPart.Parts[policies.size()];
    for (int p = 0; p < policies.size(); p++) {
      List<ReviewPanel.Rater> raters = panel.of(policies.get(p));
      if (raters.isEmpty()) {
        throw new dev.plumb.core.InputException(dev.plumb.core.Problem.of(panel.source() + ": no rater model for "
            + dev.plumb.core.PolicyKey.idOf(policies.get(p)) + "; the raters' part of the plan needs each labeled "
            + "policy's rater sensitivity and specificity"));
      }
      if (raters.stream().anyMatch(x -> Double.isNaN(x.seVariance()) || Double.isNaN(x.spVariance()))) {
        if (panel.perItem() < 2) {
          throw new dev.plumb.core.InputException(dev.plumb.core.Problem.of("--rater-sensitivity: with one rater per "
              + "item (overlap: 1) the raters' error rates rest on honeypots alone; size them with plumb plan gold"));
        }
        double violating = 0;
        double clean = 0;
        for (int j = 0; j < w.length; j++) {
          violating += pi2[j] * q[p][j];
          clean += pi2[j] * (1 - q[p][j]);
        }
        List<ReviewPanel.Rater> set = new ArrayList<>();
        for (ReviewPanel.Rater x : raters) {
          double se = x.sensitivity();
          double sp = x.specificity();
          set.add(new ReviewPanel.Rater(x.id(), se, sp, violating > 0 ? se * (1 - se) / violating : 0,
              clean > 0 ? sp * (1 - sp) / clean : 0));
        }
        raters = set;
      }
      double[][] fitted = priors(q[p], w, pi2, stratum);
      double[] prior = fitted[0];
      double[] priorVariance = fitted[1];
      out[p] = RaterPart.of(raters, panel.excluded().size(), panel.perItem(), q[p], prior, priorVariance, w, total);
    }
    return out;
  }

  /**
   * Each policy's expected prevalence, variance parts and half-width for inclusion probabilities π2 (the
   * class comment's formulas), from arrays.
   *
   * @param p1 the phase-1 sample
   * @param at each sampled unit's index in {@code p1}
   * @param w each sampled unit's contribution weight m·d1
   * @param q q[p][j]: policy p's chance of violating, per sampled unit
   * @param f f[p][j]: the LLM's probability of a positive, per sampled unit
   * @param pi π2 per sampled unit, each in (0, 1]
   * @param z the normal quantile z_{1−α/2}
   * @param raters each policy's raters' part, or null for none
   */
  static List<Width> widths(DesignSample p1, int[] at, double[] w, List<String> policies, double[][] q,
      double[][] f, double[] pi, double z, RaterPart.Parts[] raters) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    List<Width> out = new ArrayList<>();
    for (int p = 0; p < policies.size(); p++) {
      double[] qp = q[p];
      double[] fp = f[p];
      double num = 0;
      for (int j = 0; j < w.length; j++) {
        num += w[j] * qp[j];
      }
      double prev = total > 0 ? num / total : 0;
      double v1 = ReviewPlan.phase1Variance(p1, at, w, qp, prev, total);
      double[] kappa = new double[w.length];
      double qf = 0;
      double ff = 0;
      double model = 0;
      for (int j = 0; j < w.length; j++) {
        double c = w[j] / total;
        kappa[j] = (1 - pi[j]) / pi[j] * c * c;
        qf += kappa[j] * qp[j] * fp[j];
        ff += kappa[j] * fp[j] * fp[j];
        model += kappa[j] * fp[j] * (1 - fp[j]);
      }
      // as HybridEstimators.aipwLambda: plain AIPW (λ = 1) when no unit reviewed in part has f > 0
      double lambda = ff > 1e-300 ? Math.max(0, Math.min(1, qf / ff)) : 1;
      double design = 0;
      for (int j = 0; j < w.length; j++) {
        double gap = qp[j] - lambda * fp[j];
        design += kappa[j] * (qp[j] * (1 - qp[j]) + gap * gap);
      }
      double v2 = Math.max(model, design);
      double noise = 0;
      double rates = 0;
      if (raters != null) {
        // where calibration.corrected takes the answers' noise: V1 and the gold-error term together Σ (w/M)² v,
        // the jackknife Σ κ v (class comment)
        double direct = 0;
        double jack = 0;
        double[] v = raters[p].noise();
        for (int j = 0; j < w.length; j++) {
          double c = w[j] / total;
          direct += c * c * v[j];
          jack += kappa[j] * v[j];
        }
        noise = direct + Math.max(model, design + jack) - v2;
        rates = raters[p].rates(w, total, pi);
      }
      double half = z * Math.sqrt(v1 + v2 + noise + rates);
      out.add(new Width(policies.get(p), prev, half, prev > 0 ? half / prev : Double.POSITIVE_INFINITY, v1, model,
          design, noise, rates, z * Math.sqrt(v1 + v2), z * Math.sqrt(noise + rates)));
    }
    return out;
  }

  private static double worst(List<Width> widths) {
    return widths.stream().mapToDouble(Width::relative).max().orElse(0);
  }

  /**
   * The prior {@code queue import} would give each unit, fitted by import's own M-step
   * ({@link LogisticPrior#fitWeighted}: logit π_j = α_h + β x_j, x_j = log w_j less the stratum's mean log w over
   * its reviews, an intercept per review stratum h, one slope, pseudo-count 0.01, ridge β²/2) to the expected
   * review: each unit weighted by its π2, its chance q of violating as the soft label. Returns {π_j, Var of the
   * logit of π_j}: Var α_h + 2 x_j Cov(α_h, β) + x_j² Var β from the fit's inverse Hessian
   * ({@link LogisticPrior#covariance}), times the stratum's {@link #smallCount} factor (the inverse Hessian is the
   * asymptotic variance, and a stratum expecting a fraction of a violation is far from asymptotic).
   */
  static double[][] priors(double[] q, double[] w, double[] pi2, int[] stratum) {
    int n = q.length;
    int g = 0;
    for (int h : stratum) {
      g = Math.max(g, h + 1);
    }
    double[] mean = new double[g];
    double[] mass = new double[g];
    for (int j = 0; j < n; j++) {
      mean[stratum[j]] += pi2[j] * Math.log(w[j]);
      mass[stratum[j]] += pi2[j];
    }
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      x[j] = Math.log(w[j]) - (mass[stratum[j]] > 0 ? mean[stratum[j]] / mass[stratum[j]] : 0);
    }
    double[] coef = LogisticPrior.fitWeighted(q, pi2, x, stratum, g, PSEUDO_COUNT);
    double[][] cov = LogisticPrior.covariance(pi2, x, stratum, g, PSEUDO_COUNT, coef);
    double[] violating = new double[g];
    for (int j = 0; j < n; j++) {
      violating[stratum[j]] += pi2[j] * q[j];
    }
    double[] shrink = new double[g];
    for (int h = 0; h < g; h++) {
      shrink[h] = smallCount((int) Math.round(mass[h]), mass[h] > 0 ? violating[h] / mass[h] : 0, PSEUDO_COUNT);
    }
    double[] prior = new double[n];
    double[] variance = new double[n];
    for (int j = 0; j < n; j++) {
      int h = stratum[j];
      prior[j] = Math.min(1 - 1e-9, Math.max(1e-9, LogisticPrior.p(coef[h] + coef[g] * x[j])));
      variance[j] = shrink[h] * Math.max(0, cov[h][h] + 2 * x[j] * cov[h][g] + x[j] * x[j] * cov[g][g]);
    }
    return new double[][] {prior, variance};
  }

  /** Import's pseudo-count per class and review stratum in the prior (DawidSkene's smoothing). */
  private static final double PSEUDO_COUNT = 0.01;

  /**
   * How much the inverse Hessian overstates the bootstrap variance of a review stratum's prior when the stratum
   * expects few violations, in [0, 1]. Import's bootstrap resamples the stratum's m reviews (X of them violating)
   * and re-fits; for the intercept alone that is logit((X* + s)/(m + 2s)), X* ~ Binomial(m, X/m), so the variance
   * the estimator will add is, over the review, B = E_X[Var(logit((X* + s)/(m + 2s)) | X)], X ~ Binomial(m, p).
   * The delta method's m p(1 − p)/((m + 2s) p(1 − p))² matches B when mp is large, but grows as 1/(mp) when mp ≪ 1,
   * where B shrinks with mp: a stratum that will most likely see no violation has a prior the bootstrap cannot move
   * (every replicate of a review without a violation sees none). Returns min(1, B/delta), never above 1: with a few
   * expected violations B exceeds the delta method (the pseudo-count's logit jumps), but g, bounded by the answers,
   * does not follow such a jump linearly. 1 when p is 0 or 1 or
   * m &lt; 1 (nothing to correct). Binomial terms below 1e-15 are skipped.
   */
  static double smallCount(int m, double p, double s) {
    if (m < 1 || !(p > 0 && p < 1)) {
      return 1;
    }
    double delta = m * p * (1 - p) / Math.pow((m + 2 * s) * p * (1 - p), 2);
    double[] outer = binomial(m, p);
    double boot = 0;
    for (int k = 1; k < m; k++) { // X = 0 or m: every replicate the same, no variance
      if (outer[k] < 1e-15) {
        continue;
      }
      double[] inner = binomial(m, k / (double) m);
      double mean = 0;
      double square = 0;
      for (int t = 0; t <= m; t++) {
        if (inner[t] < 1e-15) {
          continue;
        }
        double pr = (t + s) / (m + 2 * s);
        double l = Math.log(pr) - Math.log1p(-pr);
        mean += inner[t] * l;
        square += inner[t] * l * l;
      }
      boot += outer[k] * Math.max(0, square - mean * mean);
    }
    return Math.min(1, boot / delta);
  }

  /** The Binomial(m, p) probabilities of 0 … m (log scale, so large m does not underflow to nonsense). */
  private static double[] binomial(int m, double p) {
    double[] out = new double[m + 1];
    double lp = Math.log(p);
    double lq = Math.log1p(-p);
    double lc = 0; // log C(m, k)
    for (int k = 0; k <= m; k++) {
      if (k > 0) {
        lc += Math.log(m - k + 1) - Math.log(k);
      }
      out[k] = Math.exp(lc + k * lp + (m - k) * lq);
    }
    return out;
  }

  /** π2 = 1, between the floor and 1, and at the floor (to rounding). */
  private static List<Band> bands(double[] pi, double floor) {
    String[] ids = {"pi = 1", "floor < pi < 1", "pi = floor"};
    int[] units = new int[3];
    double[] sum = new double[3];
    for (double x : pi) {
      int b = x >= 1 - 1e-12 ? 0 : x <= floor * (1 + 1e-9) ? 2 : 1;
      units[b]++;
      sum[b] += x;
    }
    List<Band> out = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      out.add(new Band(ids[b], units[b], sum[b], units[b] > 0 ? sum[b] / units[b] : 0));
    }
    return out;
  }
}
