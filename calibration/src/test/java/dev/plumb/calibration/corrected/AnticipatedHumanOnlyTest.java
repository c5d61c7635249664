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
