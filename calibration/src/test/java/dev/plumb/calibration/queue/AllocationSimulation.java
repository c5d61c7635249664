package dev.plumb.calibration.queue;

import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.GoldUnit;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The review-allocation simulation ({@code AllocationCoverageTest}, {@code bench/review-allocation.sh};
 * docs/calibration.md, "Allocating the review budget: the simulation").
 *
 * <p>Each replicate draws a fresh population of {@link #UNITS} LLM-labeled units (the phase-1 sample
 * is a census, so everything measured is the review's doing): exposure m = 1 + ⌊e^{N(0.5, 1.2)}⌋,
 * violations at the stated rate, a raw LLM logit r ~ N(1.666, 1.3) for violations and N(−3.349, 1.3)
 * otherwise, the LLM's call r ≥ 0 (sensitivity Φ(1.666/1.3) = 0.90, specificity Φ(3.349/1.3) = 0.995,
 * the numbers) and a calibrated risk score s = P(violating | r) by Bayes' rule. The target is
 * the population's exposure-weighted prevalence; the gold is the truth. The same {@link #BUDGET}
 * reviews are spent in each arm:
 *
 * <ul>
 *   <li>{@code srs}: a simple random review;
 *   <li>{@code fixed}: stratified by the LLM's call, half the budget to each stratum (the LLM-positives
 *       whole when they are fewer; the rest to the negatives);
 *   <li>{@code neyman}: the two strata × 4 weight classes on w·max(0.1, √(s(1−s))), sized by
 *       {@link ReviewAllocation#NEYMAN} from the scores (with one policy it is also {@code optimal}).
 * </ul>
 *
 * Each arm's human-only Korn–Graubard interval (plumb calibrate's headline) is checked against the
 * target. Labels relative to SRS for the same width are (mean width_srs / mean width_arm)²: the width
 * goes as 1/√n2 when the review dominates the variance, as it does here (the phase-1 census adds none).
 */
final class AllocationSimulation {
  static final int UNITS = 50_000;
  /** The smaller population of the test suite's run. */
  static final int TEST_UNITS = 20_000;
  static final int BUDGET = 1_000;
  static final List<String> ARMS = List.of("srs", "fixed", "neyman");
  private static final double MU1 = 1.666;
  private static final double MU0 = -3.349;
  private static final double SIGMA = 1.3;

  /** One arm's tally: coverage, mean width, mean gold positives. */
  static final class Tally {
    int reps;
    int covered;
    double width;
    double positives;

    double coverage() {
      return covered / (double) reps;
    }

    double meanWidth() {
      return width / reps;
    }
  }

  private AllocationSimulation() {}

  /** The arms' tallies at one prevalence over {@code reps} seeded replicates. */
  static Map<String, Tally> run(double prevalence, int reps, long seed) {
    return run(prevalence, reps, seed, UNITS);
  }

  /** The same with a population of {@code size} units. */
  static Map<String, Tally> run(double prevalence, int reps, long seed, int size) {
    Map<String, Tally> out = new LinkedHashMap<>();
    ARMS.forEach(a -> out.put(a, new Tally()));
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add("u" + i);
    }
    CalibrationOptions options = CalibrationOptions.defaults();
    double logitP = Math.log(prevalence / (1 - prevalence));
    for (int r = 0; r < reps; r++) {
      double[] m = new double[size];
      boolean[] y = new boolean[size];
      double[] llm = new double[size];
      double[] score = new double[size];
      double num = 0;
      double den = 0;
      List<SampledUnit> units = new ArrayList<>(size);
      Map<String, List<Integer>> members = new LinkedHashMap<>();
      members.put(GoldDesign.POSITIVE, new ArrayList<>());
      members.put(GoldDesign.NEGATIVE, new ArrayList<>());
      for (int i = 0; i < size; i++) {
        m[i] = 1 + Math.floor(Math.exp(0.5 + 1.2 * rng.nextGaussian()));
        y[i] = rng.nextDouble() < prevalence;
        double raw = (y[i] ? MU1 : MU0) + SIGMA * rng.nextGaussian();
        llm[i] = raw >= 0 ? 1 : 0;
        // log likelihood ratio of two normals with a common σ
        double llr = ((MU1 - MU0) * raw - (MU1 * MU1 - MU0 * MU0) / 2) / (SIGMA * SIGMA);
        score[i] = 1 / (1 + Math.exp(-(logitP + llr)));
        num += y[i] ? m[i] : 0;
        den += m[i];
        units.add(SampledUnit.of(ids.get(i), m[i], new Inclusion.WithoutReplacement("all", 1)));
        members.get(llm[i] == 1 ? GoldDesign.POSITIVE : GoldDesign.NEGATIVE).add(i);
      }
      double target = num / den;
      DesignSample p1 = DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", size, 0, size)));
      long h = UnitRandom.hash(r, QueueExport.ORDER);
      for (String arm : ARMS) {
        QueueExport.Phase2 drawn = draw(arm, members, m, score, p1, ids, h);
        List<GoldUnit> gold = new ArrayList<>();
        int positives = 0;
        for (int j : drawn.chosen()) {
          Queue.Stratum st = drawn.stratumOf().get(j);
          gold.add(new GoldUnit(ids.get(j), y[j], st.id(), st.pi()));
          positives += y[j] ? 1 : 0;
        }
        Corrected c = Calibration.estimateOnly(TwoPhaseSample.of(p1, llm, gold), CorrectedEstimator.HUMAN_ONLY, options);
        Interval ci = c instanceof Corrected.Estimated x ? x.interval()
            : c instanceof Corrected.UpperBound u ? u.bound() : null;
        Tally t = out.get(arm);
        t.reps++;
        t.positives += positives;
        if (ci != null) {
          t.covered += ci.contains(target) ? 1 : 0;
          t.width += ci.upper() - ci.lower();
        }
      }
    }
    return out;
  }

  private static QueueExport.Phase2 draw(String arm, Map<String, List<Integer>> members, double[] m, double[] score,
      DesignSample p1, List<String> ids, long h) {
    Map<String, List<Integer>> copy = new LinkedHashMap<>();
    members.forEach((s, list) -> copy.put(s, new ArrayList<>(list)));
    switch (arm) {
      case "srs" -> {
        List<Integer> all = new ArrayList<>();
        copy.values().forEach(all::addAll);
        all.sort(Integer::compare);
        return QueueExport.phase2(Map.of("all", all), Map.of("all", BUDGET), 1, null, ids, h);
      }
      case "fixed" -> {
        int pos = Math.min(BUDGET / 2, copy.get(GoldDesign.POSITIVE).size());
        return QueueExport.phase2(copy, Map.of(GoldDesign.POSITIVE, pos, GoldDesign.NEGATIVE, BUDGET - pos), 1, null,
            ids, h);
      }
      default -> {
        int size = m.length;
        int[] at = new int[size];
        double[] basis = new double[size];
        for (int i = 0; i < size; i++) {
          at[i] = i;
          basis[i] = m[i] * Math.max(QueueExport.MIN_SCORE_SD, Math.sqrt(score[i] * (1 - score[i])));
        }
        ReviewPlan.Layout layout = ReviewPlan.layout(p1, at, copy, basis, 4, List.of("p"), new double[][] {score},
            BUDGET, "n", "scores");
        return QueueExport.phase2(layout.parts(), layout.budgets(ReviewAllocation.NEYMAN), 1, null, ids, h);
      }
    }
  }

  /** The benchmark table: {@code main(reps)} at 0.1%, 0.3%, 1% and 3%. */
  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    System.out.printf(Locale.ROOT, "%d units (phase 1 a census), %d reviews per arm, %d replicates per prevalence%n",
        UNITS, BUDGET, reps);
    System.out.printf(Locale.ROOT, "%-10s %-7s %8s %10s %9s %14s%n", "prevalence", "arm", "coverage", "mean width",
        "gold pos", "x fewer labels");
    for (double p : new double[] {0.001, 0.003, 0.01, 0.03}) {
      long t0 = System.nanoTime();
      Map<String, Tally> t = run(p, reps, 7);
      double srs = t.get("srs").meanWidth();
      t.forEach((arm, x) -> System.out.printf(Locale.ROOT, "%-10s %-7s %8.3f %10.5f %9.1f %14.2f%n",
          String.format(Locale.ROOT, "%.1f%%", p * 100), arm, x.coverage(), x.meanWidth(), x.positives / x.reps,
          Math.pow(srs / x.meanWidth(), 2)));
      System.out.printf(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }
  }
}
