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
import dev.plumb.calibration.estimate.IntervalMethod;
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
 *   <li>{@code sequential}: the same allocation reached in {@link #ROUNDS} rounds
 *       ({@link SequentialReview}), stopping at the first look whose interval, at the α-spending level
 *       of that look, has a relative half-width of at most {@link #TARGET}; {@code seq-naive} the same
 *       rule with the unadjusted 95% interval at every look.
 * </ul>
 *
 * Each arm's human-only MOVER-Wilson interval ({@link #options}) is checked against the target. "× fewer labels" is the SRS review size that would give the arm's mean width,
 * (mean width_srs / mean width_arm)²·budget, over the labels the arm used: the width goes as 1/√n2 when
 * the review dominates the variance, as it does here (the phase-1 census adds none).
 */
final class AllocationSimulation {
  static final int UNITS = 20_000;
  /** The smaller population of the test suite's run. */
  static final int TEST_UNITS = 20_000;
  static final int BUDGET = 1_000;
  static final List<String> ARMS = List.of("srs", "fixed", "neyman", "sequential", "seq-naive");
  /** Sequential arms: rounds towards the Neyman allocation of the budget, and the relative half-width to stop at. */
  static final int ROUNDS = 4;
  static final double TARGET = 0.4;
  private static final double MU1 = 1.666;
  private static final double MU0 = -3.349;
  private static final double SIGMA = 1.3;

  /** One arm's tally: coverage, mean width, mean gold positives. */
  static final class Tally {
    int reps;
    int covered;
    double width;
    double labels;
    double positives;

    double coverage() {
      return covered / (double) reps;
    }

    double meanWidth() {
      return width / reps;
    }

    double meanLabels() {
      return labels / reps;
    }

    /** SRS labels for this arm's mean width, (w_srs/w)²·budget, over the labels this arm used. */
    double fewer(Tally srs) {
      return Math.pow(srs.meanWidth() / meanWidth(), 2) * srs.meanLabels() / meanLabels();
    }
  }

  private AllocationSimulation() {}

  /** The arms' tallies at one prevalence over {@code reps} seeded replicates. */
  static Map<String, Tally> run(double prevalence, int reps, long seed) {
    return run(prevalence, reps, seed, UNITS);
  }

  /** The same with a population of {@code size} units. */
  static Map<String, Tally> run(double prevalence, int reps, long seed, int size) {
    return run(prevalence, reps, seed, size, ARMS);
  }

  /** The same for some of the {@link #ARMS}, MOVER-Wilson. */
  static Map<String, Tally> run(double prevalence, int reps, long seed, int size, List<String> arms) {
    return run(prevalence, reps, seed, size, arms, IntervalMethod.MOVER_WILSON);
  }

  /** The same with another human-only interval. */
  static Map<String, Tally> run(double prevalence, int reps, long seed, int size, List<String> arms,
      IntervalMethod interval) {
    Map<String, Tally> out = new LinkedHashMap<>();
    arms.forEach(a -> out.put(a, new Tally()));
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add("u" + i);
    }
    double logitP = Math.log(prevalence / (1 - prevalence));
    for (int r = 0; r < reps; r++) {
      Population pop = population(rng, prevalence, logitP, ids);
      long h = UnitRandom.hash(r, QueueExport.ORDER);
      for (String arm : arms) {
        Tally t = out.get(arm);
        if (arm.startsWith("seq")) {
          sequential(pop, ids, h, arm.equals("sequential"), interval, t);
          continue;
        }
        tally(pop, ids, draw(arm, pop, ids, h), options(0.95, interval), t);
      }
    }
    return out;
  }

  /**
   * Reviews in {@link #ROUNDS} rounds towards the Neyman allocation of {@link #BUDGET}, stopping at
   * the first look whose interval's relative half-width is at most {@link #TARGET}: with
   * {@code spending} each look's level is {@link SequentialReview#level}; without, 95% at every look
   * (the naive rule the spending corrects).
   */
  static void sequential(Population pop, List<String> ids, long h, boolean spending, IntervalMethod interval, Tally t) {
    ReviewPlan.Layout layout = neyman(pop, BUDGET);
    int[] finalN = layout.budgets(ReviewAllocation.NEYMAN).values().stream().mapToInt(Integer::intValue).toArray();
    for (int k = 1; k <= ROUNDS; k++) {
      int[] cum = SequentialReview.cumulative(finalN, k, ROUNDS);
      Map<String, Integer> budgets = new LinkedHashMap<>();
      int g = 0;
      for (String id : layout.parts().keySet()) {
        budgets.put(id, cum[g++]);
      }
      Map<String, List<Integer>> parts = new LinkedHashMap<>();
      layout.parts().forEach((id, list) -> parts.put(id, new ArrayList<>(list)));
      QueueExport.Phase2 drawn = QueueExport.phase2(parts, budgets, 1, null, ids, h);
      double level = spending ? SequentialReview.level(0.95, k, ROUNDS) : 0.95;
      CalibrationOptions options = options(level, interval);
      Corrected c = estimate(pop, ids, drawn, options);
      boolean met = c instanceof Corrected.Estimated x && (x.interval().upper() - x.interval().lower()) / 2
          <= TARGET * x.estimate();
      if (met || k == ROUNDS) {
        tally(pop, ids, drawn, options, t);
        return;
      }
    }
  }

  /**
   * Human-only with the MOVER-Wilson interval ({@code --interval mover-wilson}, the demo's): a review
   * class whose reviews hold no violation still bounds what it may hide, which a Neyman allocation
   * needs — it reviews the cleared units lightly, and Korn–Graubard treated their unseen misses as
   * known to be absent (coverage 0.60 at 0.3% in a first run).
   */
  static CalibrationOptions options(double level, IntervalMethod interval) {
    return new CalibrationOptions(level, interval, false, 50);
  }

  private static Corrected estimate(Population pop, List<String> ids, QueueExport.Phase2 drawn,
      CalibrationOptions options) {
    List<GoldUnit> gold = new ArrayList<>();
    for (int j : drawn.chosen()) {
      Queue.Stratum st = drawn.stratumOf().get(j);
      gold.add(new GoldUnit(ids.get(j), pop.y()[j], st.id(), st.pi()));
    }
    return Calibration.estimateOnly(TwoPhaseSample.of(pop.p1(), pop.llm(), gold), CorrectedEstimator.HUMAN_ONLY, options);
  }

  private static void tally(Population pop, List<String> ids, QueueExport.Phase2 drawn, CalibrationOptions options,
      Tally t) {
    Corrected c = estimate(pop, ids, drawn, options);
    Interval ci = c instanceof Corrected.Estimated x ? x.interval()
        : c instanceof Corrected.UpperBound u ? u.bound() : null;
    t.reps++;
    t.labels += drawn.chosen().size();
    for (int j : drawn.chosen()) {
      t.positives += pop.y()[j] ? 1 : 0;
    }
    if (ci != null) {
      t.covered += ci.contains(pop.target()) ? 1 : 0;
      t.width += ci.upper() - ci.lower();
    }
  }

  /** One replicate's population: exposure, truth, LLM call, calibrated score, target, LLM strata, the census. */
  record Population(double[] m, boolean[] y, double[] llm, double[] score, double target,
      Map<String, List<Integer>> members, DesignSample p1) {}

  /** A fresh population of {@code ids.size()} units (see the class comment). */
  static Population population(SplittableRandom rng, double prevalence, double logitP, List<String> ids) {
    int size = ids.size();
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
    DesignSample p1 = DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", size, 0, size)));
    return new Population(m, y, llm, score, num / den, members, p1);
  }

  /** The Neyman layout of {@code budget} reviews over the LLM strata × 4 weight classes (weight × score sd). */
  static ReviewPlan.Layout neyman(Population pop, int budget) {
    int size = pop.m().length;
    int[] at = new int[size];
    double[] basis = new double[size];
    for (int i = 0; i < size; i++) {
      at[i] = i;
      double s = pop.score()[i];
      basis[i] = pop.m()[i] * Math.max(QueueExport.MIN_SCORE_SD, Math.sqrt(s * (1 - s)));
    }
    Map<String, List<Integer>> copy = new LinkedHashMap<>();
    pop.members().forEach((k, list) -> copy.put(k, new ArrayList<>(list)));
    return ReviewPlan.layout(pop.p1(), at, copy, basis, 4, List.of("p"), new double[][] {pop.score()}, budget, "n",
        "scores");
  }

  private static QueueExport.Phase2 draw(String arm, Population pop, List<String> ids, long h) {
    Map<String, List<Integer>> copy = new LinkedHashMap<>();
    pop.members().forEach((s, list) -> copy.put(s, new ArrayList<>(list)));
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
        ReviewPlan.Layout layout = neyman(pop, BUDGET);
        return QueueExport.phase2(layout.parts(), layout.budgets(ReviewAllocation.NEYMAN), 1, null, ids, h);
      }
    }
  }

  /**
   * The benchmark table: {@code main(reps)} at 0.1%, 0.3%, 1% and 3%; each prevalence's rows are also
   * appended to the file {@code -Dplumb.allocation.out} names, as soon as they are done.
   */
  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    print(String.format(Locale.ROOT, "%d units (phase 1 a census), %d reviews per arm, %d replicates per prevalence,"
        + " human-only MOVER-Wilson; sequential: %d rounds, stop at +-%.0f%%%n", UNITS, BUDGET, reps, ROUNDS, 100 * TARGET));
    print(String.format(Locale.ROOT, "%-10s %-10s %8s %10s %7s %9s %14s%n", "prevalence", "arm", "coverage",
        "mean width", "labels", "gold pos", "x fewer labels"));
    for (double p : new double[] {0.001, 0.003, 0.01, 0.03}) {
      long t0 = System.nanoTime();
      Map<String, Tally> t = run(p, reps, 7);
      Tally srs = t.get("srs");
      StringBuilder rows = new StringBuilder();
      t.forEach((arm, x) -> rows.append(String.format(Locale.ROOT, "%-10s %-10s %8.3f %10.5f %7.0f %9.1f %14.2f%n",
          String.format(Locale.ROOT, "%.1f%%", p * 100), arm, x.coverage(), x.meanWidth(), x.meanLabels(),
          x.positives / x.reps, x.fewer(srs))));
      rows.append(String.format(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - t0) / 1e9));
      print(rows.toString());
    }
  }

  private static void print(String text) {
    System.out.print(text);
    String file = System.getProperty("plumb.allocation.out");
    if (file != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), text, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
