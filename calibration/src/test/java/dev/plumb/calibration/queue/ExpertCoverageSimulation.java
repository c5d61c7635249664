package dev.plumb.calibration.queue;

import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.ExpertPhase;
import dev.plumb.calibration.corrected.GoldUnit;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.calibration.synthetic.SimulatedPopulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The expert tier against the TRUE prevalence (docs/calibration.md, "Expert gold: a third phase"): the
 * population, priority phase 1 and stratified review of the gold-error simulation (40 000 units,
 * Zipf-like exposure, a ranking score, 2 000 in phase 1, review 300 {@code llm_positive} + 600 {@code
 * llm_negative}), three vendor raters per item who err, gold by their majority; then every
 * consensus-positive unit and a share of the consensus-negatives of each review stratum go to an exact
 * expert (SRS within each review stratum × consensus cell, at least 2 per cell), and {@link ExpertPhase}
 * turns the answers into the gold the estimators use.
 *
 * <p>Run it as {@code bench/expert-coverage.sh [REPS]}; {@link ExpertCoverageTest} runs a small version.
 */
public final class ExpertCoverageSimulation {

  /** Vendor raters with this sensitivity and specificity; experts are exact. */
  public record Scenario(String name, double prevalence, double sensitivity, double specificity, double share) {}

  /** What a row of the table shows. */
  public static final class Tally {
    int runs;
    int covered;
    double sumEstimate;
    double sumWidth;
    double sumExperts;

    public double coverage() {
      return covered / (double) runs;
    }

    public double relativeBias(double target) {
      return sumEstimate / runs / target - 1;
    }

    public double meanWidth() {
      return sumWidth / runs;
    }

    public double meanExperts() {
      return sumExperts / runs;
    }
  }

  static final List<String> ARMS = List.of("truth / human-only KG", "majority / human-only KG", "expert / human-only KG",
      "expert / double-sampling KG", "expert / ppi++ KG",
      "truth / human-only MOVER-Wilson", "expert / human-only MOVER-Wilson");

  private static final int POPULATION = 40_000;
  private static final int PHASE1 = 2_000;
  private static final int REVIEW_POSITIVE = 300;
  private static final int REVIEW_NEGATIVE = 600;
  private static final int RATERS = 6;
  private static final int PER_ITEM = 3;

  private final Scenario scenario;
  private final SimulatedPopulation population;
  final double target;

  ExpertCoverageSimulation(Scenario scenario, long populationSeed) {
    this.scenario = scenario;
    population = new SimulatedPopulation(POPULATION, scenario.prevalence(), populationSeed);
    target = population.target;
  }

  Map<String, Tally> run(int reps, long seed) {
    Map<String, Tally> out = new LinkedHashMap<>();
    ARMS.forEach(a -> out.put(a, new Tally()));
    SplittableRandom rng = new SplittableRandom(seed);
    CalibrationOptions kg = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    CalibrationOptions mw = new CalibrationOptions(0.95, IntervalMethod.MOVER_WILSON, false, 50);
    for (int r = 0; r < reps; r++) {
      Replicate rep = replicate(rng.split());
      TwoPhaseSample majority = TwoPhaseSample.of(rep.sample, rep.llm, rep.majority);
      TwoPhaseSample expert = TwoPhaseSample.of(rep.sample, rep.llm, rep.expert);
      TwoPhaseSample exact = TwoPhaseSample.of(rep.sample, rep.llm, rep.truth);
      add(out.get(ARMS.get(0)), Calibration.estimateOnly(exact, CorrectedEstimator.HUMAN_ONLY, kg), rep.experts);
      add(out.get(ARMS.get(1)), Calibration.estimateOnly(majority, CorrectedEstimator.HUMAN_ONLY, kg), rep.experts);
      add(out.get(ARMS.get(2)), Calibration.estimateOnly(expert, CorrectedEstimator.HUMAN_ONLY, kg), rep.experts);
      add(out.get(ARMS.get(3)), Calibration.estimateOnly(expert, CorrectedEstimator.DOUBLE_SAMPLING, kg), rep.experts);
      add(out.get(ARMS.get(4)), Calibration.estimateOnly(expert, CorrectedEstimator.PPI_PLUS_PLUS, kg), rep.experts);
      add(out.get(ARMS.get(5)), Calibration.estimateOnly(exact, CorrectedEstimator.HUMAN_ONLY, mw), rep.experts);
      add(out.get(ARMS.get(6)), Calibration.estimateOnly(expert, CorrectedEstimator.HUMAN_ONLY, mw), rep.experts);
    }
    return out;
  }

  private void add(Tally t, Corrected c, int experts) {
    t.runs++;
    t.sumExperts += experts;
    Interval ci;
    double estimate;
    if (c instanceof Corrected.Estimated e) {
      ci = e.interval();
      estimate = e.estimate();
    } else if (c instanceof Corrected.UpperBound u) {
      ci = u.bound();
      estimate = u.estimate();
    } else {
      return; // not estimable: a miss, so an arm cannot look good by giving up
    }
    t.covered += ci.contains(target) ? 1 : 0;
    t.sumEstimate += estimate;
    t.sumWidth += ci.upper() - ci.lower();
  }

  private record Replicate(DesignSample sample, double[] llm, List<GoldUnit> truth, List<GoldUnit> majority,
      List<GoldUnit> expert, int experts) {}

  private Replicate replicate(SplittableRandom rng) {
    SimulatedPopulation.Phase1 phase1 = population.priority(PHASE1, rng);
    DesignSample sample = phase1.sample();
    List<Integer> index = phase1.index();
    double[] llm = phase1.llm();
    Map<String, List<Integer>> strata = phase1.strata();
    // phase 2: SRS within each LLM stratum, three vendor raters per item, gold by their majority
    List<GoldUnit> exact = new ArrayList<>();
    List<GoldUnit> majority = new ArrayList<>();
    Map<String, Boolean> truth = new HashMap<>();
    Map<String, List<String>> cells = new TreeMap<>();
    Map<String, String> cellOf = new HashMap<>();
    for (Map.Entry<String, List<Integer>> st : strata.entrySet()) {
      int want = st.getKey().equals("llm_positive") ? REVIEW_POSITIVE : REVIEW_NEGATIVE;
      {
        Map.Entry<String, List<Integer>> cls = st;
        List<Integer> members = new ArrayList<>(st.getValue());
        int take = Math.min(want, members.size());
        shuffle(members, take, rng);
        for (int k = 0; k < take; k++) {
          int i = index.get(members.get(k));
          String id = "u" + i;
          int yes = 0;
          for (int a = 0; a < PER_ITEM; a++) {
            boolean right = rng.nextDouble() < (population.y[i] ? scenario.sensitivity() : scenario.specificity());
            yes += right == population.y[i] ? 1 : 0;
          }
          boolean call = 2 * yes > PER_ITEM;
          double pi2 = take / (double) members.size();
          majority.add(new GoldUnit(id, call, cls.getKey(), pi2));
          exact.add(new GoldUnit(id, population.y[i], cls.getKey(), pi2));
          truth.put(id, population.y[i]);
          String cell = ExpertPhase.cell(cls.getKey(), call);
          cells.computeIfAbsent(cell, c -> new ArrayList<>()).add(id);
          cellOf.put(id, cell);
        }
      }
    }
    // phase 3: every consensus-positive, a share of the consensus-negatives, SRS within each cell
    Map<String, Double> expert = new HashMap<>();
    for (Map.Entry<String, List<String>> c : cells.entrySet()) {
      List<String> members = c.getValue();
      int take = c.getKey().endsWith(ExpertPhase.POSITIVE) ? members.size()
          : Math.min(members.size(), Math.max(2, (int) Math.ceil(scenario.share() * members.size())));
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < members.size(); k++) {
        order.add(k);
      }
      shuffle(order, take, rng);
      for (int k = 0; k < take; k++) {
        String id = members.get(order.get(k));
        expert.put(id, truth.get(id) ? 1.0 : 0.0);
      }
    }
    Map<String, Double> weight = new HashMap<>();
    for (int j = 0; j < PHASE1; j++) {
      weight.put("u" + index.get(j), sample.exposure(j) * sample.designWeight(j));
    }
    List<GoldUnit> withExperts = ExpertPhase.apply(majority, cellOf, expert, weight::get, rng.nextLong());
    return new Replicate(sample, llm, exact, majority, withExperts, expert.size());
  }

  /** Moves a simple random sample of {@code take} elements to the front. */
  private static void shuffle(List<Integer> list, int take, SplittableRandom rng) {
    for (int k = 0; k < take; k++) {
      int swap = k + rng.nextInt(list.size() - k);
      Integer tmp = list.get(k);
      list.set(k, list.get(swap));
      list.set(swap, tmp);
    }
  }

  static List<Scenario> scenarios() {
    List<Scenario> out = new ArrayList<>();
    for (double p : new double[] {0.001, 0.005, 0.03}) {
      out.add(new Scenario("symmetric 5%", p, 0.95, 0.95, 0.2));
      out.add(new Scenario("asymmetric 2%/15%", p, 0.85, 0.98, 0.2));
    }
    return out;
  }

  /** {@code bench/expert-coverage.sh [REPS]}: the coverage table as Markdown. */
  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    System.out.printf(Locale.ROOT, "%d replicates per scenario; population seed 11, replicate seed 2026%n%n", reps);
    System.out.println("| prevalence | vendor raters | expert share of negatives | truth | gold / estimator / interval"
        + " | coverage | relative bias | mean width (points) | expert reviews |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Scenario s : scenarios()) {
      if (args.length > 1 && !(s.name() + " " + s.prevalence()).contains(args[1])) {
        continue;
      }
      long start = System.nanoTime();
      ExpertCoverageSimulation sim = new ExpertCoverageSimulation(s, 11);
      Map<String, Tally> t = sim.run(reps, Long.getLong("plumb.expert.seed", 2026));
      for (Map.Entry<String, Tally> e : t.entrySet()) {
        System.out.printf(Locale.ROOT, "| %.1f%% | %s | %.1f | %.4f%% | %s | %.3f | %+.1f%% | %.3f | %.0f |%n",
            100 * s.prevalence(), s.name(), s.share(), 100 * sim.target, e.getKey(), e.getValue().coverage(),
            100 * e.getValue().relativeBias(sim.target), 100 * e.getValue().meanWidth(), e.getValue().meanExperts());
      }
      System.err.printf(Locale.ROOT, "%s at %.1f%%: %.0f s%n", s.name(), 100 * s.prevalence(),
          (System.nanoTime() - start) / 1e9);
    }
  }
}
