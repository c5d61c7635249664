package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.IntervalMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ScoreFloor}: human-only's phase-2 variance floored by what a Platt model of the gold on the score anticipates. */
class ScoreFloorTest {
  /**
   * A score per unit of S that ranks the sparse sample's violations higher without separating them: violations
   * 0.30–0.60, clean units 0.10–0.50.
   */
  static double[] scores(TwoPhaseSample s) {
    double[] score = new double[s.phase1.size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = s.y[i] > 0 ? 0.3 + 0.05 * (i % 7) : 0.1 + 0.05 * (i % 9);
    }
    return score;
  }

  /** {@code s} with {@code score} as its risk scores (exact gold: the calls). */
  static TwoPhaseSample withScores(TwoPhaseSample s, double[] score) {
    List<GoldUnit> gold = new ArrayList<>();
    for (int k : s.goldIndex) {
      gold.add(new GoldUnit(s.phase1.units().get(k).id(), s.call[k], s.strata2.get(s.stratum2[k]), s.pi2[k]));
    }
    return TwoPhaseSample.of(s.phase1, s.llm, s.prob, gold, score);
  }

  private static Corrected.Estimated humanOnly(TwoPhaseSample s, CalibrationOptions options) {
    return (Corrected.Estimated) Calibration.estimate(s, options).get(CorrectedEstimator.HUMAN_ONLY);
  }

  /**
   * V2_ant is the expectation of human-only's own V2 (TwoPhaseVariance.phase2 on m(y − P̂)/Σ_G w, P̂ held) when every
   * reviewed unit's y is redrawn as Bernoulli(q_i) from its class's Platt fit: 40 000 draws, Monte Carlo SE below
   * 0.5%.
   */
  @Test
  void the_floor_is_the_expected_phase2_variance_under_the_score_model() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    double p = humanOnly(s, CalibrationOptions.defaults()).estimate();
    double[] q = ScoreFloor.model(s, scores(s));
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
    double ant = ScoreFloor.phase2(s, null, p, q);
    assertThat(sum / draws).isCloseTo(ant, within(0.01 * ant));
    // the score moves the floor: a different number from the class-rate model's
    assertThat(ant).isNotCloseTo(AnticipatedHumanOnly.phase2(s, p), within(0.02 * ant));
    // a domain of every unit is the whole sample
    boolean[] all = new boolean[s.phase1.size()];
    Arrays.fill(all, true);
    assertThat(ScoreFloor.phase2(s, all, p, q)).isEqualTo(ant);
  }

  /**
   * With every q_i of a class at its rate p̂_h the formula is h41's closed form,
   * Σ_h (1 − f_h) [p̂_h(1 − p̂_h) Σ c_i² + n_h/(n_h − 1) (p̂_h − P̂)² Σ (c_i − c̄_h)²].
   */
  @Test
  void reduces_to_the_class_rate_floor_when_the_model_is_the_class_rate() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    double p = humanOnly(s, CalibrationOptions.defaults()).estimate();
    double closed = AnticipatedHumanOnly.phase2(s, p);
    assertThat(ScoreFloor.phase2(s, null, p, ScoreFloor.classRates(s))).isCloseTo(closed, within(1e-12 * closed));
  }

  /**
   * The Platt fit keeps each class's rate (the MLE's intercept equation: Σ m d1 q = Σ m d1 y), orders the units by
   * score, and leaves a class whose review saw no violation at its rate 0.
   */
  @Test
  void the_model_keeps_each_class_rate_and_follows_the_score() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    double[] score = scores(s);
    double[] q = ScoreFloor.model(s, score);
    double[] rate = ScoreFloor.classRates(s);
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
   * A score that rises with the unit's exposure (0.05 per impression), which the sparse sample's violations in class b
   * follow (exposure 4–6): the model puts more of its chance of a violation on the heavy units, whose c_i is large
   * (V2_ant 1.581e-4 against V2 1.557e-4).
   */
  static double[] heavy(TwoPhaseSample s) {
    double[] score = new double[s.phase1.size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = 0.05 * s.phase1.exposure(i);
    }
    return score;
  }

  /**
   * Scores on every reviewed unit: human-only's V2 is the larger of its own and the model's, both recorded in its
   * details, and every interval takes it. With the heavy units' score the model's binds and the interval widens; with
   * the ranking score it does not, and only the details change. The other estimators do not move.
   */
  @Test
  void human_only_takes_the_larger_phase2_variance_when_every_reviewed_unit_has_a_score() {
    TwoPhaseSample bare = MoverWilsonTest.sparse();
    for (IntervalMethod m : new IntervalMethod[] {IntervalMethod.KORN_GRAUBARD, IntervalMethod.KG_GAMMA,
        IntervalMethod.GAMMA, IntervalMethod.LOGIT}) {
      CalibrationOptions options = CalibrationOptions.defaults().withInterval(m).withScoreFloor(true);
      Corrected.Estimated before = humanOnly(bare, options);
      double v2 = before.details().get("variance_phase2");
      TwoPhaseSample binding = withScores(bare, heavy(bare));
      Corrected.Estimated after = humanOnly(binding, options);
      double model = ScoreFloor.phase2(binding, null, before.estimate(), ScoreFloor.model(binding));
      assertThat(model).isGreaterThan(v2);
      assertThat(after.details()).containsEntry("variance_phase2_linearised", v2)
          .containsEntry("variance_phase2_model", model).containsEntry("variance_phase2", model)
          .containsEntry("phase2_floored", 1.0);
      assertThat(after.estimate()).isEqualTo(before.estimate());
      assertThat(after.se()).isCloseTo(Math.sqrt(before.se() * before.se() - v2 + model), within(1e-15));
      assertThat(after.interval().upper()).as(m.label()).isGreaterThan(before.interval().upper());
      assertThat(Calibration.estimate(binding, options).get(CorrectedEstimator.PPI_PLUS_PLUS))
          .isEqualTo(Calibration.estimate(bare, options).get(CorrectedEstimator.PPI_PLUS_PLUS));
      TwoPhaseSample ranking = withScores(bare, scores(bare));
      Corrected.Estimated below = humanOnly(ranking, options);
      assertThat(below.details()).containsEntry("variance_phase2", v2).containsEntry("phase2_floored", 0.0)
          .containsEntry("variance_phase2_model", ScoreFloor.phase2(ranking, null, before.estimate(),
              ScoreFloor.model(ranking)));
      assertThat(below.interval()).isEqualTo(before.interval());
      assertThat(below.se()).isEqualTo(before.se());
    }
  }

  /**
   * No floor — the estimate exactly as before, details and all — with the floor off (the default; on with {@code --score-floor}),
   * when one reviewed unit has no score, or on an active (Poisson) review, which has no classes.
   */
  @Test
  void nothing_moves_without_a_score_on_every_reviewed_unit_or_with_the_floor_off() {
    TwoPhaseSample bare = MoverWilsonTest.sparse();
    double[] score = scores(bare);
    CalibrationOptions options = CalibrationOptions.defaults().withScoreFloor(true);
    Corrected before = humanOnly(bare, options);
    assertThat(((Corrected.Estimated) before).details()).doesNotContainKey("variance_phase2_model");
    assertThat(humanOnly(withScores(bare, score), options.withScoreFloor(false))).isEqualTo(before);
    double[] partly = score.clone();
    partly[bare.goldIndex[bare.goldIndex.length - 1]] = Double.NaN;
    assertThat(withScores(bare, partly).scored()).isFalse();
    assertThat(humanOnly(withScores(bare, partly), options)).isEqualTo(before);
    // scores on the units never reviewed do not matter
    double[] reviewed = new double[score.length];
    Arrays.fill(reviewed, Double.NaN);
    for (int i : bare.goldIndex) {
      reviewed[i] = score[i];
    }
    assertThat(humanOnly(withScores(bare, reviewed), options)).isEqualTo(humanOnly(withScores(bare, score), options));
    List<GoldUnit> active = new ArrayList<>();
    for (int k : bare.goldIndex) {
      active.add(new GoldUnit(bare.phase1.units().get(k).id(), bare.call[k], TwoPhaseSample.ACTIVE, bare.pi2[k]));
    }
    TwoPhaseSample poisson = TwoPhaseSample.of(bare.phase1, bare.llm, bare.prob, active);
    assertThat(Calibration.estimate(TwoPhaseSample.of(bare.phase1, bare.llm, bare.prob, active, score), options)
        .estimates()).isEqualTo(Calibration.estimate(poisson, options).estimates());
    // opt-in (calibrate --score-floor): by default nothing moves even with every score present
    assertThat(CalibrationOptions.defaults().scoreFloor()).isFalse();
    assertThat(humanOnly(withScores(bare, score), CalibrationOptions.defaults())).isEqualTo(before);
  }
}
