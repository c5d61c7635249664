package dev.plumb.calibration.queue;

import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.GoldUnit;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.gold.SimulatedPanel;
import dev.plumb.calibration.synthetic.SimulatedPopulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Does {@code plumb plan --review-budget N} predict the interval a review delivers? (issue 15 item 1; docs/review.md,
 * "How good is the plan"). Each replicate runs the chain a user runs, through the same entry points:
 *
 * <ol>
 *   <li>phase 1: a priority sample of {@link #PHASE1} units from {@link SimulatedPopulation} (gold-coverage's fixed
 *       population: heavy-tailed exposure, a classifier whose scores rank rather than give probabilities, the LLM's
 *       call at score ≥ ½ with the score as its confidence), written as sample.jsonl + its manifest and labels.jsonl;
 *   <li>a pilot: a small review of the same sample ({@link #PILOT_POSITIVE} LLM-positive and {@link #PILOT_NEGATIVE}
 *       LLM-negative units by simple random sampling, the truth as its gold), written as the pilot's gold.jsonl —
 *       the plan's rates then come from the pilot per LLM call with the scores calibrated on it ({@link PlanRates});
 *       or no pilot and calibrated risk scores ({@link Rates#CALIBRATED});
 *   <li>the plan: {@link ReviewPlan#run} ({@code type: stratified}, {@code stratify_by: any_positive}, 4 weight
 *       classes, {@code allocation: optimal}) or {@link ActiveReviewPlan#run} ({@code type: active}) for budget N,
 *       with the panel stated as {@code --rater-sensitivity/--rater-specificity} do ({@link ReviewPanel#stated}) when
 *       the gold is a noisy panel's;
 *   <li>the review the plan describes, drawn by {@code queue export}'s own {@link QueueExport#draw} (same allocation,
 *       same π2), answered by the truth or by a {@link SimulatedPanel} whose answers become the rater-error model's
 *       gold, and estimated by the headline estimator: human-only Korn–Graubard after a stratified review, active
 *       AIPW (Korn–Graubard) after an active one.
 * </ol>
 *
 * Per cell it reports the mean planned half-width (and its design and raters' parts), the mean realized interval
 * half-width (upper − lower)/2 and z·SE, the planned half-width over 1.96 × the estimates' SD over the replicates (the
 * width the estimator truly has: phase 1, the review and the raters all vary), how often the realized half-width is at
 * most the planned one, and the interval's coverage of the true prevalence.
 */
final class PlanAccuracySimulation {
  static final int POPULATION = 40_000;
  static final int PHASE1 = 2_000;
  static final int PILOT_POSITIVE = 50;
  static final int PILOT_NEGATIVE = 150;
  static final String POLICY = "a@1";
  /** Korn–Graubard, the interval the plan's half-width stands for (kg-gamma, the default, widens it where a class saw none). */
  static final CalibrationOptions KG = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);

  enum Design {
    STRATIFIED("stratified optimal"), ACTIVE("active");

    final String label;

    Design(String label) {
      this.label = label;
    }
  }

  /** Where the plan's chance of violating q comes from. */
  enum Rates {
    /** A pilot review of the same sample, the classifier's raw scores in sample.jsonl ({@link PlanRates}). */
    PILOT("pilot"),
    /**
     * No pilot; sample.jsonl's risk scores are the population's true P(violating | score) (Bayes' rule on
     * {@link SimulatedPopulation}'s two score distributions at the scenario's prevalence): the plan's formulas with
     * q as right as a unit's score can make it, so what is left of a gap is the formulas', not q's.
     */
    CALIBRATED("calibrated scores");

    final String label;

    Rates(String label) {
      this.label = label;
    }
  }

  /** One cell's sums over its replicates. */
  static final class Tally {
    int reps;
    int estimated;
    int covered;
    int within;
    double planned;
    double plannedDesign;
    double plannedRaters;
    double realized;
    double normal;
    double sum;
    double sumSq;
    double reviews;
    /**
     * The planned V1 and V2 (the design's variance less V1) and the realized estimator's variance_phase1 and
     * variance_phase2, summed over the estimated replicates.
     */
    double plannedV1;
    double realizedV1;
    double plannedV2;
    double realizedV2;
    /**
     * Human-only under the default kg-gamma (stratified review only): its summed half-width, the replicates it covered
     * and those where it switched to the gamma interval; the same with its switch per weight class, as it ran before
     * h40 (docs/calibration.md, "The default interval").
     */
    double kgGammaHalf;
    int kgGammaCovered;
    int kgGammaSwitched;
    double perClassHalf;
    int perClassCovered;
    int perClassSwitched;

    /** kg-gamma's mean half-width over Korn–Graubard's. */
    double kgGammaOverKg() {
      return kgGammaHalf / realized;
    }

    /** The same for kg-gamma switching per weight class. */
    double perClassOverKg() {
      return perClassHalf / realized;
    }

    double meanPlanned() {
      return planned / reps;
    }

    double meanRealized() {
      return realized / estimated;
    }

    /** 1.96 × the SD of the estimates over the replicates. */
    double empirical() {
      double mean = sum / estimated;
      return 1.96 * Math.sqrt(Math.max(0, (sumSq - estimated * mean * mean) / (estimated - 1)));
    }

    /** Mean planned half-width over mean realized interval half-width. */
    double overRealized() {
      return meanPlanned() / meanRealized();
    }

    /** Mean planned half-width over 1.96 × the estimates' SD. */
    double overEmpirical() {
      return meanPlanned() / empirical();
    }

    /** The share of replicates whose realized half-width is at most the planned one. */
    double atMostPlanned() {
      return within / (double) estimated;
    }

    double coverage() {
      return covered / (double) reps;
    }

    /** Mean planned V1 over the mean phase-1 variance the estimates report. */
    double phase1Ratio() {
      return plannedV1 / realizedV1;
    }

    /** Mean planned V2 over the mean phase-2 variance the estimates report. */
    double phase2Ratio() {
      return plannedV2 / realizedV2;
    }
  }

  private final SimulatedPopulation population;
  private final double prevalence;
  private final Path dir;

  /**
   * @param dir where each replicate's sample, labels and pilot are written (overwritten replicate by replicate)
   */
  PlanAccuracySimulation(double prevalence, long populationSeed, Path dir) {
    this.prevalence = prevalence;
    this.population = new SimulatedPopulation(POPULATION, prevalence, populationSeed);
    this.dir = dir;
  }

  double target() {
    return population.target;
  }

  /** {@code reps} replicates of one design and panel at budget {@code budget}. */
  Tally run(Design design, SimulatedPanel panel, Rates rates, int budget, int reps, long seed) {
    Tally t = new Tally();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int r = 0; r < reps; r++) {
      replicate(design, panel, rates, budget, rng.split(), t);
    }
    return t;
  }

  private void replicate(Design design, SimulatedPanel panel, Rates rates, int budget, SplittableRandom rng,
      Tally t) {
    SimulatedPopulation.Phase1 phase1 = population.priority(PHASE1, rng);
    DesignSample p1 = phase1.sample();
    Path sample = dir.resolve("sample.jsonl");
    Path labels = dir.resolve("labels.jsonl");
    Path pilot = rates == Rates.PILOT ? dir.resolve("pilot.jsonl") : null;
    double[] f = new double[PHASE1];
    write(phase1, rates, f, sample, labels);
    if (pilot != null) {
      writePilot(phase1, rng, pilot);
    }
    GoldDesign d = design == Design.STRATIFIED
        ? new GoldDesign("stratified", GoldDesign.ANY_POSITIVE, Map.of(GoldDesign.TOTAL, budget), 4,
            GoldDesign.BY_WEIGHT, panel.perItem(), 0, 0.8, OptionalLong.empty(), ReviewAllocation.OPTIMAL)
        : new GoldDesign(GoldDesign.ACTIVE, null, Map.of(GoldDesign.ACTIVE, budget), 1, GoldDesign.BY_WEIGHT,
            panel.perItem(), 0, 0.8, OptionalLong.empty(), Double.NaN);
    ReviewPanel stated = panel.exact() ? null
        : ReviewPanel.stated(panel.sensitivity(), panel.specificity(), panel.perItem());
    ReviewPlan.Request request = new ReviewPlan.Request(sample, labels, d, budget, pilot, null, 0.95, stated);
    double half;
    double designPart;
    double ratersPart;
    double v1;
    if (design == Design.STRATIFIED) {
      ReviewPlan.Width w = ReviewPlan.run(request).chosen().widths().get(0);
      half = w.halfWidth();
      designPart = w.designHalfWidth();
      ratersPart = w.ratersHalfWidth();
      v1 = w.phase1();
    } else {
      ActiveReviewPlan.Width w = ActiveReviewPlan.run(request).widths().get(0);
      half = w.halfWidth();
      designPart = w.designHalfWidth();
      ratersPart = w.ratersHalfWidth();
      v1 = w.phase1();
    }
    Queue queue = QueueExport.draw(new QueueExport.Request(sample, labels, d, List.of(), null, false, rng.nextLong(),
        dir.resolve("queue"), "plan-accuracy", k -> Optional.empty(), pilot, null)).queue();
    List<SimulatedPanel.Reviewed> reviewed = new ArrayList<>();
    for (Queue.Item it : queue.items()) {
      if (it.honeypot()) {
        continue;
      }
      int j = p1.indexOf(it.unit()).getAsInt();
      // the unit's weight in the error model's prior as queue import passes it: m·d1, over π2 in an active review
      double weight = p1.exposure(j) * p1.designWeight(j) / (design == Design.ACTIVE ? it.pi() : 1);
      reviewed.add(new SimulatedPanel.Reviewed(it.unit(), population.y[phase1.index().get(j)], it.stratum(), it.pi(),
          weight));
    }
    List<GoldUnit> gold = panel.gold(reviewed, rng);
    TwoPhaseSample s = TwoPhaseSample.of(p1, phase1.llm(), f, gold);
    Corrected c = Calibration.estimateOnly(s, design == Design.STRATIFIED ? CorrectedEstimator.HUMAN_ONLY
        : CorrectedEstimator.ACTIVE_AIPW, KG);
    t.reps++;
    t.planned += half;
    t.plannedDesign += designPart;
    t.plannedRaters += ratersPart;
    t.reviews += reviewed.size();
    if (c instanceof Corrected.Estimated e) {
      double realized = (e.interval().upper() - e.interval().lower()) / 2;
      t.estimated++;
      t.realized += realized;
      t.normal += 1.96 * e.se();
      t.sum += e.estimate();
      t.sumSq += e.estimate() * e.estimate();
      t.within += realized <= half ? 1 : 0;
      t.covered += e.interval().contains(population.target) ? 1 : 0;
      t.plannedV1 += v1;
      t.realizedV1 += e.details().get("variance_phase1");
      double z = dev.plumb.calibration.stats.BinomialInterval.z(0.95);
      t.plannedV2 += designPart * designPart / (z * z) - v1;
      t.realizedV2 += e.details().get("variance_phase2");
      if (design == Design.STRATIFIED) {
        kgGamma(s, t, false);
        // each weight class's id llm_negative/w3 written llm_negative#w3: a review stratum of its own
        kgGamma(TwoPhaseSample.of(p1, phase1.llm(), f, gold.stream().map(g -> new GoldUnit(g.unit(), g.positive(),
            g.stratum().replace("/w", "#w"), g.pi(), g.probability(), g.replicates(), g.noise())).toList()), t, true);
      }
    }
  }

  /** Adds human-only's kg-gamma interval on {@code s} to {@code t}'s kg-gamma sums ({@code perClass}: the old rule's). */
  private void kgGamma(TwoPhaseSample s, Tally t, boolean perClass) {
    if (Calibration.estimateOnly(s, CorrectedEstimator.HUMAN_ONLY, CalibrationOptions.defaults())
        instanceof Corrected.Estimated e) {
      double half = (e.interval().upper() - e.interval().lower()) / 2;
      int covered = e.interval().contains(population.target) ? 1 : 0;
      int switched = dev.plumb.calibration.stats.GammaInterval.LABEL.equals(e.interval().method()) ? 1 : 0;
      if (perClass) {
        t.perClassHalf += half;
        t.perClassCovered += covered;
        t.perClassSwitched += switched;
      } else {
        t.kgGammaHalf += half;
        t.kgGammaCovered += covered;
        t.kgGammaSwitched += switched;
      }
    }
  }

  /**
   * sample.jsonl (exposure, the priority draw's π1, policy a's risk score: the classifier's score, or with
   * {@link Rates#CALIBRATED} the true P(violating | score)), its manifest and labels.jsonl (the LLM's call at score
   * ≥ ½, the classifier's score as its probability of a positive); {@code f} gets each sampled unit's probability of a
   * positive, which active AIPW reads.
   */
  private void write(SimulatedPopulation.Phase1 phase1, Rates rates, double[] f, Path sample, Path labels) {
    DesignSample p1 = phase1.sample();
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int j = 0; j < PHASE1; j++) {
      int i = phase1.index().get(j);
      String id = p1.units().get(j).id();
      double score = population.score[i];
      f[j] = score;
      boolean positive = phase1.llm()[j] == 1;
      s.append(String.format(Locale.ROOT, "{\"id\":\"%s\",\"weight\":%s,\"components\":[{\"id\":\"q\",\"kind\":"
          + "\"query\",\"text\":\"t\"}],\"design\":{\"stratum\":\"all\",\"pi\":%s},\"scores\":{\"a\":%s}}%n", id,
          population.m[i], 1 / p1.designWeight(j), rates == Rates.CALIBRATED ? calibrated(score) : score));
      l.append(String.format(Locale.ROOT, "{\"unit\":\"%s\",\"policy\":\"%s\",\"decision\":\"%s\",\"positive\":%s,"
          + "\"confidence\":%s,\"status\":\"ok\"}%n", id, POLICY, positive ? "violating" : "safe", positive,
          positive ? score : 1 - score));
    }
    try {
      Files.writeString(sample, s);
      Files.writeString(sample.resolveSibling("sample.json"), String.format(Locale.ROOT, "{\"format\":"
          + "\"plumb.sample/1\",\"design\":{\"type\":\"priority\"},\"strata\":[{\"id\":\"all\",\"units\":%d,\"n\":%d}]}",
          POPULATION, PHASE1));
      Files.writeString(labels, l);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * P(violating | score) in {@link SimulatedPopulation}: its logit score is N(1.5, 1.5²) for a violation and
   * N(−3, 1.2²) otherwise, mixed at the scenario's prevalence.
   */
  private double calibrated(double score) {
    double x = Math.log(score / (1 - score));
    double violating = prevalence * Math.exp(-0.5 * Math.pow((x - 1.5) / 1.5, 2)) / 1.5;
    double clean = (1 - prevalence) * Math.exp(-0.5 * Math.pow((x + 3.0) / 1.2, 2)) / 1.2;
    return violating / (violating + clean);
  }

  /** The pilot's gold.jsonl: a simple random review of each LLM stratum, the truth as its gold. */
  private void writePilot(SimulatedPopulation.Phase1 phase1, SplittableRandom rng, Path pilot) {
    StringBuilder g = new StringBuilder();
    phase1.strata().forEach((stratum, members) -> {
      int[] a = members.stream().mapToInt(Integer::intValue).toArray();
      int take = Math.min(a.length, stratum.equals("llm_positive") ? PILOT_POSITIVE : PILOT_NEGATIVE);
      for (int k = 0; k < take; k++) {
        int swap = k + rng.nextInt(a.length - k);
        int tmp = a[k];
        a[k] = a[swap];
        a[swap] = tmp;
        boolean y = population.y[phase1.index().get(a[k])];
        g.append(String.format(Locale.ROOT, "{\"unit\":\"%s\",\"policy\":\"%s\",\"decision\":\"%s\",\"positive\":%s,"
            + "\"phase2\":{\"stratum\":\"%s\",\"pi\":%s}}%n", phase1.sample().units().get(a[k]).id(), POLICY,
            y ? "violating" : "safe", y, stratum, take / (double) a.length));
      }
    });
    try {
      Files.writeString(pilot, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The table's header line. */
  static String header() {
    return String.format(Locale.ROOT, "%-10s %-18s %-19s %-13s %5s %7s %9s %9s %9s %9s %9s %9s %8s %11s %8s %8s %8s %8s%n",
        "prevalence", "q from", "design", "gold", "reps", "reviews", "planned", "(design", "raters)", "realized",
        "1.96*SE", "1.96*SD", "plan/re", "plan/1.96SD", "re<=plan", "V1 p/re", "V2 p/re", "coverage");
  }

  /** One row (half-widths in percentage points). */
  static String row(double target, Rates rates, Design d, SimulatedPanel panel, Tally t) {
    return String.format(Locale.ROOT, "%-10s %-18s %-19s %-13s %5d %7.0f %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f %8.2f "
        + "%11.2f %8.2f %8.2f %8.2f %8.3f%n", String.format(Locale.ROOT, "%.3f%%", 100 * target), rates.label, d.label,
        panel.name(), t.reps, t.reviews / t.reps, 100 * t.meanPlanned(), 100 * t.plannedDesign / t.reps,
        100 * t.plannedRaters / t.reps, 100 * t.meanRealized(), 100 * t.normal / t.estimated, 100 * t.empirical(),
        t.overRealized(), t.overEmpirical(), t.atMostPlanned(), t.phase1Ratio(), t.phase2Ratio(), t.coverage());
  }

  /**
   * {@code bench/plan-accuracy.sh}: {@code args} = replicates per cell, budget, prevalences (default 100, 600,
   * 0.005 0.03); {@code -Dplumb.plan.designs}, {@code -Dplumb.plan.golds} and {@code -Dplumb.plan.rates}
   * (comma-separated: stratified,active; truth,symmetric; pilot,calibrated) pick cells.
   */
  public static void main(String[] args) throws IOException {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int budget = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    double[] prevalences = args.length > 2
        ? java.util.Arrays.stream(args, 2, args.length).mapToDouble(Double::parseDouble).toArray()
        : new double[] {0.005, 0.03};
    List<String> designs = List.of(System.getProperty("plumb.plan.designs", "stratified,active").split(","));
    List<String> golds = List.of(System.getProperty("plumb.plan.golds", "truth,symmetric").split(","));
    List<String> sources = List.of(System.getProperty("plumb.plan.rates", "pilot,calibrated").split(","));
    Path dir = Files.createTempDirectory("plan-accuracy");
    System.out.printf(Locale.ROOT, "population %,d (seed 11), priority phase 1 of %,d, pilot %d + %d (truth), budget %d,"
        + " %d replicates per cell; half-widths in points; V1, V2 p/re: planned V1, V2 / the estimates' variance_phase1, _phase2%n",
        POPULATION, PHASE1, PILOT_POSITIVE, PILOT_NEGATIVE, budget, reps);
    System.out.print(header());
    long seed = 2026;
    for (double p : prevalences) {
      PlanAccuracySimulation sim = new PlanAccuracySimulation(p, 11, dir);
      for (Rates rates : Rates.values()) {
        if (!sources.contains(rates.name().toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (Design d : Design.values()) {
          if (!designs.contains(d.name().toLowerCase(Locale.ROOT))) {
            continue;
          }
          for (SimulatedPanel panel : List.of(SimulatedPanel.EXACT, SimulatedPanel.of("symmetric 5%", 0.95, 0.95))) {
            if (!golds.contains(panel.name().split(" ")[0])) {
              continue;
            }
            long t0 = System.nanoTime();
            Tally t = sim.run(d, panel, rates, budget, reps, seed);
            System.out.print(row(sim.target(), rates, d, panel, t));
            System.err.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
            System.out.flush();
          }
        }
      }
    }
  }
}
