package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.calibration.review.UnitConsensus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded simulation of the whole chain, design-based: one fixed population per scenario
 * (exposure, true violation, ML risk score, the LLM's call with sensitivity/specificity that vary by
 * score band), then repeatedly: risk-score sampling (phase 1), a review subsample (phase 2, SRS or
 * stratified by the LLM call), three noisy raters per reviewed unit and majority consensus, and every
 * corrected estimator.
 *
 * <p>The target is the prevalence the gold process measures, Σ m_i q(y_i)/Σ m_i with q(1) and q(0)
 * the probabilities that the three raters' majority calls a violating / non-violating unit
 * positive: rater noise is part of what gold is, and no estimator can remove it (docs/calibration.md).
 * {@code -Dplumb.simulation.reps=N} runs more replicates (default 500 per scenario).
 */
class SimulationTest {
  private static final int REPS = Integer.getInteger("plumb.simulation.reps", 500);
  /** A rater calls a violating unit positive with this probability, a non-violating one with the next. */
  private static final double RATER_SE = 0.92;
  private static final double RATER_FP = 0.004;
  private static final double SCORE_POS = Double.parseDouble(System.getProperty("plumb.simulation.score", "3.0"));

  enum Phase1 { SCORE_STRATA, POISSON_PPS }

  enum Phase2 { SRS, BY_LLM }

  record Scenario(double prevalence, Phase1 phase1, Phase2 phase2, long seed) {}

  /** The fixed population. */
  static final class Population {
    final int n;
    final double[] m;
    final boolean[] y;
    final double[] score;
    final int[] band;
    final double[] llm;
    final double target;
    /** Units per score band, and Poisson inclusion probabilities, computed once. */
    final int[][] members = new int[3][];
    final double[] poissonPi;

    Population(double prevalence, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      n = 120_000;
      m = new double[n];
      y = new boolean[n];
      score = new double[n];
      band = new int[n];
      llm = new double[n];
      // The LLM is better on high-score content: (Se, Sp) per score band.
      double[][] acc = {{0.60, 0.995}, {0.80, 0.97}, {0.92, 0.85}};
      double q1 = majority(RATER_SE);
      double q0 = majority(RATER_FP);
      double num = 0;
      double den = 0;
      for (int i = 0; i < n; i++) {
        m[i] = 1 + Math.floor(Math.exp(rng.nextGaussian() * 1.0 + 1.0));
        y[i] = rng.nextDouble() < prevalence;
        double logit = (y[i] ? SCORE_POS : -2.5) + 1.0 * rng.nextGaussian();
        score[i] = 1 / (1 + Math.exp(-logit));
        band[i] = score[i] < 0.2 ? 0 : score[i] < 0.6 ? 1 : 2;
        double p = y[i] ? acc[band[i]][0] : 1 - acc[band[i]][1];
        llm[i] = rng.nextDouble() < p ? 1 : 0;
        num += m[i] * (y[i] ? q1 : q0);
        den += m[i];
      }
      target = num / den;
      for (int h = 0; h < 3; h++) {
        final int band0 = h;
        members[h] = java.util.stream.IntStream.range(0, n).filter(i -> band[i] == band0).toArray();
      }
      // Poisson PPS on size = exposure^0.5 × (0.02 + score), scaled to an expected 1200 units.
      poissonPi = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        poissonPi[i] = Math.sqrt(m[i]) * (0.02 + score[i]);
        total += poissonPi[i];
      }
      for (int i = 0; i < n; i++) {
        poissonPi[i] = Math.min(1, 1200 * poissonPi[i] / total);
      }
    }

    private static double majority(double p) {
      return 3 * p * p * (1 - p) + p * p * p;
    }
  }

  private static final class Rep {
    DesignSample sample;
    int[] unit; // population index per sample position
  }

  private static Rep phase1(Population pop, Phase1 design, SplittableRandom rng) {
    List<SampledUnit> units = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    List<Stratum> strata = new ArrayList<>();
    if (design == Phase1.SCORE_STRATA) {
      int[] alloc = {400, 400, 400};
      for (int h = 0; h < 3; h++) {
        int[] members = pop.members[h].clone();
        int big = members.length;
        int take = Math.min(alloc[h], big);
        for (int k = 0; k < take; k++) {
          int j = k + rng.nextInt(big - k);
          int t = members[k];
          members[k] = members[j];
          members[j] = t;
          int i = members[k];
          units.add(SampledUnit.of("u" + i, pop.m[i], new Inclusion.WithoutReplacement("b" + h, take / (double) big)));
          index.add(i);
        }
        strata.add(new Stratum("b" + h, big, 0, take));
      }
      return rep(DesignType.STRATIFIED, units, index, strata);
    }
    for (int i = 0; i < pop.n; i++) {
      if (rng.nextDouble() < pop.poissonPi[i]) {
        units.add(SampledUnit.of("u" + i, pop.m[i], new Inclusion.WithoutReplacement("all", pop.poissonPi[i])));
        index.add(i);
      }
    }
    strata.add(new Stratum("all", pop.n, 0, units.size()));
    return rep(DesignType.POISSON, units, index, strata);
  }

  private static Rep rep(DesignType type, List<SampledUnit> units, List<Integer> index, List<Stratum> strata) {
    Rep r = new Rep();
    r.sample = DesignSample.of(type, units, strata);
    r.unit = index.stream().mapToInt(Integer::intValue).toArray();
    return r;
  }

  private static List<GoldUnit> phase2(Population pop, Rep rep, double[] llm, Phase2 design, SplittableRandom rng) {
    List<List<Integer>> groups = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    if (design == Phase2.SRS) {
      List<Integer> all = new ArrayList<>();
      for (int k = 0; k < llm.length; k++) {
        all.add(k);
      }
      groups.add(all);
      names.add("all");
      sizes.add(240);
    } else {
      List<Integer> pos = new ArrayList<>();
      List<Integer> neg = new ArrayList<>();
      for (int k = 0; k < llm.length; k++) {
        (llm[k] == 1 ? pos : neg).add(k);
      }
      groups.add(pos);
      names.add("llm_positive");
      sizes.add(120);
      groups.add(neg);
      names.add("llm_negative");
      sizes.add(120);
    }
    List<Rating> answers = new ArrayList<>();
    List<int[]> chosen = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      List<Integer> members = groups.get(g);
      int take = Math.min(sizes.get(g), members.size());
      for (int k = 0; k < take; k++) {
        int j = k + rng.nextInt(members.size() - k);
        Integer t = members.get(k);
        members.set(k, members.get(j));
        members.set(j, t);
        int pos = members.get(k);
        chosen.add(new int[] {pos, g, take, members.size()});
        boolean truth = pop.y[rep.unit[pos]];
        for (int r = 0; r < 3; r++) {
          boolean says = rng.nextDouble() < (truth ? RATER_SE : RATER_FP);
          answers.add(new Rating("u" + rep.unit[pos], "r" + r, says ? "violating" : "safe"));
        }
      }
    }
    List<UnitConsensus> consensus = ConsensusMethod.MAJORITY.consensus(Ratings.of(answers, List.of("safe", "violating")));
    List<GoldUnit> gold = new ArrayList<>();
    for (int c = 0; c < chosen.size(); c++) {
      int[] ch = chosen.get(c);
      UnitConsensus.Decided d = (UnitConsensus.Decided) consensus.get(c);
      gold.add(new GoldUnit(d.unit(), d.decision().equals("violating"), names.get(ch[1]), ch[2] / (double) ch[3]));
    }
    return gold;
  }

  /** Per estimator: covered, estimated, summed width. */
  static final class Tally {
    final Map<CorrectedEstimator, int[]> covered = new EnumMap<>(CorrectedEstimator.class);
    final Map<CorrectedEstimator, double[]> width = new EnumMap<>(CorrectedEstimator.class);
    final Map<CorrectedEstimator, double[]> moments = new EnumMap<>(CorrectedEstimator.class);
    int recommendedCovered;
    double target;
    double goldPositives;
    double linearisedWorse;
    final Map<CorrectedEstimator, Integer> recommended = new EnumMap<>(CorrectedEstimator.class);
    int reps;
    double widthRatioSum;
    int widthRatioN;
  }

  static Tally run(Scenario s, int reps) {
    Population pop = new Population(s.prevalence(), s.seed());
    SplittableRandom rng = new SplittableRandom(s.seed() * 31 + 7);
    Tally t = new Tally();
    CalibrationOptions options = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);
    for (int r = 0; r < reps; r++) {
      Rep rep = phase1(pop, s.phase1(), rng);
      double[] llm = new double[rep.unit.length];
      for (int k = 0; k < llm.length; k++) {
        llm[k] = pop.llm[rep.unit[k]];
      }
      List<GoldUnit> gold = phase2(pop, rep, llm, s.phase2(), rng);
      CorrectedPrevalence p = Calibration.estimate(TwoPhaseSample.of(rep.sample, llm, gold), options);
      t.reps++;
      t.target = pop.target;
      t.recommended.merge(p.recommendation().estimator(), 1, Integer::sum);
      t.goldPositives += TwoPhaseSample.of(rep.sample, llm, gold).goldPositives();
      for (Corrected c : p.estimates()) {
        dev.plumb.calibration.stats.Interval interval = c instanceof Corrected.Estimated e ? e.interval()
            : c instanceof Corrected.UpperBound u ? u.bound() : null;
        if (interval == null) {
          continue;
        }
        int[] cov = t.covered.computeIfAbsent(c.estimator(), k -> new int[2]);
        cov[1]++;
        if (interval.contains(pop.target)) {
          cov[0]++;
          if (c.estimator() == p.recommendation().estimator()) {
            t.recommendedCovered++;
          }
        }
        t.width.computeIfAbsent(c.estimator(), k -> new double[1])[0] += interval.width();
        if (c instanceof Corrected.Estimated e) {
          double[] m = t.moments.computeIfAbsent(c.estimator(), k -> new double[4]);
          m[0]++;
          m[1] += e.estimate();
          m[2] += e.estimate() * e.estimate();
          m[3] += e.se() * e.se();
        }
      }
      if (p.get(CorrectedEstimator.PPI_PLUS_PLUS) instanceof Corrected.Estimated pp
          && p.get(CorrectedEstimator.HUMAN_ONLY) instanceof Corrected.Estimated h) {
        t.widthRatioSum += pp.interval().width() / h.interval().width();
        t.widthRatioN++;
        // λ ∈ [0, 1] includes λ = 0, which is human-only, and λ minimises the phase-2 component; the
        // phase-1 component differs only by centring at θ̂_λ instead of ȳ_G (observed: at most +3%).
        t.linearisedWorse = Math.max(t.linearisedWorse, pp.details().get("se_linearised") / h.se());
      }
    }
    return t;
  }

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario(0.002, Phase1.SCORE_STRATA, Phase2.BY_LLM, 101),
      new Scenario(0.01, Phase1.POISSON_PPS, Phase2.SRS, 202),
      new Scenario(0.05, Phase1.SCORE_STRATA, Phase2.SRS, 303),
      new Scenario(0.10, Phase1.POISSON_PPS, Phase2.BY_LLM, 404));

  /**
   * Asserts the recommended (headline) interval's coverage and PPI++'s structural guarantee; prints
   * every estimator's coverage, width, bias and SE accuracy (recorded in docs/calibration.md). In the
   * scenarios where the LLM errs on heavily weighted units, PPI++'s jackknife interval is honestly
   * wider than human-only's and its coverage falls short: that is why human-only is the default
   * headline.
   */
  @Test
  void recommended_intervals_cover_the_truth_about_95_percent_and_ppi_plus_plus_never_beats_its_own_lambda_zero() {
    StringBuilder report = new StringBuilder();
    List<String> failures = new ArrayList<>();
    for (Scenario s : SCENARIOS) {
      Tally t = run(s, REPS);
      double coverage = t.recommendedCovered / (double) t.reps;
      report.append(String.format(Locale.ROOT, "%-5.3f %-12s %-6s recommended %.3f", s.prevalence(),
          s.phase1(), s.phase2(), coverage));
      t.covered.forEach((e, c) -> report.append(String.format(Locale.ROOT, " | %s %.3f (%d) w=%.4f",
          e.label(), c[0] / (double) c[1], c[1], t.width.get(e)[0] / c[1])));
      t.moments.forEach((e, m) -> report.append(String.format(Locale.ROOT, " | %s mean %.5f sd %.5f rms-se %.5f",
          e.label(), m[1] / m[0], Math.sqrt(m[2] / m[0] - (m[1] / m[0]) * (m[1] / m[0])), Math.sqrt(m[3] / m[0]))));
      report.append(String.format(Locale.ROOT, " | ppi++/human width %.3f | target %.5f | recommended %s%n",
          t.widthRatioSum / t.widthRatioN, t.target, t.recommended + " gold+ " + t.goldPositives / t.reps));
      failures.add(coverage >= 0.93 && coverage <= 0.97 ? "" : "coverage " + coverage + " for " + s);
      failures.add(t.linearisedWorse <= 1.05 ? "" : "PPI++ linearised SE above human-only's by " + t.linearisedWorse + " for " + s);
    }
    System.out.print(report);
    assertThat(failures).allMatch(String::isEmpty);
  }
}
