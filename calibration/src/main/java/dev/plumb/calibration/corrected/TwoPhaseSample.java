package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A two-phase sample for one policy (docs/calibration.md). Phase 1 is the probability sample S
 * ({@link DesignSample}: exposure m_i, design weight d1_i = 1/π1_i) with the LLM's call ŷ_i on every
 * unit. Phase 2 is the gold subsample G ⊂ S, drawn from S by stratified simple random sampling
 * without replacement (one stratum = SRS), recording each reviewed unit's phase-2 inclusion
 * probability π2_i = n2_g/n1_g and its gold call y_i.
 *
 * <p>The phase-1 count of a phase-2 stratum is recovered as n1_g = n2_g/π2_g, so gold records alone
 * carry the phase-2 design.
 *
 * <p>The one exception is the stratum {@value #ACTIVE}: the confidence-driven review (docs/review.md,
 * {@code type: active}) is a Poisson draw from S in which every unit has its own π2 and units are
 * drawn independently, so the joint inclusion probability of two units is π2_k π2_l. A gold set is
 * either all active or all stratified SRS. Immutable.
 */
public final class TwoPhaseSample {
  /** The phase-2 stratum of a Poisson (confidence-driven) review: π2 varies from unit to unit. */
  public static final String ACTIVE = "active";
  final DesignSample phase1;
  final double[] llm;
  /**
   * The LLM's probability that the unit is positive, per unit of S: its stated confidence in its
   * call (1 − confidence for a negative call), or the 0/1 call when it states none. Stratified PPI's
   * predictor.
   */
  final double[] prob;
  /** Whether phase 2 is the Poisson draw of the {@value #ACTIVE} stratum. */
  final boolean poisson;
  final boolean[] inGold;
  /** The gold: P(violating) per unit of S (0/1 for exact gold; 0 off G). */
  final double[] y;
  /** The gold call (positive decision) per unit of S; what counts as a gold positive. */
  final boolean[] call;
  /**
   * y at each replicate of the rater-error model ([replicate][unit of S]), or {@code null} when the
   * gold carries no error model.
   */
  final double[][] yReplicates;
  /** The answers' noise in y per unit of S, Var(y_i | true class) (0 for exact gold and off G). */
  final double[] yNoise;
  final double[] pi2;
  /** Phase-2 stratum index per unit of S (-1 off G). */
  final int[] stratum2;
  final List<String> strata2;
  /**
   * Per phase-2 stratum g (index into {@link #strata2}): the review stratum it is a weight class of, as an index
   * into {@link #reviewStrata} ({@link #reviewStratumOf}); g's own review stratum when the review had no weight
   * classes.
   */
  final int[] reviewStratum;
  /** The review's strata before any split into weight classes (e.g. {@code llm_negative}), in order of first appearance. */
  final List<String> reviewStrata;
  final double[] n1g;
  final int[] n2g;
  /** Gold units as their own stratified design: strata = phase-2 strata, N_g = n1_g, π = π2. */
  final DesignSample phase2;
  /** Index in {@code phase2} → index in {@code phase1}. */
  final int[] goldIndex;
  /**
   * The policy's risk score per unit of S ({@code scores.<policy id>} in the sample, docs/formats.md), NaN where the
   * unit has none: the working model of human-only's phase-2 floor ({@link ScoreFloor}).
   */
  final double[] score;

  private TwoPhaseSample(DesignSample phase1, double[] llm, double[] prob, List<GoldUnit> gold, double[] score) {
    this.phase1 = phase1;
    int n = phase1.size();
    if (llm.length != n || prob.length != n) {
      throw new IllegalArgumentException(
          "the LLM calls cover " + llm.length + " units and probabilities " + prob.length + ", the sample has " + n);
    }
    if (score == null) {
      this.score = new double[n];
      java.util.Arrays.fill(this.score, Double.NaN);
    } else {
      if (score.length != n) {
        throw new IllegalArgumentException("the risk scores cover " + score.length + " units, the sample has " + n);
      }
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(score[i]) && !(score[i] >= 0 && score[i] <= 1)) {
          throw new IllegalArgumentException("risk score of unit " + phase1.units().get(i).id() + " is not in [0, 1]: "
              + score[i]);
        }
      }
      this.score = score.clone();
    }
    for (int i = 0; i < n; i++) {
      if (!(prob[i] >= 0 && prob[i] <= 1)) {
        throw new IllegalArgumentException("LLM probability of unit " + phase1.units().get(i).id() + " is not in [0, 1]: " + prob[i]);
      }
    }
    this.prob = prob.clone();
    this.poisson = !gold.isEmpty() && gold.stream().anyMatch(g -> g.stratum().equals(ACTIVE));
    if (poisson && !gold.stream().allMatch(g -> g.stratum().equals(ACTIVE))) {
      throw new IllegalArgumentException("the gold mixes the " + ACTIVE
          + " (Poisson) review stratum with others: a review is either confidence-driven or stratified");
    }
    for (int i = 0; i < n; i++) {
      if (llm[i] != 0 && llm[i] != 1) {
        throw new IllegalArgumentException("LLM call of unit " + phase1.units().get(i).id() + " is not 0 or 1: " + llm[i]);
      }
    }
    this.llm = llm.clone();
    this.inGold = new boolean[n];
    this.y = new double[n];
    this.yNoise = new double[n];
    this.call = new boolean[n];
    this.pi2 = new double[n];
    int replicates = gold.isEmpty() || gold.get(0).replicates() == null ? 0 : gold.get(0).replicates().length;
    this.yReplicates = replicates == 0 ? null : new double[replicates][n];
    this.stratum2 = new int[n];
    java.util.Arrays.fill(stratum2, -1);
    Map<String, Integer> strata = new LinkedHashMap<>();
    Map<String, Double> stratumPi = new HashMap<>();
    List<Integer> order = new ArrayList<>();
    for (GoldUnit g : gold) {
      OptionalInt i = phase1.indexOf(g.unit());
      if (i.isEmpty()) {
        throw new IllegalArgumentException("gold unit " + g.unit() + " is not in the phase-1 sample");
      }
      int k = i.getAsInt();
      if (inGold[k]) {
        throw new IllegalArgumentException("gold unit " + g.unit() + " appears twice");
      }
      Double seen = stratumPi.putIfAbsent(g.stratum(), g.pi());
      if (seen != null && !poisson && Math.abs(seen - g.pi()) > 1e-9 * seen) {
        throw new IllegalArgumentException(
            "phase-2 stratum " + g.stratum() + " has units with different pi (" + seen + " and "
                + g.pi() + "): within a stratum the review sample is a simple random sample");
      }
      inGold[k] = true;
      y[k] = g.probability();
      yNoise[k] = g.noise();
      call[k] = g.positive();
      if ((g.replicates() == null ? 0 : g.replicates().length) != replicates) {
        throw new IllegalArgumentException("gold unit " + g.unit() + " has " + (g.replicates() == null ? 0
            : g.replicates().length) + " error-model replicates, the first gold unit " + replicates);
      }
      for (int b = 0; b < replicates; b++) {
        yReplicates[b][k] = g.replicates()[b];
      }
      pi2[k] = g.pi();
      stratum2[k] = strata.computeIfAbsent(g.stratum(), s -> strata.size());
      order.add(k);
    }
    this.strata2 = List.copyOf(strata.keySet());
    Map<String, Integer> parents = new LinkedHashMap<>();
    this.reviewStratum = new int[strata2.size()];
    for (int g = 0; g < strata2.size(); g++) {
      reviewStratum[g] = parents.computeIfAbsent(reviewStratumOf(strata2.get(g)), p -> parents.size());
    }
    this.reviewStrata = List.copyOf(parents.keySet());
    this.n2g = new int[strata2.size()];
    for (int k : order) {
      n2g[stratum2[k]]++;
    }
    this.n1g = new double[strata2.size()];
    if (poisson) {
      for (int k : order) {
        n1g[0] += 1 / pi2[k]; // Horvitz–Thompson's count of S; the Poisson draw has no fixed n1_g
      }
    }
    List<Stratum> designStrata = new ArrayList<>();
    for (int g = 0; g < n1g.length; g++) {
      double pi = stratumPi.get(strata2.get(g));
      if (!poisson) {
        n1g[g] = n2g[g] / pi;
      }
      long units = Math.max(n2g[g], Math.round(n1g[g]));
      designStrata.add(new Stratum(strata2.get(g), units, 0, n2g[g]));
    }
    this.goldIndex = order.stream().mapToInt(Integer::intValue).toArray();
    List<SampledUnit> units = new ArrayList<>();
    for (int k : goldIndex) {
      units.add(SampledUnit.of(phase1.units().get(k).id(), 1,
          new Inclusion.WithoutReplacement(strata2.get(stratum2[k]), pi2[k])));
    }
    this.phase2 = gold.isEmpty() ? null
        : DesignSample.of(poisson ? dev.plumb.calibration.estimate.DesignType.POISSON
            : dev.plumb.calibration.estimate.DesignType.STRATIFIED, units, designStrata);
  }

  /**
   * The review stratum a phase-2 stratum id belongs to: {@code llm_negative} for the weight class
   * {@code llm_negative/w3}, the id itself otherwise. The gold records carry only the class's id, whose form
   * {@code <stratum>/w<k>} (k ≥ 1) is fixed by docs/formats.md ("Answer … and Gold", {@code weight_classes}).
   */
  static String reviewStratumOf(String id) {
    int slash = id.lastIndexOf("/w");
    if (slash <= 0 || slash + 2 == id.length() || id.charAt(slash + 2) == '0') {
      return id;
    }
    for (int j = slash + 2; j < id.length(); j++) {
      if (id.charAt(j) < '0' || id.charAt(j) > '9') {
        return id;
      }
    }
    return id.substring(0, slash);
  }

  /**
   * A two-phase sample.
   *
   * @param phase1 the phase-1 sample S
   * @param llmPositive per unit of S in sample order: 1 when the LLM's decision is positive, else 0
   * @param gold the reviewed units
   * @throws IllegalArgumentException when a gold unit is not in S or repeats, LLM calls are
   *     missing or not 0/1, or π2 varies within a phase-2 stratum
   */
  public static TwoPhaseSample of(DesignSample phase1, double[] llmPositive, List<GoldUnit> gold) {
    return new TwoPhaseSample(phase1, llmPositive, llmPositive, gold, null);
  }

  /**
   * A two-phase sample whose LLM also states its probability of a positive per unit (from its
   * confidence), which stratified PPI uses as its predictor.
   *
   * @param llmProbability per unit of S in sample order, in [0, 1]
   * @throws IllegalArgumentException as {@link #of(DesignSample, double[], List)}, or a probability
   *     outside [0, 1]
   */
  public static TwoPhaseSample of(DesignSample phase1, double[] llmPositive, double[] llmProbability, List<GoldUnit> gold) {
    return new TwoPhaseSample(phase1, llmPositive, llmProbability, gold, null);
  }

  /**
   * As {@link #of(DesignSample, double[], double[], List)}, with the policy's risk score per unit of S: human-only's
   * phase-2 variance is floored by what a Platt model of the gold on the score anticipates when every reviewed unit
   * has one (docs/calibration.md, "Two-phase variance").
   *
   * @param score per unit of S in sample order, in [0, 1], or NaN where the unit has none
   * @throws IllegalArgumentException as {@link #of(DesignSample, double[], double[], List)}, or a score neither NaN
   *     nor in [0, 1]
   */
  public static TwoPhaseSample of(DesignSample phase1, double[] llmPositive, double[] llmProbability, List<GoldUnit> gold,
      double[] score) {
    return new TwoPhaseSample(phase1, llmPositive, llmProbability, gold, score);
  }

  /** Whether every reviewed unit has a risk score (what human-only's phase-2 floor needs); false without gold. */
  public boolean scored() {
    for (int i : goldIndex) {
      if (Double.isNaN(score[i])) {
        return false;
      }
    }
    return goldIndex.length > 0;
  }

  /** Whether the review was the confidence-driven Poisson draw (stratum {@value #ACTIVE}). */
  public boolean activeReview() {
    return poisson;
  }

  public DesignSample phase1() {
    return phase1;
  }

  /** The number of reviewed units. */
  public int goldSize() {
    return goldIndex.length;
  }

  /** The phase-2 strata, in order of first appearance in the gold records. */
  public List<String> phase2Strata() {
    return strata2;
  }

  /** Gold units judged positive. */
  public int goldPositives() {
    int k = 0;
    for (int i : goldIndex) {
      k += call[i] ? 1 : 0;
    }
    return k;
  }

  /** Whether the gold carries a rater-error model (probabilities with bootstrap replicates). */
  public boolean hasErrorModel() {
    return yReplicates != null;
  }

  /**
   * The same sample with the exact 0/1 gold calls in place of the error model's probabilities: what
   * majority-style gold would give, for the report's "what the correction moved".
   */
  public TwoPhaseSample withCalls() {
    List<GoldUnit> gold = new ArrayList<>();
    for (int k : goldIndex) {
      gold.add(new GoldUnit(phase1.units().get(k).id(), call[k], strata2.get(stratum2[k]), pi2[k]));
    }
    return new TwoPhaseSample(phase1, llm, prob, gold, score);
  }
}
