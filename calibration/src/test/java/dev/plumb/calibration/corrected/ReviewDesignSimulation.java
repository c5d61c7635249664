package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import dev.plumb.calibration.gold.SimulatedPanel;
import dev.plumb.calibration.gold.SimulatedPanel.Reviewed;
import dev.plumb.calibration.queue.ActiveInclusion;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Review designs compared at one budget (issue 15, docs/calibration.md "Review designs"): the same
 * labeled sample S, reviewed by a simple random sample, by a fixed stratified sample (half the budget
 * on the LLM-positives), or by the confidence-driven Poisson draw ({@link ActiveInclusion}); each
 * estimated by human-only, PPI++, stratified PPI and active AIPW, against the true prevalence.
 *
 * <p>The population: N units with exposure m = 1 + ⌊e^{N(1,1)}⌋ (heavy-tailed), a violation with
 * probability {@code prevalence}, a risk score (logit N(1, 1.5) for violations, N(−2.5, 1) otherwise)
 * cut into bands &lt; 0.2, &lt; 0.6, ≥ 0.6, and an LLM that sees a latent x ~ N(δ_b·y, 1) and calls
 * positive when x &gt; 2.576 (specificity 0.995 everywhere), with δ_b = 3.0, 3.86, 4.9 by band: its
 * sensitivity is 0.34, 0.90, 0.99 — its errors vary by risk-score stratum. Its stated probability is
 * the calibrated P(y = 1 | x, band), or with {@link Llm} a miscalibrated score in its place (the
 * design and the estimators see only what the LLM states). Phase 1 is a census of the N units
 * (π1 = 1), so every interval width below is the review's alone, and the target Σ m y / Σ m is the
 * population's. The gold is the truth, or a {@link SimulatedPanel} of noisy raters whose answers
 * become gold through the rater-error model, as plumb makes it by default.
 */
final class ReviewDesignSimulation {
  static final int UNITS = Integer.getInteger("plumb.review.units", 20_000);
  static final double[] DELTA = {3.0, 3.86, 4.9};
  static final double THRESHOLD = 2.576;
  /** The active design's floor on π2, as a share of the uniform rate n/N. */
  static final double FLOOR_SHARE = Double.parseDouble(System.getProperty("plumb.review.floor", "0.5"));
  /**
   * Whether each replication draws a fresh population (the model-anticipated variance's own frame:
   * coverage over populations and reviews) instead of reviewing one fixed population (design-based
   * coverage, the default).
   */
  static final boolean FRESH = Boolean.getBoolean("plumb.review.fresh");
  /**
   * Whether to split active AIPW's error and variance after the active review, truth as gold, into its
   * parts ({@link Diagnosis}; docs/calibration.md, "Why the SE is twice the spread").
   */
  static final boolean DIAGNOSE = Boolean.getBoolean("plumb.review.diagnose");
  /**
   * Whether to recompute active AIPW after the active review with λ held at 1, held in the jackknife, or
   * shrunk toward 1 ({@link #lambdaArms}; docs/calibration.md, "λ at 0.15%").
   */
  static final boolean LAMBDA = Boolean.getBoolean("plumb.review.lambda");
  /**
   * Whether to recompute PPI++, stratified PPI and active AIPW on every design with the floor from the f
   * recalibrated on the gold beside the stated one ({@link RecalibratedFloor}; docs/calibration.md, "The floor
   * under an overconfident LLM (h49)").
   */
  static final boolean FLOOR_ARMS = Boolean.getBoolean("plumb.review.floorarms");

  enum Design {
    SRS("srs"), STRATIFIED("stratified"), ACTIVE("active");

    final String label;

    Design(String label) {
      this.label = label;
    }
  }

  /** What the LLM states as its probability f (the review's inclusion and the estimators use it). */
  enum Llm {
    /** The calibrated P(y = 1 | x, band). */
    CALIBRATED("calibrated"),
    /** σ(2.5·logit P): overconfident, as verbalised LLM confidences are; its small f are far too small. */
    OVERCONFIDENT("overconfident"),
    /**
     * σ(x − 2.576): a score monotone in the LLM's evidence, 0.5 at its threshold, that ignores the
     * prevalence and the band: not a probability (a clean unit typically states 0.07 where the truth is
     * 10⁻⁴, like the demo's local classifier stating 0.99 and right 12% of the time).
     */
    SCORE("score");

    final String label;

    Llm(String label) {
      this.label = label;
    }

    static Llm parse(String s) {
      for (Llm l : values()) {
        if (l.label.equals(s)) {
          return l;
        }
      }
      throw new IllegalArgumentException("unknown LLM " + s + ": calibrated, overconfident or score");
    }
  }

  static final List<CorrectedEstimator> ESTIMATORS = List.of(CorrectedEstimator.HUMAN_ONLY,
      CorrectedEstimator.PPI_PLUS_PLUS, CorrectedEstimator.STRATIFIED_PPI, CorrectedEstimator.ACTIVE_AIPW);

  private ReviewDesignSimulation() {}

  /** The fixed population and its census phase-1 sample. */
  static final class Population {
    final double[] m;
    final boolean[] y;
    final double[] call;
    final double[] q;
    final double target;
    final double prevalence;
    final Llm llm;
    final DesignSample census;
    final int[] positives;
    final int[] negatives;

    Population(double prevalence, long seed) {
      this(prevalence, seed, Llm.CALIBRATED);
    }

    Population(double prevalence, long seed, Llm llm) {
      this.prevalence = prevalence;
      this.llm = llm;
      SplittableRandom rng = new SplittableRandom(seed);
      int n = UNITS;
      m = new double[n];
      y = new boolean[n];
      call = new double[n];
      q = new double[n];
      int[] band = new int[n];
      double[] x = new double[n];
      int[] bandN = new int[3];
      int[] bandY = new int[3];
      double num = 0;
      double den = 0;
      for (int i = 0; i < n; i++) {
        m[i] = 1 + Math.floor(Math.exp(rng.nextGaussian() + 1.0));
        y[i] = rng.nextDouble() < prevalence;
        double logit = y[i] ? 1.0 + 1.5 * rng.nextGaussian() : -2.5 + rng.nextGaussian();
        double score = 1 / (1 + Math.exp(-logit));
        band[i] = score < 0.2 ? 0 : score < 0.6 ? 1 : 2;
        x[i] = (y[i] ? DELTA[band[i]] : 0) + rng.nextGaussian();
        call[i] = x[i] > THRESHOLD ? 1 : 0;
        bandN[band[i]]++;
        bandY[band[i]] += y[i] ? 1 : 0;
        num += m[i] * (y[i] ? 1 : 0);
        den += m[i];
      }
      target = num / den;
      List<SampledUnit> units = new ArrayList<>(n);
      int pos = 0;
      for (int i = 0; i < n; i++) {
        int b = band[i];
        double prior = Math.max(0.5, bandY[b]) / (double) bandN[b];
        double lr = DELTA[b] * x[i] - DELTA[b] * DELTA[b] / 2; // log N(x; δ, 1)/N(x; 0, 1)
        double logit = Math.log(prior / (1 - prior)) + lr;
        q[i] = switch (llm) {
          case CALIBRATED -> sigmoid(logit);
          case OVERCONFIDENT -> sigmoid(2.5 * logit);
          case SCORE -> sigmoid(x[i] - THRESHOLD);
        };
        pos += (int) call[i];
        units.add(SampledUnit.of("u" + i, m[i], new Inclusion.WithoutReplacement("all", 1)));
      }
      census = DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", n, 0, n)));
      positives = new int[pos];
      negatives = new int[n - pos];
      int a = 0;
      int b = 0;
      for (int i = 0; i < n; i++) {
        if (call[i] == 1) {
          positives[a++] = i;
        } else {
          negatives[b++] = i;
        }
      }
    }
  }

  private static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }

  /** Coverage, width and labels of one design × estimator. */
  static final class Cell {
    int intervals;
    int covered;
    double width;
    double labels;
    int reps;
    int estimated;
    double sum;
    double sumSq;
    double sumVar;

    double coverage() {
      return covered / (double) intervals;
    }

    double meanWidth() {
      return width / intervals;
    }

    /** Mean of estimate/target − 1 over the two-sided estimates. */
    double relativeBias() {
      return sum / estimated - 1;
    }

    /** Relative bias, SD and root-mean SE of the two-sided estimates (each relative to its target). */
    String moments() {
      if (estimated == 0) {
        return "";
      }
      double mean = sum / estimated;
      return String.format(Locale.ROOT, "bias %+.3f sd %.3f se %.3f (%d)", mean - 1,
          Math.sqrt(Math.max(0, sumSq / estimated - mean * mean)), Math.sqrt(sumVar / estimated), estimated);
    }

    double meanLabels() {
      return labels / reps;
    }
  }

  /** One reviewed subsample of the census under {@code design}, expected size {@code budget}. */
  static List<Reviewed> review(Population pop, Design design, int budget, SplittableRandom rng) {
    List<Reviewed> gold = new ArrayList<>();
    switch (design) {
      case SRS -> draw(pop, allUnits(pop), budget, "all", gold, rng);
      case STRATIFIED -> {
        int onPositives = Math.min(pop.positives.length, budget / 2);
        draw(pop, pop.positives, onPositives, "llm_positive", gold, rng);
        draw(pop, pop.negatives, budget - onPositives, "llm_negative", gold, rng);
      }
      case ACTIVE -> {
        double[] pi = activeInclusion(pop, budget);
        for (int i = 0; i < pi.length; i++) {
          if (rng.nextDouble() < pi[i]) {
            gold.add(new Reviewed("u" + i, pop.y[i], TwoPhaseSample.ACTIVE, pi[i], pop.m[i] / pi[i]));
          }
        }
      }
    }
    return gold;
  }

  static double[] activeInclusion(Population pop, int budget) {
    double[] size = new double[pop.m.length];
    for (int i = 0; i < size.length; i++) {
      size[i] = ActiveInclusion.size(pop.m[i], pop.q[i]);
    }
    return ActiveInclusion.of(size, budget, FLOOR_SHARE * budget / size.length);
  }

  private static int[] allUnits(Population pop) {
    int[] all = new int[pop.m.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** A simple random sample of {@code take} of {@code members} (partial Fisher–Yates). */
  private static void draw(Population pop, int[] members, int take, String stratum, List<Reviewed> gold,
      SplittableRandom rng) {
    int[] a = members.clone();
    int k = Math.min(take, a.length);
    for (int j = 0; j < k; j++) {
      int r = j + rng.nextInt(a.length - j);
      int t = a[j];
      a[j] = a[r];
      a[r] = t;
      gold.add(new Reviewed("u" + a[j], pop.y[a[j]], stratum, k / (double) a.length, pop.m[a[j]]));
    }
  }

  /** Runs {@code reps} reviews of each design and every estimator of {@link #ESTIMATORS}, gold exact. */
  static Map<Design, Map<CorrectedEstimator, Cell>> run(Population pop, int reps, int budget, long seed) {
    return run(pop, reps, budget, seed, List.of(SimulatedPanel.EXACT)).get(SimulatedPanel.EXACT);
  }

  /**
   * Runs {@code reps} reviews of each design; each review is answered by every panel of {@code panels}
   * (the same reviewed units: the arms are paired) and estimated by every estimator of {@link #ESTIMATORS}.
   */
  static Map<SimulatedPanel, Map<Design, Map<CorrectedEstimator, Cell>>> run(Population pop, int reps, int budget,
      long seed, List<SimulatedPanel> panels) {
    return run(pop, reps, budget, seed, panels, List.of(Design.values()));
  }

  /** {@link #run(Population, int, int, long, List)} for some designs only. */
  static Map<SimulatedPanel, Map<Design, Map<CorrectedEstimator, Cell>>> run(Population pop, int reps, int budget,
      long seed, List<SimulatedPanel> panels, List<Design> designs) {
    SplittableRandom rng = new SplittableRandom(seed);
    // the raters draw from their own stream, so the reviews (and the exact arm) do not depend on the panels
    SplittableRandom raters = new SplittableRandom(seed + 1);
    CalibrationOptions options = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    Map<SimulatedPanel, Map<Design, Map<CorrectedEstimator, Cell>>> out = new LinkedHashMap<>();
    for (SimulatedPanel panel : panels) {
      Map<Design, Map<CorrectedEstimator, Cell>> byDesign = new EnumMap<>(Design.class);
      for (Design d : designs) {
        Map<CorrectedEstimator, Cell> cells = new EnumMap<>(CorrectedEstimator.class);
        ESTIMATORS.forEach(e -> cells.put(e, new Cell()));
        byDesign.put(d, cells);
      }
      out.put(panel, byDesign);
    }
    SplittableRandom populations = new SplittableRandom(seed + 2);
    for (int r = 0; r < reps; r++) {
      Population here = FRESH ? new Population(pop.prevalence, populations.nextLong(), pop.llm) : pop;
      for (Design d : designs) {
        List<Reviewed> reviewed = review(here, d, budget, rng);
        for (SimulatedPanel panel : panels) {
          List<GoldUnit> gold = panel.gold(reviewed, raters);
          TwoPhaseSample s = TwoPhaseSample.of(here.census, here.call, here.q, gold);
          estimate(here, s, gold.size(), out.get(panel).get(d), options);
          if (FLOOR_ARMS) {
            floorArms(here, s, gold.size(), panel.name(), d, options);
          }
          if (d == Design.ACTIVE) {
            gammaArms(here, s, panel.name());
            if (DIAGNOSE) {
              linearisedArm(here, s, panel.name());
            }
            if (LAMBDA) {
              lambdaArms(here, s, panel.name());
            }
            if (DIAGNOSE && panel == SimulatedPanel.EXACT) {
              DIAGNOSIS.add(here, s, activeInclusion(here, budget));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Active AIPW after an active review with a gamma interval instead of the floored Korn–Graubard (issue 15,
   * docs/calibration.md "A gamma interval for rare unseen events"): V̂ the linearised phase 1, the jackknife
   * phase 2 and the gold's part — without the model-anticipated floor — and one more miss at weight w: the
   * mean or the largest c_i = m·d1/(π2·M̂) of the reviewed units at the design's floor π2 (π2 &lt; 1.5·min π2),
   * or the f-weighted mean Σ f c/π2 / Σ f/π2 over the reviewed LLM-negatives (where a miss is expected).
   * Keyed "gold / variant" in {@link #GAMMA}; printed by {@link #main}.
   */
  static void gammaArms(Population pop, TwoPhaseSample s, String gold) {
    Corrected est = Calibration.estimateOnly(s, CorrectedEstimator.ACTIVE_AIPW,
        CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD));
    if (!(est instanceof Corrected.Estimated e)) {
      return;
    }
    double jack = e.details().get("variance_phase2_jackknife");
    double floored = Math.max(jack, e.details().get("variance_phase2_model"));
    double v = Math.max(0, e.se() * e.se() - floored + jack);
    double total = 0;
    double minPi = 1;
    for (int i : s.goldIndex) {
      total += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
      minPi = Math.min(minPi, s.pi2[i]);
    }
    double sumFloor = 0;
    double maxFloor = 0;
    int nFloor = 0;
    double fc = 0;
    double fw = 0;
    for (int i : s.goldIndex) {
      double c = s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i] / total;
      if (s.pi2[i] < 1.5 * minPi) {
        sumFloor += c;
        maxFloor = Math.max(maxFloor, c);
        nFloor++;
      }
      if (s.llm[i] == 0) {
        fc += s.prob[i] * c / s.pi2[i];
        fw += s.prob[i] / s.pi2[i];
      }
    }
    double p = Math.max(0, Math.min(1, e.estimate()));
    Map<String, Double> weights = new LinkedHashMap<>();
    weights.put("floor-π2 mean", nFloor > 0 ? sumFloor / nFloor : 0);
    weights.put("floor-π2 max", maxFloor);
    weights.put("f-weighted LLM-negative", fw > 0 ? fc / fw : 0);
    weights.forEach((name, w) -> {
      Interval ci = dev.plumb.calibration.stats.GammaInterval.of(p, v, w, 0.95);
      Cell c = GAMMA.computeIfAbsent(gold + " / active-aipw gamma (" + name + ")", k -> new Cell());
      c.reps++;
      c.intervals++;
      c.covered += ci.contains(pop.target) ? 1 : 0;
      c.width += ci.width();
      c.estimated++;
      double rel = e.estimate() / pop.target;
      c.sum += rel;
      c.sumSq += rel * rel;
      c.sumVar += v / (pop.target * pop.target);
    });
  }

  /**
   * Active AIPW after an active review with phase-2 variance max(linearised, model) instead of
   * max(jackknife, model): the delete-one jackknife re-tunes λ in each replicate, and a replicate that drops
   * the unit λ's weighted ratio rests on can move λ off its clip and the estimate by half its value (the
   * spikes {@link Diagnosis} shows); the linearised Poisson variance holds λ at its fitted value. Same
   * Korn–Graubard interval, same gold part (V − V1 − max(jackknife, model)). Keyed "gold / active-aipw,
   * V2 = max(linearised, model)" in {@link #GAMMA}. A second arm keeps the jackknife and sizes the floor at
   * the fitted λ instead of λ = 1: Σ_G (1 − π2)/π2² c² [f(1 − f) + (1 − λ)² f²], the anticipated variance
   * of y − λf (the floor's f(1 − f) is its least value, at λ = 1; at 0.15% λ̂ strays from 1). Both
   * measured, neither what plumb computes.
   */
  static void linearisedArm(Population pop, TwoPhaseSample s, String gold) {
    CalibrationOptions options = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    Corrected est = Calibration.estimateOnly(s, CorrectedEstimator.ACTIVE_AIPW, options);
    if (!(est instanceof Corrected.Estimated e)) {
      return;
    }
    double v1 = e.details().get("variance_phase1");
    double model = e.details().get("variance_phase2_model");
    double floored = Math.max(e.details().get("variance_phase2_jackknife"), model);
    double vGold = Math.max(0, e.se() * e.se() - Math.max(0, v1) - floored);
    double v2 = Math.max(e.details().get("variance_phase2_linearised"), model);
    double total = 0;
    for (int i = 0; i < s.phase1.size(); i++) {
      total += s.phase1.exposure(i) * s.phase1.designWeight(i);
    }
    // the floor at the fitted λ: E[(y − λf)²] = f(1 − f) + (1 − λ)² f² when y ~ Bernoulli(f)
    double lambda = e.details().get("lambda");
    double atLambda = model;
    for (int i : s.goldIndex) {
      double c = s.phase1.exposure(i) * s.phase1.designWeight(i) / total;
      atLambda += (1 - s.pi2[i]) / (s.pi2[i] * s.pi2[i]) * c * c * (1 - lambda) * (1 - lambda) * s.prob[i] * s.prob[i];
    }
    Estimators estimators = new Estimators(s, null, options);
    tally(pop, estimators.estimated(CorrectedEstimator.ACTIVE_AIPW, e.estimate(), v1, v2, vGold, total, Map.of(), ""),
        gold + " / active-aipw, V2 = max(linearised, model)");
    tally(pop, estimators.estimated(CorrectedEstimator.ACTIVE_AIPW, e.estimate(), v1,
        Math.max(e.details().get("variance_phase2_jackknife"), atLambda), vGold, total, Map.of(), ""),
        gold + " / active-aipw, V2 = max(jackknife, model at λ)");
  }

  /**
   * Active AIPW after an active review recomputed on the same replicate with other choices of λ (issue 15,
   * docs/calibration.md "λ at 0.15%"), drawing nothing: the estimate [λ Σ_S c f + Σ_G c d2 (y − λf)], V1 and
   * the gold part as plumb computes them (V1 = 0 here: phase 1 is a census), V2 = max(jackknife, model) with
   * plumb's floor (at λ = 1) and the jackknife of the arm's own rule. Arms, keyed "gold / active-aipw, …" in
   * {@link #GAMMA}, their λ in {@link #LAMBDAS}:
   * <ul>
   *   <li>λ̂ re-tuned in the jackknife — what plumb computed before h47 adopted the model-shrunk λ̃ (h45's
   *       "plumb" arm, kept so that its rows stay reproducible);
   *   <li>λ̂ held in the jackknife — the same estimate, λ̂ fixed in every replicate;
   *   <li>λ = 1 — plain AIPW (Zrnic &amp; Candès 2024, ICML, eq. 3 without power tuning); nothing to re-tune;
   *   <li>λ̃ shrunk toward 1 and re-tuned in the jackknife: λ̃ = 1 − (1 − λ̂)·max(0, 1 − v̂/(1 − λ̂)²), v̂ the
   *       linearised Poisson variance of λ̂ = N/D (N = Σ_G κ y f, D = Σ_G κ f², each a Horvitz–Thompson total of
   *       the Poisson review, κ = (1 − π2)(m d1 d2)²): v̂ = Σ_G (1 − π2) [κ f (y − λ̂ f)/D]² (Särndal, Swensson
   *       &amp; Wretman 1992, ch. 5). The factor is the positive-part James–Stein form (James &amp; Stein 1961;
   *       Baranchik 1964) for one coordinate, where Stein's dominance does not hold: a rule that keeps the
   *       departure 1 − λ̂ only in proportion to how far beyond one SE it lies. v̂ is 0 when λ̂ = 0 (no
   *       reviewed positive with π2 &lt; 1: every residual y − λ̂f is then 0 where κ &gt; 0), so λ̂ = 0 is kept;
   *   <li>λ̃ shrunk the same way with v̂ the variance y ~ Bernoulli(f) anticipates, as plumb's floor does
   *       (Isaki &amp; Fuller 1982): v̂ = Σ_G κ² f² f(1 − f)/D², which does not vanish at λ̂ = 0 — what plumb
   *       computes since h47 (HybridEstimators.activeAipw); the arm checks that it reproduces plumb's estimate.
   * </ul>
   */
  static void lambdaArms(Population pop, TwoPhaseSample s, String gold) {
    CalibrationOptions options = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    Corrected est = Calibration.estimateOnly(s, CorrectedEstimator.ACTIVE_AIPW, options);
    if (!(est instanceof Corrected.Estimated e)) {
      return;
    }
    Estimators estimators = new Estimators(s, null, options);
    double m = estimators.phase1Exposure();
    double llmTotal = estimators.phase1Total(s.prob);
    double[] d2 = estimators.fullPhase2Weights();
    double v1 = e.details().get("variance_phase1");
    double model = e.details().get("variance_phase2_model");
    double vGold = Math.max(0, e.se() * e.se() - Math.max(0, v1)
        - Math.max(e.details().get("variance_phase2_jackknife"), model));
    double fitted = aipwLambda(s, d2);
    Map<String, Jackknife.Statistic> rules = new LinkedHashMap<>();
    rules.put("λ̂ re-tuned in the jackknife (before h47)", w -> aipwLambda(s, w));
    rules.put("λ̂ held in the jackknife", w -> fitted);
    rules.put("λ = 1 (plain AIPW)", w -> 1);
    rules.put("λ̃ shrunk toward 1, re-tuned", w -> shrunkLambda(s, w, false));
    rules.put("λ̃ shrunk by the model variance, re-tuned (plumb)", w -> shrunkLambda(s, w, true));
    rules.forEach((name, rule) -> {
      double lambda = rule.value(d2);
      double p = aipwValue(s, lambda, llmTotal, m, d2);
      double jack = Jackknife.phase2Variance(s, null, w -> aipwValue(s, rule.value(w), llmTotal, m, w));
      String key = gold + " / active-aipw, " + name;
      Corrected alt = estimators.estimated(CorrectedEstimator.ACTIVE_AIPW, p, v1, Math.max(jack, model), vGold, m,
          Map.of(), "");
      tally(pop, alt, key);
      if (name.endsWith("(plumb)") && Math.abs(p - e.estimate()) > 1e-9 * Math.abs(e.estimate())) {
        throw new IllegalStateException("the plumb λ arm gives " + p + ", plumb's active AIPW " + e.estimate());
      }
      if (name.endsWith("(plumb)") || name.endsWith("(before h47)")) {
        // λ̂ = 0 where no reviewed positive has π2 < 1 (κ = 0 for the certainty units): those replications apart
        tally(pop, alt, key + (fitted == 0 ? " [λ̂ = 0]" : " [λ̂ > 0]"));
      }
      double[] l = LAMBDAS.computeIfAbsent(key, k -> new double[3]);
      l[0]++;
      l[1] += lambda;
      l[2] += lambda * lambda;
    });
  }

  /** Mean and sum of squares of each λ arm's λ over the replications: count, Σ λ, Σ λ². */
  static final Map<String, double[]> LAMBDAS = new LinkedHashMap<>();

  /** Active AIPW's λ̂ = Σ κ y f / Σ κ f², clipped to [0, 1], 1 when undefined (HybridEstimators' lambda_fitted). */
  static double aipwLambda(TwoPhaseSample s, double[] d2) {
    double[] nd = lambdaRatio(s, d2);
    return nd[1] > 1e-300 ? Math.max(0, Math.min(1, nd[0] / nd[1])) : 1;
  }

  /**
   * λ̃ = 1 − (1 − λ̂)·max(0, 1 − v̂/(1 − λ̂)²), v̂ the linearised Poisson variance of λ̂ or, if {@code model},
   * the variance y ~ Bernoulli(f) anticipates ({@link #lambdaArms}).
   */
  static double shrunkLambda(TwoPhaseSample s, double[] d2, boolean model) {
    double[] nd = lambdaRatio(s, d2);
    if (!(nd[1] > 1e-300)) {
      return 1;
    }
    double lambda = Math.max(0, Math.min(1, nd[0] / nd[1]));
    double gap = 1 - lambda;
    if (gap <= 0) {
      return 1;
    }
    double v = 0;
    for (int i : s.goldIndex) {
      if (d2[i] > 0) {
        double w = s.phase1.exposure(i) * s.phase1.designWeight(i) * d2[i];
        double kappa = (1 - s.pi2[i]) * w * w;
        double f = s.prob[i];
        if (model) {
          v += kappa * kappa * f * f * f * (1 - f) / (nd[1] * nd[1]);
        } else {
          double z = kappa * f * (s.y[i] - lambda * f) / nd[1];
          v += (1 - s.pi2[i]) * z * z;
        }
      }
    }
    return 1 - gap * Math.max(0, 1 - v / (gap * gap));
  }

  /** {Σ_G κ y f, Σ_G κ f²}, κ = (1 − π2)(m d1 d2)², over the units with d2 &gt; 0. */
  private static double[] lambdaRatio(TwoPhaseSample s, double[] d2) {
    double num = 0;
    double den = 0;
    for (int i : s.goldIndex) {
      if (d2[i] > 0) {
        double w = s.phase1.exposure(i) * s.phase1.designWeight(i) * d2[i];
        double kappa = (1 - s.pi2[i]) * w * w;
        num += kappa * s.y[i] * s.prob[i];
        den += kappa * s.prob[i] * s.prob[i];
      }
    }
    return new double[] {num, den};
  }

  /** [λ Σ_S d1 m f + Σ_G d1 m d2 (y − λf)] / M (as HybridEstimators). */
  private static double aipwValue(TwoPhaseSample s, double lambda, double llmTotal, double m, double[] d2) {
    double rect = 0;
    for (int i : s.goldIndex) {
      if (d2[i] > 0) {
        rect += s.phase1.exposure(i) * s.phase1.designWeight(i) * d2[i] * (s.y[i] - lambda * s.prob[i]);
      }
    }
    return (lambda * llmTotal + rect) / m;
  }

  /** Tallies an alternative's interval (a one-sided bound counts as its interval) and, if two-sided, its moments. */
  private static void tally(Population pop, Corrected alt, String key) {
    if (alt instanceof Corrected.Estimated || alt instanceof Corrected.UpperBound) {
      tallyInto(pop, alt, GAMMA.computeIfAbsent(key, k -> new Cell()));
    }
  }

  /** {@link #tally} into {@code c}. */
  private static void tallyInto(Population pop, Corrected alt, Cell c) {
    Interval ci = alt instanceof Corrected.Estimated x ? x.interval()
        : alt instanceof Corrected.UpperBound u ? u.bound() : null;
    if (ci == null) {
      return;
    }
    c.reps++;
    c.intervals++;
    c.covered += ci.contains(pop.target) ? 1 : 0;
    c.width += ci.width();
    if (!(alt instanceof Corrected.Estimated a)) {
      return;
    }
    c.estimated++;
    double rel = a.estimate() / pop.target;
    c.sum += rel;
    c.sumSq += rel * rel;
    c.sumVar += a.se() * a.se() / (pop.target * pop.target);
  }

  /** The active-AIPW diagnosis of the run in progress ({@link #DIAGNOSE}). */
  static Diagnosis DIAGNOSIS = new Diagnosis();

  /**
   * Active AIPW after the active review with exact gold, taken apart per replication (all figures relative
   * to the replication's target, variances divided by its square). The estimate θ̂ splits into a phase-1
   * part θ̂_S − θ and a phase-2 part θ̂ − θ̂_S, θ̂_S the estimate with y known on all of S (every unit
   * reviewed: λ Σ_S c f + Σ_S c (y − λf) = Σ_S c y, c = m d1/M). Beside the estimator's own V1, jackknife
   * V2, model V2 (the floor) and their max, the population-level quantities the simulation alone knows:
   * V_des = Σ_S (1 − π2)/π2 c² (y − λf)², the phase-2 part's variance given the population at the
   * replication's λ, and V_ant = Σ_S (1 − π2)/π2 c² f(1 − f), what the floor estimates (equal to V_des
   * in expectation over populations when f is calibrated and λ = 1). Each is split by unit group:
   * LLM-positives, LLM-negatives at the design's floor π2 (π2 &lt; 1.5·min π2), other LLM-negatives; and
   * Σ f against Σ y in each group checks the calibration.
   */
  static final class Diagnosis {
    static final String[] GROUPS = {"LLM-positive", "LLM-negative at floor π2", "LLM-negative above floor"};
    int reps;
    int caught;
    final double[] sum = new double[10];
    final double[] sumSq = new double[10];
    static final String[] NAMES = {"error", "phase-1 part", "phase-2 part", "λ", "V1", "V2 jackknife",
        "V2 linearised", "V2 model (floor)", "V2 max", "V_des"};
    final double[] vDes = new double[3];
    final double[] vAnt = new double[3];
    final double[] vModel = new double[3];
    final double[] sumF = new double[3];
    final double[] sumY = new double[3];
    /** Per replication: |error|, the SE √(V1 + max), the jackknife and whether it exceeds the model. */
    final List<double[]> perRep = new ArrayList<>();
    /** Mean jackknife, model and their max over the replications with and without a reviewed hidden miss. */
    final double[][] byCatch = new double[2][4];

    void add(Population pop, TwoPhaseSample s, double[] pi) {
      Corrected est = Calibration.estimateOnly(s, CorrectedEstimator.ACTIVE_AIPW,
          CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD));
      if (!(est instanceof Corrected.Estimated e)) {
        return;
      }
      double lambda = e.details().get("lambda");
      double t = pop.target;
      double total = 0;
      double minPi = 1;
      for (int i = 0; i < pi.length; i++) {
        total += pop.m[i];
        minPi = Math.min(minPi, pi[i]);
      }
      double full = 0;
      double[] des = new double[3];
      for (int i = 0; i < pi.length; i++) {
        double c = pop.m[i] / total;
        double f = pop.q[i];
        double y = pop.y[i] ? 1 : 0;
        full += c * (lambda * f + (y - lambda * f));
        int g = group(pop.call[i], pi[i], minPi);
        double k = (1 - pi[i]) / pi[i] * c * c / (t * t);
        des[g] += k * (y - lambda * f) * (y - lambda * f);
        vAnt[g] += k * f * (1 - f);
        sumF[g] += f;
        sumY[g] += y;
      }
      boolean hit = false;
      for (int i : s.goldIndex) {
        double c = pop.m[i] / total;
        double f = s.prob[i];
        int g = group(s.llm[i], s.pi2[i], minPi);
        vModel[g] += (1 - s.pi2[i]) / (s.pi2[i] * s.pi2[i]) * c * c * f * (1 - f) / (t * t);
        hit |= g == 1 && s.y[i] == 1;
      }
      double jack = e.details().get("variance_phase2_jackknife") / (t * t);
      double model = e.details().get("variance_phase2_model") / (t * t);
      double[] x = {(e.estimate() - t) / t, (full - t) / t, (e.estimate() - full) / t, lambda,
          e.details().get("variance_phase1") / (t * t), jack, e.details().get("variance_phase2_linearised") / (t * t),
          model, Math.max(jack, model), des[0] + des[1] + des[2]};
      for (int j = 0; j < x.length; j++) {
        sum[j] += x[j];
        sumSq[j] += x[j] * x[j];
      }
      for (int g = 0; g < 3; g++) {
        vDes[g] += des[g];
      }
      double[] row = byCatch[hit ? 1 : 0];
      row[0]++;
      row[1] += jack;
      row[2] += model;
      row[3] += Math.max(jack, model);
      caught += hit ? 1 : 0;
      reps++;
      perRep.add(new double[] {Math.abs(x[0]), Math.sqrt(Math.max(0, x[4]) + x[8]), jack, jack > model ? 1 : 0});
    }

    /** Mean over the replications of the floor Σ_G (1 − π2)/π2² c² f(1 − f), relative to target². */
    double meanModel() {
      return (vModel[0] + vModel[1] + vModel[2]) / reps;
    }

    /** Mean over the replications of V_ant = Σ_S (1 − π2)/π2 c² f(1 − f), relative to target². */
    double meanAnticipated() {
      return (vAnt[0] + vAnt[1] + vAnt[2]) / reps;
    }

    /** Σ f and Σ y over the LLM-negatives of S, summed over the replications. */
    double[] negativesFy() {
      return new double[] {sumF[1] + sumF[2], sumY[1] + sumY[2]};
    }

    private static int group(double call, double pi2, double minPi) {
      return call == 1 ? 0 : pi2 < 1.5 * minPi ? 1 : 2;
    }

    void print(String prevalence) {
      if (reps == 0) {
        return;
      }
      String p = prevalence;
      double[] mean = new double[sum.length];
      for (int j = 0; j < sum.length; j++) {
        mean[j] = sum[j] / reps;
      }
      System.out.printf(Locale.ROOT, "%-10s diagnosis, active AIPW after the active review, truth as gold, %d replications "
          + "(relative to each target; variances as their root mean)%n", p, reps);
      for (int j = 0; j < 4; j++) {
        System.out.printf(Locale.ROOT, "%-10s   %-18s mean %+.4f  SD %.4f%n", p, NAMES[j], mean[j],
            Math.sqrt(Math.max(0, sumSq[j] / reps - mean[j] * mean[j])));
      }
      for (int j = 4; j < sum.length; j++) {
        System.out.printf(Locale.ROOT, "%-10s   %-18s √mean %.4f%n", p, NAMES[j], Math.sqrt(Math.max(0, mean[j])));
      }
      System.out.printf(Locale.ROOT, "%-10s   %-26s %10s %10s %10s %9s %9s%n", p, "group", "√V_des", "√V_ant",
          "√V2 model", "Σ f", "Σ y");
      for (int g = 0; g < 3; g++) {
        System.out.printf(Locale.ROOT, "%-10s   %-26s %10.4f %10.4f %10.4f %9.2f %9.2f%n", p, GROUPS[g],
            Math.sqrt(vDes[g] / reps), Math.sqrt(vAnt[g] / reps), Math.sqrt(vModel[g] / reps), sumF[g] / reps,
            sumY[g] / reps);
      }
      double[] absErr = perRep.stream().mapToDouble(r -> r[0]).sorted().toArray();
      double[] se = perRep.stream().mapToDouble(r -> r[1]).sorted().toArray();
      double jackTotal = perRep.stream().mapToDouble(r -> r[2]).sum();
      double jackMax = perRep.stream().mapToDouble(r -> r[2]).max().orElse(0);
      double binding = perRep.stream().mapToDouble(r -> r[3]).sum();
      System.out.printf(Locale.ROOT, "%-10s   median |error| %.4f (a normal error with this SD: %.4f); median SE %.4f; "
          + "the jackknife exceeds the model in %.0f reps; the largest single jackknife is %.0f%% of their sum%n", p,
          absErr[absErr.length / 2], 0.6745 * Math.sqrt(Math.max(0, sumSq[0] / reps - mean[0] * mean[0])),
          se[se.length / 2], binding, jackTotal > 0 ? 100 * jackMax / jackTotal : 0);
      for (int h = 0; h < 2; h++) {
        double[] row = byCatch[h];
        if (row[0] > 0) {
          System.out.printf(Locale.ROOT, "%-10s   %-38s %4.0f reps: √mean jackknife %.4f, model %.4f, max %.4f%n", p,
              h == 1 ? "a hidden miss reviewed at floor π2" : "no hidden miss reviewed at floor π2", row[0],
              Math.sqrt(row[1] / row[0]), Math.sqrt(row[2] / row[0]), Math.sqrt(row[3] / row[0]));
        }
      }
    }
  }

  /**
   * The recalibrated-floor arms ({@link RecalibratedFloor}) of PPI++, stratified PPI and active AIPW on one review,
   * tallied in {@link #FLOORS} under "gold / design / estimator, arm" (with the estimate the report would show: the
   * human-only fallback where the estimator is not estimable, as {@link #estimate} does), and the fit in
   * {@link #FITS}.
   */
  static void floorArms(Population pop, TwoPhaseSample s, int labels, String gold, Design d, CalibrationOptions options) {
    Map<String, RecalibratedFloor.Fit> fit = new java.util.HashMap<>();
    for (RecalibratedFloor.Arm arm : RecalibratedFloor.Arm.values()) {
      if (fit.containsKey(arm.fit())) {
        continue;
      }
      RecalibratedFloor.Fit f = RecalibratedFloor.recalibrated(s, arm.exposure, arm.calls);
      fit.put(arm.fit(), f);
      Fits fits = FITS.computeIfAbsent(gold + " / " + d.label + ", " + arm.fit(), k -> new Fits());
      fits.reviews++;
      if (f != null) {
        fits.a.add(f.a());
        fits.b.add(f.b());
        if (arm.calls && RecalibratedFloor.calibrationZ(s) < RecalibratedFloor.SWITCH_Z) {
          fits.switched++;
        }
      }
    }
    for (CorrectedEstimator e : RecalibratedFloor.FLOORED.stream().sorted().toList()) {
      Corrected est = Calibration.estimateOnly(s, e, options);
      if (est instanceof Corrected.NotEstimable) {
        est = Calibration.estimateOnly(s, CorrectedEstimator.HUMAN_ONLY, options);
      }
      Corrected stated = RecalibratedFloor.with(s, est, null, RecalibratedFloor.Arm.STATED, options);
      for (RecalibratedFloor.Arm arm : RecalibratedFloor.Arm.values()) {
        RecalibratedFloor.Fit f = fit.get(arm.fit());
        Corrected alt = RecalibratedFloor.with(s, est, f == null ? null : f.p(), arm, options);
        String key = gold + " / " + d.label + " / " + e.label() + ", " + arm.label;
        Cell c = FLOORS.computeIfAbsent(key, k -> new Cell());
        c.labels += labels;
        tallyInto(pop, alt, c);
        if (e == CorrectedEstimator.ACTIVE_AIPW && arm != RecalibratedFloor.Arm.STATED && !arm.unitwise
            && arm != RecalibratedFloor.Arm.SWITCH
            && alt instanceof Corrected.Estimated a && stated instanceof Corrected.Estimated b && a.se() > b.se()) {
          // the recalibrated floor raised active AIPW's SE
          FITS.get(gold + " / " + d.label + ", " + arm.fit()).raised++;
        }
      }
    }
  }

  /** The arms of {@link #floorArms}, for the run in progress. */
  static final Map<String, Cell> FLOORS = new LinkedHashMap<>();
  /** Per "gold / design, fit": the Platt fits of {@link #floorArms}. */
  static final Map<String, Fits> FITS = new LinkedHashMap<>();

  /**
   * Reviews, the fitted a and b where the fit exists, and the reviews where the max-of-totals floor raised active
   * AIPW's SE.
   */
  static final class Fits {
    int reviews;
    final List<Double> a = new ArrayList<>();
    final List<Double> b = new ArrayList<>();
    int raised;
    /** Reviews with a fit where h51's switch fires (z < −3 on the calls; counted for the calls fit only). */
    int switched;

    /** Mean, then the 5%, 25%, 50%, 75% and 95% order statistics (the h50 record of the fit's spread). */
    static String spread(List<Double> v) {
      double[] x = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double mean = java.util.Arrays.stream(x).average().orElse(Double.NaN);
      StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.3f (", mean));
      double[] q = {0.05, 0.25, 0.5, 0.75, 0.95};
      for (int j = 0; j < q.length; j++) {
        double at = x[(int) Math.min(x.length - 1, Math.floor(q[j] * x.length))];
        out.append(j > 0 ? " " : "").append(String.format(Locale.ROOT, "%.3f", at));
      }
      return out.append(")").toString();
    }
  }

  /** The gamma arms of {@link #gammaArms}, for the run in progress. */
  static final Map<String, Cell> GAMMA = new LinkedHashMap<>();

  private static void estimate(Population pop, TwoPhaseSample s, int labels, Map<CorrectedEstimator, Cell> cells,
      CalibrationOptions options) {
    for (CorrectedEstimator e : ESTIMATORS) {
      Cell c = cells.get(e);
      c.reps++;
      c.labels += labels;
      Corrected est = Calibration.estimateOnly(s, e, options);
      // the upper bound stands in where an estimator has one (no gold positive), as the report does
      if (e != CorrectedEstimator.HUMAN_ONLY && est instanceof Corrected.NotEstimable) {
        est = Calibration.estimateOnly(s, CorrectedEstimator.HUMAN_ONLY, options);
      }
      Interval ci = est instanceof Corrected.Estimated x ? x.interval()
          : est instanceof Corrected.UpperBound u ? u.bound() : null;
      if (est instanceof Corrected.Estimated x) {
        c.estimated++;
        double rel = x.estimate() / pop.target;
        c.sum += rel;
        c.sumSq += rel * rel;
        c.sumVar += x.se() * x.se() / (pop.target * pop.target);
      }
      if (ci != null) {
        c.intervals++;
        c.covered += ci.contains(pop.target) ? 1 : 0;
        c.width += ci.width();
      }
    }
  }

  /**
   * Human labels a simple random review needs for the same mean width as {@code cell}, relative to
   * the labels {@code cell} used: n_srs (W_srs/W)²/n, widths scaling as 1/√n.
   */
  static double labelsSaved(Cell srsHumanOnly, Cell cell) {
    double ratio = srsHumanOnly.meanWidth() / cell.meanWidth();
    return srsHumanOnly.meanLabels() * ratio * ratio / cell.meanLabels();
  }

  /** The panels named in {@code -Dplumb.review.raters} (default: truth, symmetric 5%, asymmetric 2%/15%). */
  static List<SimulatedPanel> panels(String names) {
    List<SimulatedPanel> all = new ArrayList<>(List.of(SimulatedPanel.EXACT));
    all.addAll(SimulatedPanel.noisy());
    if (names == null || names.isBlank()) {
      return all;
    }
    List<SimulatedPanel> out = new ArrayList<>();
    for (String n : names.split(",")) {
      out.add(all.stream().filter(p -> p.name().startsWith(n.trim())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown rater panel " + n + ": truth, symmetric, asymmetric")));
    }
    return out;
  }

  /**
   * The benchmark table (bench/review-designs.sh): {@code args} = replications, budget, and
   * prevalences (default 200, 1000, and 0.001 0.003 0.01 0.03); {@code -Dplumb.review.llm}
   * (calibrated, overconfident, score) and {@code -Dplumb.review.raters} (comma-separated panel names)
   * choose the LLM and the gold.
   */
  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int budget = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    double[] prevalences = args.length > 2
        ? java.util.Arrays.stream(args, 2, args.length).mapToDouble(Double::parseDouble).toArray()
        : new double[] {0.001, 0.003, 0.01, 0.03};
    Llm llm = Llm.parse(System.getProperty("plumb.review.llm", "calibrated"));
    List<SimulatedPanel> panels = panels(System.getProperty("plumb.review.raters"));
    System.out.printf(Locale.ROOT, "%d units (phase-1 census), review budget %d, %d replications, floor %.1f·n/N, "
        + "LLM %s, %s%n", UNITS, budget, reps, FLOOR_SHARE, llm.label,
        FRESH ? "a fresh population per replication (prevalence column: the first one's)" : "one population");
    System.out.printf(Locale.ROOT, "%-10s %-18s %-11s %-15s %8s %10s %8s %12s%n", "prevalence", "gold", "design",
        "estimator", "coverage", "mean width", "labels", "labels saved");
    // one JVM per prevalence (bench/review-designs.sh) passes the seed the sequential run would reach
    long seed = Long.getLong("plumb.review.seed", 15);
    for (double p : prevalences) {
      Population pop = new Population(p, seed++, llm);
      Map<SimulatedPanel, Map<Design, Map<CorrectedEstimator, Cell>>> result = run(pop, reps, budget, seed++, panels);
      // savings against the simple random review with human-only and the same gold
      result.forEach((panel, byDesign) -> {
        Cell ref = byDesign.get(Design.SRS).get(CorrectedEstimator.HUMAN_ONLY);
        byDesign.forEach((d, cells) -> cells.forEach((e, c) -> System.out.printf(Locale.ROOT,
            "%-10s %-18s %-11s %-15s %8.3f %10.5f %8.0f %11.1f×  %s%n", String.format(Locale.ROOT, "%.4f", pop.target),
            panel.name(), d.label, e.label(), c.coverage(), c.meanWidth(), c.meanLabels(), labelsSaved(ref, c),
            c.moments())));
      });
      FLOORS.forEach((name, c) -> {
        String panel = name.substring(0, name.indexOf(" / "));
        Cell ref = result.entrySet().stream().filter(x -> x.getKey().name().equals(panel)).findFirst().orElseThrow()
            .getValue().get(Design.SRS).get(CorrectedEstimator.HUMAN_ONLY);
        System.out.printf(Locale.ROOT, "%-10s %-70s %8.3f %10.5f %8.0f %11.1f×  %s%n",
            String.format(Locale.ROOT, "%.4f", pop.target), name, c.coverage(), c.meanWidth(), c.meanLabels(),
            labelsSaved(ref, c), c.moments());
      });
      FLOORS.clear();
      FITS.forEach((name, f) -> System.out.printf(Locale.ROOT, "%-10s %-45s Platt fit in %d of %d reviews, mean a %s "
          + "b %s (5/25/50/75/95%%); the recalibrated floor raised active AIPW's SE in %d%s%n", String.format(Locale.ROOT,
          "%.4f", pop.target), name, f.a.size(), f.reviews, f.a.isEmpty() ? "NaN" : Fits.spread(f.a),
          f.b.isEmpty() ? "NaN" : Fits.spread(f.b), f.raised,
          name.endsWith("calls") ? "; h51's switch (z < −3) fired in " + f.switched : ""));
      FITS.clear();
      GAMMA.forEach((name, c) -> System.out.printf(Locale.ROOT, "%-10s %-45s %8.3f %10.5f  %s%n",
          String.format(Locale.ROOT, "%.4f", pop.target), name, c.coverage(), c.meanWidth(), c.moments()));
      GAMMA.clear();
      LAMBDAS.forEach((name, l) -> {
        double mean = l[1] / l[0];
        System.out.printf(Locale.ROOT, "%-10s %-45s λ mean %.3f SD %.3f%n", String.format(Locale.ROOT, "%.4f",
            pop.target), name, mean, Math.sqrt(Math.max(0, l[2] / l[0] - mean * mean)));
      });
      LAMBDAS.clear();
      DIAGNOSIS.print(String.format(Locale.ROOT, "%.4f", pop.target));
      DIAGNOSIS = new Diagnosis();
      System.out.flush();
    }
  }
}
