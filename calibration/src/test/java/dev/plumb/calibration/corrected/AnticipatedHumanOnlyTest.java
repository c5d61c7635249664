package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.synthetic.SimulatedPopulation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AnticipatedHumanOnly}, the model-anticipated V2 floor tried against Korn–Graubard's 3% shortfall. */
class AnticipatedHumanOnlyTest {
  private static Corrected.Estimated humanOnly(TwoPhaseSample s, IntervalMethod method) {
    return (Corrected.Estimated) Calibration.estimate(s, CalibrationOptions.defaults().withInterval(method))
        .get(CorrectedEstimator.HUMAN_ONLY);
  }

  /**
   * V2_ant is the expectation of human-only's own V2 (TwoPhaseVariance.phase2 on m(y − P̂)/Σ_G w, P̂ held) when every
   * reviewed unit's y is redrawn as Bernoulli(p̂_h) of its class: 40 000 draws, Monte Carlo SE below 0.5%.
   */
  @Test
  void is_the_expected_linearised_phase2_variance_under_the_working_model() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    Corrected.Estimated kg = humanOnly(s, IntervalMethod.KORN_GRAUBARD);
    double p = kg.estimate();
    TwoPhaseVariance variance = new TwoPhaseVariance(s);
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
    }
    double[] b = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      b[i] = s.phase1.exposure(i) * (s.y[i] - p) / sw;
    }
    // the residuals as written here are human-only's: its V2 comes back on the observed y
    assertThat(variance.phase2(b)).isCloseTo(kg.details().get("variance_phase2"), within(1e-15));
    double[] rate = new double[s.strata2.size()];
    double[] w = new double[s.strata2.size()];
    for (int i : s.goldIndex) {
      double base = s.phase1.exposure(i) * s.phase1.designWeight(i);
      rate[s.stratum2[i]] += base * s.y[i];
      w[s.stratum2[i]] += base;
    }
    SplittableRandom rng = new SplittableRandom(7);
    int draws = 40_000;
    double sum = 0;
    for (int r = 0; r < draws; r++) {
      for (int i : s.goldIndex) {
        double y = rng.nextDouble() < rate[s.stratum2[i]] / w[s.stratum2[i]] ? 1 : 0;
        b[i] = s.phase1.exposure(i) * (y - p) / sw;
      }
      sum += variance.phase2(b);
    }
    double ant = AnticipatedHumanOnly.phase2(s, p);
    assertThat(sum / draws).isCloseTo(ant, within(0.01 * ant));
    // stratum c saw no violation: the floor there is only the spread term, so V2_ant differs from V2
    assertThat(ant).isNotCloseTo(kg.details().get("variance_phase2"), within(0.01 * ant));
  }

  /** With no floor the arm rebuilds Estimators' own Korn–Graubard and kg-gamma intervals exactly. */
  @Test
  void without_a_floor_gives_the_estimators_intervals_back() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    for (IntervalMethod m : new IntervalMethod[] {IntervalMethod.KORN_GRAUBARD, IntervalMethod.KG_GAMMA}) {
      Corrected.Estimated e = humanOnly(s, m);
      Corrected.Estimated again = (Corrected.Estimated) AnticipatedHumanOnly.floored(s, e,
          m == IntervalMethod.KG_GAMMA, 0.95, 0);
      assertThat(again.interval().lower()).isCloseTo(e.interval().lower(), within(1e-15));
      assertThat(again.interval().upper()).isCloseTo(e.interval().upper(), within(1e-15));
      assertThat(again.se()).isCloseTo(e.se(), within(1e-15));
      // a larger floor can only widen
      Corrected.Estimated wide = (Corrected.Estimated) AnticipatedHumanOnly.floored(s, e,
          m == IntervalMethod.KG_GAMMA, 0.95, 4 * e.se() * e.se());
      assertThat(wide.interval().upper()).isGreaterThan(e.interval().upper());
    }
  }

  /**
   * A score per unit of S that ranks the sparse sample's violations higher without separating them: violations
   * 0.30–0.60, clean units 0.10–0.50.
   */
  private static double[] scores(TwoPhaseSample s) {
    double[] score = new double[s.phase1.size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = s.y[i] > 0 ? 0.3 + 0.05 * (i % 7) : 0.1 + 0.05 * (i % 9);
    }
    return score;
  }

  /**
   * The score-based V2_ant is the expectation of human-only's own V2 when every reviewed unit's y is redrawn as
   * Bernoulli(q_i) from the class's Platt fit: 40 000 draws, Monte Carlo SE below 0.5%. With every q_i of a class at
   * p̂_h it is h41's closed form.
   */
  @Test
  void scored_floor_is_the_expected_phase2_variance_and_reduces_to_the_class_rate_floor() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    double p = humanOnly(s, IntervalMethod.KORN_GRAUBARD).estimate();
    assertThat(AnticipatedHumanOnly.phase2(s, p, AnticipatedHumanOnly.classRates(s)))
        .isCloseTo(AnticipatedHumanOnly.phase2(s, p), within(1e-12 * AnticipatedHumanOnly.phase2(s, p)));
    double[] q = AnticipatedHumanOnly.scored(s, scores(s));
    TwoPhaseVariance variance = new TwoPhaseVariance(s);
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
    }
    double[] b = new double[s.phase1.size()];
    SplittableRandom rng = new SplittableRandom(11);
    int draws = 40_000;
    double sum = 0;
    for (int r = 0; r < draws; r++) {
      for (int i : s.goldIndex) {
        b[i] = s.phase1.exposure(i) * ((rng.nextDouble() < q[i] ? 1 : 0) - p) / sw;
      }
      sum += variance.phase2(b);
    }
    double ant = AnticipatedHumanOnly.phase2(s, p, q);
    assertThat(sum / draws).isCloseTo(ant, within(0.01 * ant));
    // the score moves the floor: a different number from the class-rate model's
    assertThat(ant).isNotCloseTo(AnticipatedHumanOnly.phase2(s, p), within(0.02 * ant));
  }

  /**
   * The Platt fit keeps each class's rate (the MLE's intercept equation: Σ m d1 q = Σ m d1 y), orders the units by
   * score, and leaves a class whose review saw no violation at its rate 0.
   */
  @Test
  void scored_model_keeps_each_class_rate_and_follows_the_score() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    double[] score = scores(s);
    double[] q = AnticipatedHumanOnly.scored(s, score);
    double[] rate = AnticipatedHumanOnly.classRates(s);
    int g = s.strata2.size();
    double[] wq = new double[g];
    double[] wy = new double[g];
    for (int i : s.goldIndex) {
      double w = s.phase1.exposure(i) * s.phase1.designWeight(i);
      wq[s.stratum2[i]] += w * q[i];
      wy[s.stratum2[i]] += w * s.y[i];
    }
    for (int h = 0; h < g; h++) {
      assertThat(wq[h]).isCloseTo(wy[h], within(1e-8 * (1 + wy[h])));
    }
    int a = s.goldIndex[0];
    int b = -1;
    for (int i : s.goldIndex) {
      if (s.stratum2[i] == s.stratum2[a] && score[i] > score[a]) {
        b = i;
      }
    }
    assertThat(b).isNotNegative();
    assertThat(q[b]).isGreaterThan(q[a]);
    assertThat(q[a]).isNotCloseTo(rate[a], within(1e-3));
    for (int i : s.goldIndex) {
      if (s.strata2.get(s.stratum2[i]).equals("c")) {
        assertThat(q[i]).isZero();
      }
    }
  }

  /**
   * V1_ant is the expectation of human-only's own V1 (TwoPhaseVariance.phase1 on m(y − P̂)/Σ_G w, P̂ held) under
   * Bernoulli(q_i) redraws on G: a priority phase 1 of 300 from the simulations' population (3%), reviews of 40 + 60
   * by LLM call, q_i the classes' Platt fits; 40 000 draws, Monte Carlo SE below 0.5%.
   */
  @Test
  void scored_phase1_floor_is_the_expected_phase1_variance() {
    SimulatedPopulation population = new SimulatedPopulation(6_000, 0.03, 5);
    SplittableRandom rng = new SplittableRandom(3);
    SimulatedPopulation.Phase1 p1 = population.priority(300, rng);
    List<GoldUnit> gold = new ArrayList<>();
    p1.strata().forEach((name, members) -> {
      List<Integer> shuffled = new ArrayList<>(members);
      Collections.shuffle(shuffled, new Random(name.length()));
      int take = Math.min(name.equals("llm_positive") ? 40 : 60, shuffled.size());
      for (int k = 0; k < take; k++) {
        int j = shuffled.get(k);
        gold.add(new GoldUnit(p1.sample().units().get(j).id(), population.y[p1.index().get(j)], name,
            (double) take / shuffled.size()));
      }
    });
    TwoPhaseSample s = TwoPhaseSample.of(p1.sample(), p1.llm(), gold);
    double[] score = new double[s.phase1.size()];
    for (int j = 0; j < score.length; j++) {
      score[j] = population.score[p1.index().get(j)];
    }
    Corrected.Estimated kg = humanOnly(s, IntervalMethod.KORN_GRAUBARD);
    double p = kg.estimate();
    double[] q = AnticipatedHumanOnly.scored(s, score);
    TwoPhaseVariance variance = new TwoPhaseVariance(s);
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
    }
    double[] e = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      e[i] = s.phase1.exposure(i) * (s.y[i] - p) / sw;
    }
    // the residuals as written here are human-only's: its V1 comes back on the observed y
    assertThat(variance.phase1(e)).isCloseTo(kg.details().get("variance_phase1"), within(1e-15));
    int draws = 40_000;
    double sum = 0;
    for (int r = 0; r < draws; r++) {
      for (int i : s.goldIndex) {
        e[i] = s.phase1.exposure(i) * ((rng.nextDouble() < q[i] ? 1 : 0) - p) / sw;
      }
      sum += variance.phase1(e);
    }
    double ant = AnticipatedHumanOnly.phase1(s, p, q);
    assertThat(ant).isPositive();
    assertThat(sum / draws).isCloseTo(ant, within(0.01 * ant));
  }
}
