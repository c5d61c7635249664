package dev.plumb.calibration.gold;

import dev.plumb.calibration.corrected.AnticipatedHumanOnly;
import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.GammaWeights;
import dev.plumb.calibration.corrected.GoldUnit;
import dev.plumb.calibration.corrected.SkewCorrection;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.queue.WeightClassSplit;
import dev.plumb.calibration.stats.GammaInterval;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.calibration.synthetic.SimulatedPopulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The whole chain, seeded, against the TRUE prevalence (docs/calibration.md, "Gold error: the
 * simulation"): a fixed population with heavy-tailed exposure, a classifier whose scores are not
 * probabilities, priority phase 1, a review stratified by the LLM call, three raters per item plus
 * honeypots answered as noisily as the rest, and the gold made by majority vote (the old way) or by
 * the rater-error model. The target is Σ_U m y / Σ_U m over the population, not what the gold
 * process measures.
 *
 * <p>Run it as {@code bench/gold-coverage.sh [REPS]}; {@link GoldCoverageTest} runs a small version.
 */
public final class GoldCoverageSimulation {

  /** A rater panel: every rater has this sensitivity and specificity. */
  public record Scenario(String name, double prevalence, double sensitivity, double specificity) {}

  /** The sizes of the chain. */
  public record Design(int population, int phase1, int reviewPositive, int reviewNegative, int raters, int perItem,
      int honeypotsPositive, int honeypotsNegative, int errorModelReplicates) {
    /** 40 000 units, 2 000 in phase 1, review 300 + 600, six raters three per item, 20 + 40 honeypots, 50 replicates. */
    public static Design standard() {
      return new Design(40_000, 2_000, 300, 600, 6, 3, 20, 40, 50);
    }
  }

  /** One gold method × estimator × interval: what a row of the table shows. */
  public static final class Tally {
    int runs;
    int covered;
    int estimated;
    double sumEstimate;
    double sumSquares;
    double sumWidth;
    /** Σ SE, Σ SE² and Σ estimate·SE over the estimated replicates: {@link #seCorrelation}. */
    double sumSe;
    double sumSeEstimate;
    /** Replicates paired with the truth-as-gold arm: Σ and Σ² of (estimate − its estimate)/target. */
    int paired;
    /** Σ SE² over the estimated replicates, and the misses below and above the target. */
    double sumVariance;
    /** Each variance component the estimator reports (details "variance_*"), one value per estimate. */
    final Map<String, List<Double>> componentValues = new TreeMap<>();
    int missLow;
    int missHigh;
    /** Replicates whose interval is labelled gamma: where kg-gamma's switch fired. */
    int gammaLabelled;
    double sumDiff;
    double sumDiffSquares;
    /** Every estimate, for {@link #trimmedBias}. */
    final List<Double> estimates = new ArrayList<>();

    void add(Interval ci, double estimate, double se, double target) {
      runs++;
      covered += ci.contains(target) ? 1 : 0;
      missLow += ci.upper() < target ? 1 : 0;
      missHigh += ci.lower() > target ? 1 : 0;
      gammaLabelled += GammaInterval.LABEL.equals(ci.method()) ? 1 : 0;
      sumVariance += se * se;
      sumSe += se;
      sumSeEstimate += se * estimate;
      estimated++;
      sumEstimate += estimate;
      sumSquares += estimate * estimate;
      sumWidth += ci.upper() - ci.lower();
      estimates.add(estimate);
    }

    void pair(double estimate, double truthGold, double target) {
      double d = (estimate - truthGold) / target;
      paired++;
      sumDiff += d;
      sumDiffSquares += d * d;
    }

    public double coverage() {
      return covered / (double) runs;
    }

    public double relativeBias(double target) {
      return sumEstimate / estimated / target - 1;
    }

    /** The Monte Carlo standard error of {@link #relativeBias}: the estimates' SD / target / √runs. */
    public double biasStandardError(double target) {
      double mean = sumEstimate / estimated;
      return Math.sqrt(Math.max(0, sumSquares / estimated - mean * mean) / estimated) / target;
    }

    /**
     * The relative bias beyond what the same samples give with the truth as gold: mean of (estimate −
     * truth-as-gold estimate)/target over the replicates where both are estimated. Pairing removes the
     * design's own sampling noise, so this is the gold's part of the bias with a much smaller Monte
     * Carlo error ({@link #pairedStandardError()}).
     */
    public double pairedBias() {
      return sumDiff / paired;
    }

    public double pairedStandardError() {
      double mean = pairedBias();
      return Math.sqrt(Math.max(0, sumDiffSquares / paired - mean * mean) / paired);
    }

    /** The root of the mean estimated variance over the estimates' empirical variance: 1 when the SE is right. */
    public double seRatio() {
      double mean = sumEstimate / estimated;
      double empirical = sumSquares / estimated - mean * mean;
      return Math.sqrt(sumVariance / estimated / empirical);
    }

    /**
     * A diagnostic only, never a result: {relative bias, its Monte Carlo SE} over the estimates left when the
     * ⌈1%⌉ farthest from the target (largest |estimate − target|) are removed. At 0.1% the estimates are
     * heavy-tailed (a few replicates whose heavy clean units drew two false flags): this shows how much of a
     * bias those few carry. Trimming the far side is itself biased, so it bounds nothing.
     */
    public double[] trimmedBias(double target) {
      List<Double> kept = new ArrayList<>(estimates);
      kept.sort(java.util.Comparator.comparingDouble(e -> Math.abs(e - target)));
      int drop = (int) Math.ceil(0.01 * kept.size());
      kept = kept.subList(0, kept.size() - drop);
      double mean = kept.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double ss = kept.stream().mapToDouble(e -> (e - mean) * (e - mean)).sum();
      return new double[] {mean / target - 1, Math.sqrt(ss / kept.size() / kept.size()) / target};
    }

    /** corr(P̂, SE) over the estimated replicates: how much the SE moves with the estimate. */
    public double seCorrelation() {
      double me = sumEstimate / estimated;
      double ms = sumSe / estimated;
      double cov = sumSeEstimate / estimated - me * ms;
      return cov / Math.sqrt((sumSquares / estimated - me * me) * (sumVariance / estimated - ms * ms));
    }

    public double meanWidth() {
      return sumWidth / runs;
    }

    public int runs() {
      return runs;
    }
  }

  /** The arms: gold method, then estimator and interval. */
  static final List<String> ARMS = List.of(
      "truth / human-only KG", "majority / human-only KG", "majority / human-only MOVER-Wilson",
      "error-model / human-only KG", "error-model / human-only MOVER-Wilson",
      "error-model / double-sampling KG", "error-model / ppi++ KG", "truth / human-only logit",
      "error-model / human-only logit");
  /**
   * The first version of the error model, when asked for: a prior constant per review stratum, and its
   * posteriors as the gold.
   */
  static final String UNWEIGHTED = "error-model, unweighted prior / human-only KG";
  /**
   * The unbiased gold without its answer-noise term in the variance (before issue 14's noise round), on the
   * same answers: what the noise term changed (beside the default error-model KG arm).
   */
  static final String NO_NOISE = "error-model, no answer-noise term / human-only KG";
  /** The unbiased gold less its bootstrap bias, 2 g_i − mean_b g_i^(b) (Efron &amp; Tibshirani 1993, ch. 10), when asked for. */
  static final String BIAS_CORRECTED = "error-model, bootstrap bias-corrected / human-only KG";
  /** {@code calibrate --interval gamma} with the truth as gold (docs/calibration.md, "A gamma interval for rare unseen events"). */
  static final String GAMMA = "truth / human-only gamma (calibrate --interval gamma)";
  /**
   * {@code calibrate --interval kg-gamma} (Korn–Graubard, the gamma interval where a class reviewed in part saw no
   * violation; docs/calibration.md, "Korn–Graubard, gamma where a class saw nothing"), by the truth and the error
   * model as gold.
   */
  static final String KG_GAMMA = "truth / human-only kg-gamma (calibrate --interval kg-gamma)";
  static final String KG_GAMMA_MODEL = "error-model / human-only kg-gamma (calibrate --interval kg-gamma)";
  /**
   * kg-gamma as it ran before h40, its switch looking at each weight class rather than at the LLM stratum; only
   * with weight classes (-Dplumb.gold.weightclasses), where the two rules differ (docs/calibration.md, "The default
   * interval").
   */
  static final String KG_GAMMA_PER_CLASS = "truth / human-only kg-gamma, switch per weight class (before h40)";
  static final String KG_GAMMA_PER_CLASS_MODEL = "error-model / human-only kg-gamma, switch per weight class (before h40)";
  /**
   * kg-gamma with Hall's skewness-corrected interval in place of Korn–Graubard where it does not switch
   * ({@link SkewCorrection}; docs/calibration.md, "Korn–Graubard at 3%"), by the truth and the error model as gold;
   * tried and not adopted, so only with -Dplumb.gold.shortfall=true.
   */
  static final String HALL = "truth / human-only kg-gamma, Hall where KG (tried)";
  static final String HALL_MODEL = "error-model / human-only kg-gamma, Hall where KG (tried)";
  /**
   * Human-only without the score floor ({@code calibrate --no-score-floor}), by the truth and the error model as gold,
   * on the same estimates as the default arms, which have the guarded floor since h48 (docs/calibration.md, "A guard
   * on the score floor (h48)"). Every replicate's sample carries the units' risk scores, so the option is all that
   * differs. h41's and h42's arms, Hall's, the gamma-rule arms and the shortfall's split start from these, so their
   * numbers are as they measured them.
   */
  static final String NO_FLOOR = "truth / human-only KG, no score floor (--no-score-floor)";
  static final String NO_FLOOR_GAMMA = "truth / human-only kg-gamma, no score floor (--no-score-floor)";
  static final String NO_FLOOR_MODEL = "error-model / human-only KG, no score floor (--no-score-floor)";
  static final String NO_FLOOR_GAMMA_MODEL = "error-model / human-only kg-gamma, no score floor (--no-score-floor)";
  /** The floor without a guard, every class's model flooring (h44's, the default briefly and opt-in after h46). */
  static final String SCORE_FLOOR = "truth / human-only KG, score floor without guard (h44)";
  static final String SCORE_FLOOR_GAMMA = "truth / human-only kg-gamma, score floor without guard (h44)";
  static final String SCORE_FLOOR_MODEL = "error-model / human-only KG, score floor without guard (h44)";
  static final String SCORE_FLOOR_GAMMA_MODEL = "error-model / human-only kg-gamma, score floor without guard (h44)";
  /**
   * The guards on the score floor (h48; docs/calibration.md, "A guard on the score floor (h48)"): G1, a class floors only
   * if its gold holds at least K positives and K negatives; G2, G1 and the score's within-class AUC on the gold at least
   * A. A class that fails keeps its own V2 term. K and A were fixed from {@link #guardDiagnostic} (no coverage) before
   * the coverage run. G1 passed the rule and is the default ({@link CalibrationOptions.FloorGuard#DEFAULT}): the default
   * arms are G1's; G2 has arms of its own.
   */
  static final Map<String, CalibrationOptions.FloorGuard> GUARDS = Map.of(
      "G1", CalibrationOptions.FloorGuard.DEFAULT,
      "G2", new CalibrationOptions.FloorGuard(5, 0.85));
  /**
   * The score floor with guard {@code g} by the gold ("truth", "error-model") and interval: G1's are the default arms,
   * G2's its own ("… score floor + G2 (h48)").
   */
  static String guarded(String gold, String interval, String g) {
    if (g.equals("G1")) {
      return interval.equals("KG") ? gold + " / human-only KG"
          : gold + " / human-only kg-gamma (calibrate --interval kg-gamma)";
    }
    return gold + " / human-only " + interval + ", score floor + " + g + " (h48)";
  }
  /** Per guard, gold and review class: the replicates in which the class's model may floor. */
  final Map<String, Integer> guardPassed = new TreeMap<>();
  /**
   * The unbiased gold less its second-order (delta-method) bias in the estimated rates, g_i − ½ tr(H_i Σ)
   * ({@link SecondOrderGold}), when asked for ({@code -Dplumb.gold.secondorder=true}): a candidate for the 0.1% bias,
   * not adopted (docs/calibration.md, "The bias at 0.1%").
   */
  /**
   * Human-only Korn–Graubard and kg-gamma with V2 = max(V2, V2_ant), the phase-2 variance a Bernoulli(p̂_h) working
   * model per review class anticipates ({@link AnticipatedHumanOnly}; docs/calibration.md, "Korn–Graubard at 3%"),
   * by the truth and the error model as gold; tried, only with -Dplumb.gold.anticipated=true.
   */
  static final String ANTICIPATED = "truth / human-only KG, V2 floored by V2_ant (tried)";
  static final String ANTICIPATED_GAMMA = "truth / human-only kg-gamma, V2 floored by V2_ant (tried)";
  static final String ANTICIPATED_MODEL = "error-model / human-only KG, V2 floored by V2_ant (tried)";
  static final String ANTICIPATED_GAMMA_MODEL = "error-model / human-only kg-gamma, V2 floored by V2_ant (tried)";
  /**
   * The same floor with the score-based working model y_i ~ Bernoulli(q_i), q_i the class's Platt fit on
   * logit(score) ({@link AnticipatedHumanOnly#scored}); tried (h42), only with -Dplumb.gold.scoredfloor=true. Rebuilt
   * from the default (no floor) estimates; the V2 arms repeat {@link #SCORE_FLOOR}'s, the floor as plumb computes it.
   */
  static final String SCORED = "truth / human-only KG, V2 floored by scored V2_ant (tried)";
  static final String SCORED_GAMMA = "truth / human-only kg-gamma, V2 floored by scored V2_ant (tried)";
  static final String SCORED_MODEL = "error-model / human-only KG, V2 floored by scored V2_ant (tried)";
  static final String SCORED_GAMMA_MODEL = "error-model / human-only kg-gamma, V2 floored by scored V2_ant (tried)";
  /** The same model's floor on V1 too, V1 = max(V1, V1_ant) ({@link AnticipatedHumanOnly#flooredBoth}). */
  static final String SCORED_BOTH = "truth / human-only KG, V1 and V2 floored by scored V_ant (tried)";
  static final String SCORED_BOTH_GAMMA = "truth / human-only kg-gamma, V1 and V2 floored by scored V_ant (tried)";
  static final String SCORED_BOTH_MODEL = "error-model / human-only KG, V1 and V2 floored by scored V_ant (tried)";
  static final String SCORED_BOTH_GAMMA_MODEL =
      "error-model / human-only kg-gamma, V1 and V2 floored by scored V_ant (tried)";
  static final String SECOND_ORDER = "error-model, delta-method second-order corrected / human-only KG";
  /**
   * The same, with every rate whose θ̂ ± 2 SD leaves (0, 1) held fixed ({@link SecondOrderGold#state(List,
   * RaterErrorFit, boolean)}).
   */
  static final String SECOND_ORDER_INTERIOR = "error-model, delta-method, rates 2 SD inside (0, 1) / human-only KG";
  /** The error model's posteriors q_i taken as the gold (before the unbiased gold), when asked for. */
  static final String POSTERIOR = "error-model, posterior q / human-only KG";

  private final Scenario scenario;
  private final Design design;
  /**
   * Truth-as-gold replicates by whether the llm_negative review saw a violation ([0]: none seen, [1]: some), and
   * how many of each the Korn–Graubard interval covered: what the plan's unseen-stratum warning predicts
   * (docs/review.md).
   */
  final int[] bySeen = new int[2];
  final int[] coveredBySeen = new int[2];
  /**
   * Truth-as-gold replicates where kg-gamma kept Korn–Graubard (its switch did not fire), and how many of them
   * got an interval other than Korn–Graubard's own (0 when the rule does what it says).
   */
  int kgGammaUnswitched;
  int kgGammaUnswitchedNotKg;
  /** Korn–Graubard against kg-gamma where kg-gamma's switch fired and where not, the truth and the error model as gold. */
  final KgGammaSplit splitTruth = new KgGammaSplit();
  final KgGammaSplit splitModel = new KgGammaSplit();
  /** Korn–Graubard's truth-as-gold estimate split into its phases, and its misses described. */
  final KgShortfall shortfall = new KgShortfall();
  /** The scored floor's truth-as-gold KG arm: what its misses and covers look like (h42). */
  final ScoredMisses scoredMisses = new ScoredMisses();

  /**
   * Per replicate of the scored KG arm, by whether it missed below, covered or missed above: (P̂ − P)/P,
   * (P̂1 − P)/P with P̂1 = Σ_S d1 m y / Σ_S d1 m (the truth on all of S), and √V1, √V1_ant, √V2, √V2_ant (scored),
   * √V2_ant (class rate) and the V2-floored SE, each ÷ P.
   */
  final class ScoredMisses {
    final double[][] sum = new double[3][9];

    void add(DesignSample sample, TwoPhaseSample truth, double[] q, Corrected kg, Corrected floored) {
      if (!(kg instanceof Corrected.Estimated e) || !(floored instanceof Corrected.Estimated f)) {
        return;
      }
      double antScored = AnticipatedHumanOnly.phase2(truth, e.estimate(), q);
      double antClass = AnticipatedHumanOnly.phase2(truth, e.estimate());
      double ant1 = AnticipatedHumanOnly.phase1(truth, e.estimate(), q);
      double num = 0;
      double den = 0;
      for (int j = 0; j < sample.size(); j++) {
        int i = Integer.parseInt(sample.units().get(j).id().substring(1));
        double w = population.m[i] * sample.designWeight(j);
        num += population.y[i] ? w : 0;
        den += w;
      }
      int k = f.interval().upper() < target ? 0 : f.interval().lower() > target ? 2 : 1;
      double[] row = {1, e.estimate() / target - 1, num / den / target - 1,
          Math.sqrt(Math.max(0, e.details().getOrDefault("variance_phase1", 0.0))) / target,
          Math.sqrt(Math.max(0, e.details().getOrDefault("variance_phase2", 0.0))) / target,
          Math.sqrt(antScored) / target, Math.sqrt(antClass) / target, f.se() / target, Math.sqrt(ant1) / target};
      for (int c = 0; c < row.length; c++) {
        sum[k][c] += row[c];
      }
    }

    String lines() {
      StringBuilder b = new StringBuilder();
      String[] name = {"missed below", "covered", "missed above"};
      for (int k = 0; k < 3; k++) {
        double n = sum[k][0];
        if (n == 0) {
          continue;
        }
        b.append(String.format(Locale.ROOT, "  scored floor, truth KG, %s (%.0f): (P̂−P)/P %+.1f%%, (P̂1−P)/P %+.1f%%,"
            + " √V1/P %.1f%%, √V1_ant scored/P %.1f%%, √V2/P %.1f%%, √V2_ant scored/P %.1f%%, class-rate %.1f%%,"
            + " V2-floored SE/P %.1f%%%n", name[k], n, 100 * sum[k][1] / n, 100 * sum[k][2] / n, 100 * sum[k][3] / n,
            100 * sum[k][8] / n, 100 * sum[k][4] / n, 100 * sum[k][5] / n, 100 * sum[k][6] / n, 100 * sum[k][7] / n));
      }
      return b.toString();
    }
  }
  private final SimulatedPopulation population;
  final double target;
  /**
   * The score each unit hands to the score floor (TwoPhaseSample's per-unit score), by {@link FloorScore}; the LLM call
   * and phase 1 keep the population's own score.
   */
  private final double[] floorScore;

  /**
   * What the score floor is given (h46, {@code -Dplumb.gold.floorscore=NAME}): the population's score, or a worse one,
   * a fixed property of each unit drawn once per population from its own stream (seed 46), so the replicates, the LLM
   * call, phase 1 and every arm without the floor are the same as with the informative score.
   */
  enum FloorScore {
    /** The population's score, which also makes the LLM call and phase 1's size (plumb's situation). */
    INFORMATIVE,
    /** σ(logit s + N(0, 1.5²)): a weaker ranker of the same units. */
    NOISY,
    /** An independent U(0, 1) per unit: ranks nothing. */
    UNINFORMATIVE,
    /** s⁴: the same ranking, miscalibrated by a monotone map whose logit is not linear in logit s. */
    MISCALIBRATED,
    /**
     * s rounded up to the grid {0.02, 0.1, 0.3, 0.5, 0.8, 1}: a coarse score (four levels below the LLM's 0.5), which a
     * logistic fit on logit s cannot match level by level and isotonic regression would.
     */
    STEP;

    static FloorScore parse(String name) {
      for (FloorScore f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("plumb.gold.floorscore: expected informative, noisy, uninformative, "
          + "miscalibrated or step, found \"" + name + "\"");
    }

    double[] of(double[] score) {
      SplittableRandom rng = new SplittableRandom(46);
      double[] out = new double[score.length];
      double[] grid = {0.02, 0.1, 0.3, 0.5, 0.8, 1};
      for (int i = 0; i < score.length; i++) {
        double s = score[i];
        out[i] = switch (this) {
          case INFORMATIVE -> s;
          case NOISY -> 1 / (1 + Math.exp(-(Math.log(s / (1 - s)) + 1.5 * rng.nextGaussian())));
          case UNINFORMATIVE -> rng.nextDouble();
          case MISCALIBRATED -> s * s * s * s;
          case STEP -> Arrays.stream(grid).filter(g -> g >= s).findFirst().orElse(1);
        };
      }
      return out;
    }
  }

  GoldCoverageSimulation(Scenario scenario, Design design, long populationSeed) {
    this(scenario, design, populationSeed, FloorScore.INFORMATIVE);
  }

  GoldCoverageSimulation(Scenario scenario, Design design, long populationSeed, FloorScore floor) {
    this.scenario = scenario;
    this.design = design;
    population = new SimulatedPopulation(design.population(), scenario.prevalence(), populationSeed);
    target = population.target;
    floorScore = floor.of(population.score);
  }

  /**
   * The area under the ROC curve of the floor's score for y over the population's units whose own score is in
   * [lo, hi): how well it ranks, overall or within the LLM's cleared class.
   */
  double floorAuc(double lo, double hi) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < floorScore.length; i++) {
      if (population.score[i] >= lo && population.score[i] < hi) {
        keep.add(i);
      }
    }
    double[] x = keep.stream().mapToDouble(i -> floorScore[i]).toArray();
    boolean[] y = new boolean[keep.size()];
    for (int k = 0; k < y.length; k++) {
      y[k] = population.y[keep.get(k)];
    }
    return auc(x, y);
  }

  /**
   * The area under the ROC curve, P(x of a positive &gt; x of a negative) + ½ P(tie), by the Mann–Whitney rank sum with
   * mid-ranks for ties (Hanley &amp; McNeil 1982); NaN without a positive or a negative.
   */
  static double auc(double[] x, boolean[] y) {
    Integer[] order = new Integer[x.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, java.util.Comparator.comparingDouble(k -> x[k]));
    double rankSum = 0;
    long positives = 0;
    for (int a = 0; a < order.length; ) {
      int b = a;
      while (b < order.length && x[order[b]] == x[order[a]]) {
        b++;
      }
      double midRank = (a + 1 + b) / 2.0;
      for (int k = a; k < b; k++) {
        if (y[order[k]]) {
          rankSum += midRank;
          positives++;
        }
      }
      a = b;
    }
    long negatives = order.length - positives;
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** Runs {@code reps} replicates of phases 1 and 2 and the raters. */
  Map<String, Tally> run(int reps, long seed) {
    return run(reps, seed, false);
  }

  /** Runs {@code reps} replicates; with {@code unweighted} also arm {@link #UNWEIGHTED}. */
  Map<String, Tally> run(int reps, long seed, boolean unweighted) {
    return run(reps, seed, unweighted, false);
  }

  /**
   * Runs {@code reps} replicates; with {@code unweighted} also arm {@link #UNWEIGHTED}, with
   * {@code posterior} also arm {@link #POSTERIOR} (the posteriors q_i as the gold instead of the
   * unbiased gold g_i), on the same answers.
   */
  Map<String, Tally> run(int reps, long seed, boolean unweighted, boolean posterior) {
    Map<String, Tally> out = new LinkedHashMap<>();
    ARMS.forEach(a -> out.put(a, new Tally()));
    out.put(NO_NOISE, new Tally());
    if (Boolean.getBoolean("plumb.gold.biascorrected")) {
      out.put(BIAS_CORRECTED, new Tally());
    }
    if (unweighted) {
      out.put(UNWEIGHTED, new Tally());
    }
    if (Boolean.getBoolean("plumb.gold.secondorder")) {
      out.put(SECOND_ORDER, new Tally());
      out.put(SECOND_ORDER_INTERIOR, new Tally());
    }
    if (posterior) {
      out.put(POSTERIOR, new Tally());
    }
    SplittableRandom rng = new SplittableRandom(seed);
    CalibrationOptions kg = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    CalibrationOptions mw = new CalibrationOptions(0.95, IntervalMethod.MOVER_WILSON, false, 50);
    // the logit interval beside the default: the misses of Korn–Graubard are all on one side
    CalibrationOptions logit = new CalibrationOptions(0.95, IntervalMethod.LOGIT, false, 50);
    CalibrationOptions gamma = new CalibrationOptions(0.95, IntervalMethod.GAMMA, false, 50);
    CalibrationOptions kgGamma = new CalibrationOptions(0.95, IntervalMethod.KG_GAMMA, false, 50);
    for (int r = 0; r < reps; r++) {
      Replicate rep = replicate(rng.split(), unweighted);
      TwoPhaseSample truth = scored(rep, rep.truth);
      TwoPhaseSample majority = scored(rep, rep.majority);
      TwoPhaseSample model = scored(rep, rep.model);
      Double truthGold = estimate(Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY, kg));
      Corrected truthKg = Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY, kg);
      add(out.get(ARMS.get(0)), truthKg, truthGold);
      int seen = rep.truth.stream().anyMatch(g -> g.positive() && g.stratum().startsWith("llm_negative")) ? 1 : 0;
      bySeen[seen]++;
      coveredBySeen[seen] += truthKg instanceof Corrected.Estimated e && e.interval().contains(target) ? 1 : 0;
      if (Boolean.getBoolean("plumb.gold.misses")) {
        missLine(rep, truthKg);
      }
      add(out.get(ARMS.get(1)), Calibration.estimateOnly(majority, CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      add(out.get(ARMS.get(2)), Calibration.estimateOnly(majority, CorrectedEstimator.HUMAN_ONLY, mw), truthGold);
      add(out.get(ARMS.get(3)), Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      add(out.get(ARMS.get(4)), Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, mw), truthGold);
      add(out.get(ARMS.get(5)), Calibration.estimateOnly(model, CorrectedEstimator.DOUBLE_SAMPLING, kg), truthGold);
      add(out.get(ARMS.get(6)), Calibration.estimateOnly(model, CorrectedEstimator.PPI_PLUS_PLUS, kg), truthGold);
      add(out.get(ARMS.get(7)), Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY, logit), truthGold);
      add(out.get(ARMS.get(8)), Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, logit), truthGold);
      // calibrate --interval gamma as it runs (its weight rule and the certainty floor), and Fay–Feuer's gamma
      // interval under each rule for the weight of one more event, on the same estimates
      add(out.computeIfAbsent(GAMMA, k -> new Tally()), Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY,
          gamma), truthGold);
      Corrected truthKgGamma = Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY, kgGamma);
      add(out.computeIfAbsent(KG_GAMMA, k -> new Tally()), truthKgGamma, truthGold);
      if (truthKgGamma instanceof Corrected.Estimated e && !GammaInterval.LABEL.equals(e.interval().method())) {
        kgGammaUnswitched++;
        kgGammaUnswitchedNotKg += truthKg instanceof Corrected.Estimated k && k.interval().equals(e.interval()) ? 0 : 1;
      }
      Corrected modelKgGamma = Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, kgGamma);
      add(out.computeIfAbsent(KG_GAMMA_MODEL, k -> new Tally()), modelKgGamma, truthGold);
      splitTruth.add(truthKg, truthKgGamma, target);
      if (Integer.getInteger("plumb.gold.weightclasses", 0) > 1) {
        add(out.computeIfAbsent(KG_GAMMA_PER_CLASS, k -> new Tally()), Calibration.estimateOnly(perClass(rep, rep.truth),
            CorrectedEstimator.HUMAN_ONLY, kgGamma), truthGold);
        add(out.computeIfAbsent(KG_GAMMA_PER_CLASS_MODEL, k -> new Tally()), Calibration.estimateOnly(perClass(rep,
            rep.model), CorrectedEstimator.HUMAN_ONLY, kgGamma), truthGold);
      }
      Corrected modelKg = Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, kg);
      splitModel.add(modelKg, modelKgGamma, target);
      // the same samples without the score floor (--no-score-floor); the tried arms below start from these
      Corrected truthKgOff = Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY, kg.withScoreFloor(false));
      Corrected modelKgOff = Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY, kg.withScoreFloor(false));
      Corrected truthKgGammaOff = Calibration.estimateOnly(truth, CorrectedEstimator.HUMAN_ONLY,
          kgGamma.withScoreFloor(false));
      Corrected modelKgGammaOff = Calibration.estimateOnly(model, CorrectedEstimator.HUMAN_ONLY,
          kgGamma.withScoreFloor(false));
      add(out.computeIfAbsent(NO_FLOOR, k -> new Tally()), truthKgOff, truthGold);
      add(out.computeIfAbsent(NO_FLOOR_GAMMA, k -> new Tally()), truthKgGammaOff, truthGold);
      add(out.computeIfAbsent(NO_FLOOR_MODEL, k -> new Tally()), modelKgOff, truthGold);
      add(out.computeIfAbsent(NO_FLOOR_GAMMA_MODEL, k -> new Tally()), modelKgGammaOff, truthGold);
      shortfall.add(population, rep.sample, truth, rep.truth, truthKgOff, target);
      if (Boolean.getBoolean("plumb.gold.shortfall")) {
        add(out.computeIfAbsent(HALL, k -> new Tally()), hall(truth, truthKgGammaOff), truthGold);
        add(out.computeIfAbsent(HALL_MODEL, k -> new Tally()), hall(model, modelKgGammaOff), truthGold);
      }
      // the floor without a guard (h44's), and with G2 (h48); G1 is the default arms' (main code's ScoreFloor)
      CalibrationOptions.FloorGuard none = CalibrationOptions.FloorGuard.NONE;
      add(out.computeIfAbsent(SCORE_FLOOR, k -> new Tally()), Calibration.estimateOnly(truth,
          CorrectedEstimator.HUMAN_ONLY, kg.withFloorGuard(none)), truthGold);
      add(out.computeIfAbsent(SCORE_FLOOR_GAMMA, k -> new Tally()), Calibration.estimateOnly(truth,
          CorrectedEstimator.HUMAN_ONLY, kgGamma.withFloorGuard(none)), truthGold);
      add(out.computeIfAbsent(SCORE_FLOOR_MODEL, k -> new Tally()), Calibration.estimateOnly(model,
          CorrectedEstimator.HUMAN_ONLY, kg.withFloorGuard(none)), truthGold);
      add(out.computeIfAbsent(SCORE_FLOOR_GAMMA_MODEL, k -> new Tally()), Calibration.estimateOnly(model,
          CorrectedEstimator.HUMAN_ONLY, kgGamma.withFloorGuard(none)), truthGold);
      CalibrationOptions.FloorGuard g2 = GUARDS.get("G2");
      add(out.computeIfAbsent(guarded("truth", "KG", "G2"), k -> new Tally()), Calibration.estimateOnly(truth,
          CorrectedEstimator.HUMAN_ONLY, kg.withFloorGuard(g2)), truthGold);
      add(out.computeIfAbsent(guarded("truth", "kg-gamma", "G2"), k -> new Tally()), Calibration.estimateOnly(truth,
          CorrectedEstimator.HUMAN_ONLY, kgGamma.withFloorGuard(g2)), truthGold);
      add(out.computeIfAbsent(guarded("error-model", "KG", "G2"), k -> new Tally()), Calibration.estimateOnly(model,
          CorrectedEstimator.HUMAN_ONLY, kg.withFloorGuard(g2)), truthGold);
      add(out.computeIfAbsent(guarded("error-model", "kg-gamma", "G2"), k -> new Tally()), Calibration.estimateOnly(
          model, CorrectedEstimator.HUMAN_ONLY, kgGamma.withFloorGuard(g2)), truthGold);
      for (String g : List.of("G1", "G2")) {
        CalibrationOptions.FloorGuard guard = GUARDS.get(g);
        for (String gold : List.of("truth", "error-model")) {
          Map<String, Boolean> ok = AnticipatedHumanOnly.floorTrusted(gold.equals("truth") ? truth : model, score(rep),
              guard);
          ok.forEach((cls, pass) -> guardPassed.merge(g + " " + gold + " " + cls, pass ? 1 : 0, Integer::sum));
          guardPassed.merge(g + " " + gold + " every class", ok.containsValue(false) ? 0 : 1, Integer::sum);
        }
      }
      if (Boolean.getBoolean("plumb.gold.anticipated")) {
        // recomputed from the same estimates, drawing nothing: the other arms are unchanged by the property
        add(out.computeIfAbsent(ANTICIPATED, k -> new Tally()), AnticipatedHumanOnly.floored(truth, truthKgOff, false, 0.95),
            truthGold);
        add(out.computeIfAbsent(ANTICIPATED_GAMMA, k -> new Tally()), AnticipatedHumanOnly.floored(truth, truthKgOff, true,
            0.95), truthGold);
        add(out.computeIfAbsent(ANTICIPATED_MODEL, k -> new Tally()), AnticipatedHumanOnly.floored(model, modelKgOff, false,
            0.95), truthGold);
        add(out.computeIfAbsent(ANTICIPATED_GAMMA_MODEL, k -> new Tally()), AnticipatedHumanOnly.floored(model, modelKgOff,
            true, 0.95), truthGold);
      }
      if (Boolean.getBoolean("plumb.gold.scoredfloor")) {
        double[] score = score(rep);
        double[] qTruth = AnticipatedHumanOnly.scored(truth, score);
        double[] qModel = AnticipatedHumanOnly.scored(model, score);
        Corrected scoredKg = AnticipatedHumanOnly.floored(truth, truthKgOff, false, 0.95, qTruth);
        add(out.computeIfAbsent(SCORED, k -> new Tally()), scoredKg, truthGold);
        add(out.computeIfAbsent(SCORED_GAMMA, k -> new Tally()), AnticipatedHumanOnly.floored(truth, truthKgOff, true, 0.95,
            qTruth), truthGold);
        add(out.computeIfAbsent(SCORED_MODEL, k -> new Tally()), AnticipatedHumanOnly.floored(model, modelKgOff, false, 0.95,
            qModel), truthGold);
        add(out.computeIfAbsent(SCORED_GAMMA_MODEL, k -> new Tally()), AnticipatedHumanOnly.floored(model, modelKgOff, true,
            0.95, qModel), truthGold);
        add(out.computeIfAbsent(SCORED_BOTH, k -> new Tally()), AnticipatedHumanOnly.flooredBoth(truth, truthKgOff, false,
            0.95, qTruth), truthGold);
        add(out.computeIfAbsent(SCORED_BOTH_GAMMA, k -> new Tally()), AnticipatedHumanOnly.flooredBoth(truth, truthKgOff,
            true, 0.95, qTruth), truthGold);
        add(out.computeIfAbsent(SCORED_BOTH_MODEL, k -> new Tally()), AnticipatedHumanOnly.flooredBoth(model, modelKgOff,
            false, 0.95, qModel), truthGold);
        add(out.computeIfAbsent(SCORED_BOTH_GAMMA_MODEL, k -> new Tally()), AnticipatedHumanOnly.flooredBoth(model,
            modelKgOff, true, 0.95, qModel), truthGold);
        scoredMisses.add(rep.sample, truth, qTruth, truthKgOff, scoredKg);
      }
      gammaArms(out, "truth", truth, truthKgOff, truthGold);
      gammaArms(out, "error-model", model, modelKgOff, truthGold);
      List<GoldUnit> noNoise = rep.model.stream()
          .map(g -> new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), g.probability(), g.replicates()))
          .toList();
      // beside the default error-model KG arm: what the noise term changes
      add(out.get(NO_NOISE), Calibration.estimateOnly(scored(rep, noNoise),
          CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      if (out.containsKey(BIAS_CORRECTED)) {
        List<GoldUnit> corrected = rep.model.stream().map(g -> {
          double mean = java.util.Arrays.stream(g.replicates()).average().orElse(g.probability());
          double shift = g.probability() - mean;
          double[] rr = java.util.Arrays.stream(g.replicates()).map(x -> x + shift).toArray();
          return new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), 2 * g.probability() - mean, rr, g.noise());
        }).toList();
        add(out.get(BIAS_CORRECTED), Calibration.estimateOnly(scored(rep, corrected),
            CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      }
      if (out.containsKey(SECOND_ORDER)) {
        add(out.get(SECOND_ORDER), Calibration.estimateOnly(scored(rep, rep.secondOrder),
            CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
        add(out.get(SECOND_ORDER_INTERIOR), Calibration.estimateOnly(scored(rep, rep.secondOrderInterior), CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      }
      if (unweighted) {
        add(out.get(UNWEIGHTED), Calibration.estimateOnly(scored(rep, rep.unweighted),
            CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      }
      if (posterior) {
        add(out.get(POSTERIOR), Calibration.estimateOnly(scored(rep, rep.posterior),
            CorrectedEstimator.HUMAN_ONLY, kg), truthGold);
      }
    }
    return out;
  }

  /** Arms "GOLD / human-only gamma (RULE)" for every {@link GammaWeights} rule; the estimate and SE are KG's. */
  private void gammaArms(Map<String, Tally> out, String gold, TwoPhaseSample s, Corrected c, Double truthGold) {
    if (c instanceof Corrected.Estimated e) {
      GammaWeights.intervals(s, e, 0.95).forEach((rule, ci) -> add(out.computeIfAbsent(
          gold + " / human-only gamma (" + rule + ")", k -> new Tally()),
          new Corrected.Estimated(e.estimator(), e.estimate(), e.se(), ci, e.effectiveN(), e.details(), e.note()),
          truthGold));
    } else {
      GammaWeights.names().forEach(rule -> add(out.computeIfAbsent(gold + " / human-only gamma (" + rule + ")",
          k -> new Tally()), c, truthGold));
    }
  }

  /**
   * The same gold with each weight class's id {@code llm_negative/w3} written {@code llm_negative#w3}, so that it
   * counts as a review stratum of its own: the same strata, π2 and estimate, with kg-gamma's switch per class.
   */
  private TwoPhaseSample perClass(Replicate rep, List<GoldUnit> gold) {
    return scored(rep, gold.stream().map(g -> new GoldUnit(g.unit(), g.positive(),
        g.stratum().replace("/w", "#w"), g.pi(), g.probability(), g.replicates(), g.noise())).toList());
  }

  /**
   * Each unit of the replicate's S: the risk score the floor is given, the population's (which also drove phase 1)
   * unless -Dplumb.gold.floorscore names a worse one ({@link FloorScore}).
   */
  private double[] score(Replicate rep) {
    double[] score = new double[rep.sample.size()];
    for (int j = 0; j < score.length; j++) {
      score[j] = floorScore[Integer.parseInt(rep.sample.units().get(j).id().substring(1))];
    }
    return score;
  }

  /** Each unit of the replicate's S: its entry of {@code perUnit} (a score over the population). */
  private static double[] score(Replicate rep, double[] perUnit) {
    double[] score = new double[rep.sample.size()];
    for (int j = 0; j < score.length; j++) {
      score[j] = perUnit[Integer.parseInt(rep.sample.units().get(j).id().substring(1))];
    }
    return score;
  }

  /**
   * h48's diagnostic, run before the guard's K and A were fixed ({@code -Dplumb.gold.guarddiag=true}; no coverage, no
   * interval): over the same replicates as {@link #run}, per gold and review class the gold positives and negatives
   * (Σ y, Σ (1 − y), gold clipped to [0, 1]) and the within-class AUC of every {@link FloorScore} on the gold.
   */
  String guardDiagnostic(int reps, long seed) {
    Map<FloorScore, double[]> scores = new java.util.EnumMap<>(FloorScore.class);
    for (FloorScore f : FloorScore.values()) {
      scores.put(f, f.of(population.score));
    }
    Map<String, List<Double>> values = new TreeMap<>();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int r = 0; r < reps; r++) {
      Replicate rep = replicate(rng.split(), false);
      for (String gold : List.of("truth", "error-model")) {
        TwoPhaseSample s = scored(rep, gold.equals("truth") ? rep.truth : rep.model);
        for (FloorScore f : FloorScore.values()) {
          AnticipatedHumanOnly.floorEvidence(s, score(rep, scores.get(f))).forEach((cls, ev) -> {
            if (f == FloorScore.INFORMATIVE) {
              values.computeIfAbsent(gold + " " + cls + " positives", k -> new ArrayList<>()).add(ev[0]);
              values.computeIfAbsent(gold + " " + cls + " negatives", k -> new ArrayList<>()).add(ev[1]);
            }
            values.computeIfAbsent(gold + " " + cls + " AUC " + f.name().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(ev[2]);
          });
        }
      }
    }
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> {
      double[] x = v.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
      long nan = v.size() - x.length;
      b.append(String.format(Locale.ROOT, "  %s: min %.2f, 5%% %.2f, 10%% %.2f, 25%% %.2f, median %.2f, 75%% %.2f, max"
          + " %.2f", k, x[0], x[x.length / 20], x[x.length / 10], x[x.length / 4], x[x.length / 2], x[3 * x.length / 4],
          x[x.length - 1]));
      double[] cuts = k.contains("AUC") ? new double[] {0.7, 0.8, 0.85, 0.9} : new double[] {5, 10, 15, 20};
      for (double c : cuts) {
        b.append(String.format(Locale.ROOT, "; ≥ %s: %d", k.contains("AUC") ? String.valueOf(c) : String.valueOf(
            (int) c), Arrays.stream(x).filter(d -> d >= c).count()));
      }
      b.append(String.format(Locale.ROOT, " of %d%s%n", v.size(), nan > 0 ? " (" + nan + " without both kinds)" : ""));
    });
    return b.toString();
  }

  /** The replicate's two-phase sample with {@code gold} and the units' risk scores, as calibrate reads a scored sample. */
  private TwoPhaseSample scored(Replicate rep, List<GoldUnit> gold) {
    return TwoPhaseSample.of(rep.sample, rep.llm, rep.llm, gold, score(rep));
  }

  /** kg-gamma's result with Hall's interval where it kept Korn–Graubard's. */
  private static Corrected hall(TwoPhaseSample s, Corrected kgGamma) {
    return kgGamma instanceof Corrected.Estimated e && !GammaInterval.LABEL.equals(e.interval().method())
        ? new Corrected.Estimated(e.estimator(), e.estimate(), e.se(), SkewCorrection.hall(s, e, 0.95), e.effectiveN(),
            e.details(), e.note())
        : kgGamma;
  }

  /** With -Dplumb.gold.misses=true: one line per replicate the truth-as-gold interval misses. */
  private void missLine(Replicate rep, Corrected c) {
    if (!(c instanceof Corrected.Estimated e) || e.interval().contains(target)) {
      return;
    }
    StringBuilder pos = new StringBuilder();
    int inS = 0;
    for (int j = 0; j < rep.sample.size(); j++) {
      if (population.y[Integer.parseInt(rep.sample.units().get(j).id().substring(1))]) {
        inS++;
      }
    }
    for (GoldUnit g : rep.truth) {
      if (g.positive()) {
        int i = Integer.parseInt(g.unit().substring(1));
        pos.append(String.format(Locale.ROOT, " [m=%.0f pi1=%.3f pi2=%.3f %s]", population.m[i],
            1 / rep.sample.designWeight(rep.sample.indexOf(g.unit()).getAsInt()), g.pi(), g.stratum()));
      }
    }
    System.out.printf(Locale.ROOT, "  miss: estimate %.4f%% [%.4f%%, %.4f%%] truth %.4f%%; positives in S %d, in G:%s%n",
        100 * e.estimate(), 100 * e.interval().lower(), 100 * e.interval().upper(), 100 * target, inS, pos);
  }

  private void add(Tally t, Corrected c, Double truthGold) {
    if (c instanceof Corrected.Estimated e) {
      t.add(e.interval(), e.estimate(), e.se(), target);
      e.details().forEach((k, v) -> {
        if (k.startsWith("variance_")) {
          t.componentValues.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
      });
    } else if (c instanceof Corrected.UpperBound u) {
      t.add(u.bound(), u.estimate(), 0, target);
    } else {
      // not estimable: counted as a miss, so an arm cannot look good by giving up
      t.runs++;
    }
    Double own = estimate(c);
    if (own != null && truthGold != null) {
      t.pair(own, truthGold, target);
    }
  }

  private static Double estimate(Corrected c) {
    return c instanceof Corrected.Estimated e ? Double.valueOf(e.estimate())
        : c instanceof Corrected.UpperBound u ? Double.valueOf(u.estimate()) : null;
  }

  private record Replicate(DesignSample sample, double[] llm, List<GoldUnit> truth, List<GoldUnit> majority,
      List<GoldUnit> model, List<GoldUnit> unweighted, List<GoldUnit> posterior, List<GoldUnit> secondOrder,
      List<GoldUnit> secondOrderInterior) {}

  private Replicate replicate(SplittableRandom rng, boolean unweighted) {
    SimulatedPopulation.Phase1 phase1 = population.priority(design.phase1(), rng);
    DesignSample sample = phase1.sample();
    List<Integer> index = phase1.index();
    double[] llm = phase1.llm();
    Map<String, List<Integer>> strata = phase1.strata();
    // phase 2: SRS within each LLM stratum, or within its weight classes with -Dplumb.gold.weightclasses=K
    Map<String, Integer> budget = new HashMap<>();
    strata = weightClasses(strata, sample, index, budget, Integer.getInteger("plumb.gold.weightclasses", 0));
    List<ReviewItem> items = new ArrayList<>();
    Map<String, double[]> reviewed = new LinkedHashMap<>(); // item → {unit index in S, pi2}
    for (Map.Entry<String, List<Integer>> st : strata.entrySet()) {
      List<Integer> members = new ArrayList<>(st.getValue());
      int want = budget.getOrDefault(st.getKey(),
          st.getKey().equals("llm_positive") ? design.reviewPositive() : design.reviewNegative());
      int take = Math.min(want, members.size());
      for (int k = 0; k < take; k++) {
        int swap = k + rng.nextInt(members.size() - k);
        int tmp = members.get(k);
        members.set(k, members.get(swap));
        members.set(swap, tmp);
        int j = members.get(k);
        String id = "u" + index.get(j);
        reviewed.put(id, new double[] {j, take / (double) members.size()});
        // the unit's phase-1 contribution weight m·d1, its weight within the review stratum
        int i = index.get(j);
        items.add(new ReviewItem(id, st.getKey(), null, answers(population.y[i], rng),
            population.m[i] * sample.designWeight(j)));
      }
    }
    for (int h = 0; h < design.honeypotsPositive() + design.honeypotsNegative(); h++) {
      boolean known = h < design.honeypotsPositive();
      items.add(new ReviewItem("h" + h, "", known, answers(known, rng)));
    }
    RaterErrorModel.Options options = new RaterErrorModel.Options(design.errorModelReplicates(), 0.95,
        rng.nextLong(), 0.01, 0.10);
    RaterErrorFit fit = RaterErrorModel.fit(items, options);
    RaterErrorFit flat = unweighted ? RaterErrorModel.fit(items.stream()
        .map(it -> new ReviewItem(it.item(), it.stratum(), it.known(), it.answers())).toList(), options) : null;
    List<GoldUnit> truth = new ArrayList<>();
    List<GoldUnit> majority = new ArrayList<>();
    List<GoldUnit> model = new ArrayList<>();
    List<GoldUnit> flatModel = new ArrayList<>();
    List<GoldUnit> posterior = new ArrayList<>();
    List<GoldUnit> secondOrder = new ArrayList<>();
    List<GoldUnit> secondOrderInterior = new ArrayList<>();
    // computed after the fit and drawing nothing, so every other arm sees the same replicates with or without it
    Map<String, Double> bias = Boolean.getBoolean("plumb.gold.secondorder") ? SecondOrderGold.bias(items, fit) : null;
    Map<String, Double> interior = bias != null ? SecondOrderGold.bias(items, fit, true) : null;
    for (ReviewItem it : items) {
      if (it.honeypot()) {
        continue;
      }
      double pi2 = reviewed.get(it.item())[1];
      long yes = it.answers().values().stream().filter(b -> b).count();
      String stratum = it.stratum();
      truth.add(new GoldUnit(it.item(), population.y[index.get((int) reviewed.get(it.item())[0])], stratum, pi2));
      majority.add(new GoldUnit(it.item(), 2 * yes > it.answers().size(), stratum, pi2));
      // rounded to six decimals, as plumb queue import writes them to gold.jsonl
      double q = round6(fit.posterior().get(it.item()));
      model.add(new GoldUnit(it.item(), q >= 0.5, stratum, pi2, round6(fit.gold().get(it.item())),
          round6(fit.goldReplicates().get(it.item())), round6(fit.goldVariance().get(it.item()))));
      posterior.add(new GoldUnit(it.item(), q >= 0.5, stratum, pi2, q, round6(fit.replicates().get(it.item()))));
      if (bias != null) {
        double d = bias.getOrDefault(it.item(), 0.0);
        double e = interior.getOrDefault(it.item(), 0.0);
        secondOrder.add(lessBias(it.item(), q, stratum, pi2, fit, d));
        secondOrderInterior.add(lessBias(it.item(), q, stratum, pi2, fit, e));
        if (Boolean.getBoolean("plumb.gold.debug")) {
          int j = (int) reviewed.get(it.item())[0];
          int i = index.get(j);
          long votes = it.answers().values().stream().filter(b -> b).count();
          double w = population.m[i] * sample.designWeight(j) / pi2;
          SECOND_ORDER_DEBUG.merge(stratum + (population.y[i] ? " y=1" : " y=0") + " votes=" + votes,
              new double[] {1, d, w * d, w * e}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2],
                  a[3] + b[3]});
        }
      }
      if (flat != null) {
        double f = round6(flat.posterior().get(it.item()));
        // the first version whole: the constant prior's posteriors as the gold
        flatModel.add(new GoldUnit(it.item(), f >= 0.5, stratum, pi2, f, round6(flat.replicates().get(it.item()))));
      }
    }
    if (Boolean.getBoolean("plumb.gold.debug")) {
      Map<String, Long> answered = new HashMap<>();
      items.forEach(it -> answered.put(it.item(), it.answers().values().stream().filter(b -> b).count()));
      Map<String, double[]> d = new TreeMap<>();
      for (GoldUnit g : model) {
        int j = (int) reviewed.get(g.unit())[0];
        int i = index.get(j);
        double w = population.m[i] * sample.designWeight(j) / g.pi();
        long votes = answered.get(g.unit());
        double[] t = d.computeIfAbsent(g.stratum() + (population.y[i] ? " y=1" : " y=0") + " votes=" + votes,
            k -> new double[5]);
        t[0]++;
        t[1] += w * g.probability();
        t[2] += w;
        t[3] += g.probability();
        t[4] += population.y[i] ? w : 0;
      }
      d.forEach((k, t) -> DEBUG.merge(k, t, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3],
          a[4] + b[4]}));
    }
    return new Replicate(sample, llm, truth, majority, model, flatModel, posterior, secondOrder, secondOrderInterior);
  }

  /**
   * The unit's unbiased gold less {@code bias}, its bootstrap replicates shifted by the same amount (the correction is a
   * function of θ̂, its own variance of higher order).
   */
  private static GoldUnit lessBias(String item, double q, String stratum, double pi2, RaterErrorFit fit, double bias) {
    double[] shifted = java.util.Arrays.stream(fit.goldReplicates().get(item)).map(x -> x - bias).toArray();
    return new GoldUnit(item, q >= 0.5, stratum, pi2, round6(fit.gold().get(item) - bias), round6(shifted),
        round6(fit.goldVariance().get(item)));
  }

  /**
   * With k = K ≥ 2 (-Dplumb.gold.weightclasses=K): each LLM stratum split into at most K review classes of equal phase-1
   * weight m·d1, its budget allocated ∝ √(N_h W_h) ({@code weight_classes: K}, docs/calibration.md "Heavy-tailed
   * exposure: review by weight class"), named as the queue names them, "llm_negative/w1" …, with their review counts put in {@code budget};
   * otherwise {@code strata} as given.
   */
  Map<String, List<Integer>> weightClasses(Map<String, List<Integer>> strata, DesignSample sample,
      List<Integer> index, Map<String, Integer> budget, int k) {
    if (k < 2) {
      return strata;
    }
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> st : strata.entrySet()) {
      List<Integer> members = st.getValue();
      int n = st.getKey().equals("llm_positive") ? design.reviewPositive() : design.reviewNegative();
      if (n >= members.size()) {
        out.put(st.getKey(), members);
        continue;
      }
      double[] w = members.stream().mapToDouble(j -> population.m[index.get(j)] * sample.designWeight(j)).toArray();
      List<WeightClassSplit.Part> parts = WeightClassSplit.of(w, n, k);
      for (int c = 0; c < parts.size(); c++) {
        // the queue's id for a weight class (QueueExport; docs/formats.md), which kg-gamma's switch reads
        String name = st.getKey() + "/w" + (c + 1);
        out.put(name, Arrays.stream(parts.get(c).members()).mapToObj(members::get).toList());
        budget.put(name, parts.get(c).n());
      }
    }
    return out;
  }

  /**
   * With -Dplumb.gold.debug=true: per review stratum, true class and number of positive answers,
   * {units, Σ w q, Σ w, Σ q, Σ w y} over the replicates (w = m·d1·d2).
   */
  static final Map<String, double[]> DEBUG = new TreeMap<>();
  /**
   * With -Dplumb.gold.debug=true and the second-order arms: {units, Σ ½ tr(HΣ), Σ w ½ tr(HΣ), the same Σ w with the rates
   * held inside} by the same cells.
   */
  static final Map<String, double[]> SECOND_ORDER_DEBUG = new TreeMap<>();

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static double[] round6(double[] v) {
    double[] out = v.clone();
    for (int k = 0; k < out.length; k++) {
      out[k] = round6(out[k]);
    }
    return out;
  }

  /** {@code perItem} distinct raters of the pool, each answering with the scenario's error rates. */
  private Map<String, Boolean> answers(boolean truth, SplittableRandom rng) {
    Map<String, Boolean> out = new TreeMap<>();
    while (out.size() < design.perItem()) {
      String rater = "r" + rng.nextInt(design.raters());
      if (!out.containsKey(rater)) {
        boolean right = rng.nextDouble() < (truth ? scenario.sensitivity() : scenario.specificity());
        out.put(rater, right == truth);
      }
    }
    return out;
  }

  /** The benchmark's scenarios: exact raters, symmetric 5% flips, asymmetric raters, at three prevalences. */
  static List<Scenario> scenarios() {
    List<Scenario> out = new ArrayList<>();
    for (double p : new double[] {0.001, 0.005, 0.03}) {
      out.add(new Scenario("exact", p, 1, 1));
      out.add(new Scenario("symmetric 5%", p, 0.95, 0.95));
      out.add(new Scenario("asymmetric 2%/15%", p, 0.85, 0.98));
    }
    return out;
  }

  /**
   * {@code bench/gold-coverage.sh [REPS]}: prints the coverage table as Markdown. A second argument
   * keeps only the scenarios whose "name prevalence" contains it (e.g. {@code "symmetric 5% 0.005"});
   * {@code -Dplumb.gold.debug=true} adds Σ q, Σ w q and Σ w per review stratum and true class;
   * {@code -Dplumb.gold.seed=N} draws the replicates from another seed (default 2026).
   */
  /**
   * The standard design, or with {@code -Dplumb.gold.review=P,N} one whose review takes P LLM-positive and N
   * LLM-negative units (how much of the 0.1% shortfall is the cleared class's review size).
   */
  static Design design() {
    Design d = Design.standard();
    String review = System.getProperty("plumb.gold.review");
    if (review != null) {
      String[] pn = review.split(",");
      d = new Design(d.population(), d.phase1(), Integer.parseInt(pn[0].trim()), Integer.parseInt(pn[1].trim()),
          d.raters(), d.perItem(), d.honeypotsPositive(), d.honeypotsNegative(), d.errorModelReplicates());
    }
    // -Dplumb.gold.honeypots=P,N: P violating and N clean honeypots (a small review's few, issue 14's blow-up)
    String honeypots = System.getProperty("plumb.gold.honeypots");
    if (honeypots != null) {
      String[] pn = honeypots.split(",");
      d = new Design(d.population(), d.phase1(), d.reviewPositive(), d.reviewNegative(), d.raters(), d.perItem(),
          Integer.parseInt(pn[0].trim()), Integer.parseInt(pn[1].trim()), d.errorModelReplicates());
    }
    return d;
  }

  private static double ratio(Map<String, Tally> t, String arm, String base) {
    return t.get(arm).meanWidth() / t.get(base).meanWidth();
  }

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    // another stream of replicates (-Dplumb.gold.seed) to shrink the Monte Carlo error of a row
    long seed = Long.getLong("plumb.gold.seed", 2026);
    System.out.printf(Locale.ROOT, "%d replicates per scenario; population seed 11, replicate seed %d%n%n", reps, seed);
    System.out.println("| prevalence | raters | truth | gold / estimator / interval | coverage | relative bias ± MC SE "
        + "| bias beyond truth-as-gold ± SE | mean width (points) | misses below / above | √mean SE² / SD "
        + "| bias, farthest 1% removed ± SE |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Scenario s : scenarios()) {
      if (args.length > 1 && !(s.name() + " " + s.prevalence()).contains(args[1])) {
        continue;
      }
      long start = System.nanoTime();
      FloorScore floor = FloorScore.parse(System.getProperty("plumb.gold.floorscore", "informative"));
      GoldCoverageSimulation sim = new GoldCoverageSimulation(s, design(), 11, floor);
      if (Boolean.getBoolean("plumb.gold.guarddiag")) {
        System.out.printf(Locale.ROOT, "guard diagnostic, %s at %.1f%%, review %d + %d:%n%s", s.name(),
            100 * s.prevalence(), sim.design.reviewPositive(), sim.design.reviewNegative(), sim.guardDiagnostic(reps,
            seed));
        System.err.printf(Locale.ROOT, "%s at %.1f%%: %.0f s%n", s.name(), 100 * s.prevalence(),
            (System.nanoTime() - start) / 1e9);
        continue;
      }
      Map<String, Tally> t = sim.run(reps, seed, Boolean.getBoolean("plumb.gold.unweighted"),
          Boolean.getBoolean("plumb.gold.posterior"));
      for (Map.Entry<String, Tally> e : t.entrySet()) {
        Tally v = e.getValue();
        double[] trimmed = v.trimmedBias(sim.target);
        System.out.printf(Locale.ROOT, "| %.1f%% | %s | %.4f%% | %s | %.3f | %+.1f%% ± %.1f | %+.1f%% ± %.1f | %.3f | %d / %d | %.2f "
            + "| %+.1f%% ± %.1f |%n",
            100 * s.prevalence(), s.name(), 100 * sim.target, e.getKey(), v.coverage(), 100 * v.relativeBias(sim.target),
            100 * v.biasStandardError(sim.target), 100 * v.pairedBias(), 100 * v.pairedStandardError(),
            100 * v.meanWidth(), v.missLow, v.missHigh, v.seRatio(), 100 * trimmed[0], 100 * trimmed[1]);
        if (Boolean.getBoolean("plumb.gold.components")) {
          double mean = v.sumEstimate / v.estimated;
          System.out.printf(Locale.ROOT, "  empirical variance %.3g; mean", v.sumSquares / v.estimated - mean * mean);
          v.componentValues.forEach((k, values) -> {
            List<Double> all = new ArrayList<>(values);
            java.util.Collections.sort(all);
            double sum = all.stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, " %s %.3g (median %.3g, 90%% %.3g)", k, sum / v.estimated,
                all.get(all.size() / 2), all.get(all.size() * 9 / 10));
          });
          System.out.println();
        }
      }
      // h46: what the unguarded score floor costs against the same estimates without it
      System.out.printf(Locale.ROOT, "  score floor without guard (%s score, AUC %.3f overall, %.3f below 0.5): mean"
          + " width floor ÷ no floor, truth KG %.2f, kg-gamma %.2f; error-model KG %.2f, kg-gamma %.2f%n",
          floor.name().toLowerCase(Locale.ROOT), sim.floorAuc(0, 1), sim.floorAuc(0, 0.5), ratio(t, SCORE_FLOOR,
          NO_FLOOR), ratio(t, SCORE_FLOOR_GAMMA, NO_FLOOR_GAMMA), ratio(t, SCORE_FLOOR_MODEL, NO_FLOOR_MODEL), ratio(t,
          SCORE_FLOOR_GAMMA_MODEL, NO_FLOOR_GAMMA_MODEL));
      // h48: the guarded floors' widths against no floor (G1: the default arms), and how often each class floored
      for (String g : List.of("G1", "G2")) {
        System.out.printf(Locale.ROOT, "  score floor + %s (%s): mean width ÷ no floor, truth KG %.2f, kg-gamma %.2f;"
            + " error-model KG %.2f, kg-gamma %.2f; replicates whose class may floor:", g, GUARDS.get(g),
            ratio(t, guarded("truth", "KG", g), NO_FLOOR), ratio(t, guarded("truth", "kg-gamma", g), NO_FLOOR_GAMMA),
            ratio(t, guarded("error-model", "KG", g), NO_FLOOR_MODEL), ratio(t, guarded("error-model", "kg-gamma", g),
            NO_FLOOR_GAMMA_MODEL));
        sim.guardPassed.forEach((k, n) -> {
          if (k.startsWith(g + " ")) {
            System.out.printf(Locale.ROOT, " %s %d;", k.substring(g.length() + 1), n);
          }
        });
        System.out.println();
      }
      System.out.printf(Locale.ROOT, "  kg-gamma switched to gamma in %d of %d replicates (truth as gold), %d (error model)%n",
          t.get(KG_GAMMA).gammaLabelled, reps, t.get(KG_GAMMA_MODEL).gammaLabelled);
      if (t.containsKey(KG_GAMMA_PER_CLASS)) {
        System.out.printf(Locale.ROOT, "  kg-gamma switching per weight class (before h40) switched in %d of %d (truth"
            + " as gold), %d (error model)%n", t.get(KG_GAMMA_PER_CLASS).gammaLabelled, reps,
            t.get(KG_GAMMA_PER_CLASS_MODEL).gammaLabelled);
      }
      System.out.printf(Locale.ROOT, "  KG vs kg-gamma, truth as gold: %s%n  KG vs kg-gamma, error model: %s%n",
          sim.splitTruth.line(), sim.splitModel.line());
      if (Boolean.getBoolean("plumb.gold.shortfall")) {
        System.out.print(sim.shortfall.lines(sim.target));
      }
      if (Boolean.getBoolean("plumb.gold.anticipated")) {
        for (String arm : List.of(NO_FLOOR, NO_FLOOR_GAMMA, ANTICIPATED, ANTICIPATED_GAMMA, NO_FLOOR_MODEL,
            NO_FLOOR_GAMMA_MODEL, ANTICIPATED_MODEL, ANTICIPATED_GAMMA_MODEL)) {
          System.out.printf(Locale.ROOT, "  corr(estimate, SE) %s: %.2f%n", arm, t.get(arm).seCorrelation());
        }
      }
      if (Boolean.getBoolean("plumb.gold.scoredfloor")) {
        for (String arm : List.of(NO_FLOOR, NO_FLOOR_GAMMA, SCORE_FLOOR, SCORED, SCORED_GAMMA, SCORED_BOTH,
            NO_FLOOR_MODEL, NO_FLOOR_GAMMA_MODEL, SCORE_FLOOR_MODEL, SCORED_MODEL, SCORED_GAMMA_MODEL,
            SCORED_BOTH_MODEL)) {
          System.out.printf(Locale.ROOT, "  corr(estimate, SE) %s: %.2f%n", arm, t.get(arm).seCorrelation());
        }
        System.out.print(sim.scoredMisses.lines());
      }
      System.out.printf(Locale.ROOT, "  llm_negative review saw no violation in %d of %d replicates (truth-as-gold KG"
          + " covered %d of them) and some in %d (covered %d)%n", sim.bySeen[0], reps, sim.coveredBySeen[0],
          sim.bySeen[1], sim.coveredBySeen[1]);
      double wy = DEBUG.values().stream().mapToDouble(v -> v[4]).sum();
      DEBUG.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %s n=%.0f sum q=%.2f  sum w q=%.0f  sum w=%.0f  "
          + "sum w(q-y)/sum w y=%+.1f%%%n", k, v[0], v[3], v[1], v[2], 100 * (v[1] - v[4]) / wy));
      DEBUG.clear();
      SECOND_ORDER_DEBUG.forEach((k, v) -> System.out.printf(Locale.ROOT, "  second order: %s n=%.0f mean ½tr(HΣ)=%.5f"
          + "  sum w ½tr(HΣ)/sum w y=%+.1f%%  interior %+.1f%%%n", k, v[0], v[1] / v[0], 100 * v[2] / wy,
          100 * v[3] / wy));
      SECOND_ORDER_DEBUG.clear();
      System.err.printf(Locale.ROOT, "%s at %.1f%%: %.0f s%n", s.name(), 100 * s.prevalence(),
          (System.nanoTime() - start) / 1e9);
    }
  }
}
