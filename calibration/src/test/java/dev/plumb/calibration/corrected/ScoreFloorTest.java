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
      // h44's floor, every class's model flooring (the guard is the next test's)
      CalibrationOptions options = CalibrationOptions.defaults().withInterval(m)
          .withFloorGuard(CalibrationOptions.FloorGuard.NONE);
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
   * No floor — the estimate exactly as before, details and all — with the floor off ({@code --no-score-floor}),
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
    // on by default since h48, guarded: of the sparse sample's classes only a (census, no V2) holds 5 gold positives
    // and 5 negatives, so b and c keep their own V2 and nothing moves but the details
    assertThat(CalibrationOptions.defaults().scoreFloor()).isTrue();
    assertThat(CalibrationOptions.defaults().floorGuard()).isEqualTo(CalibrationOptions.FloorGuard.DEFAULT);
    Corrected.Estimated guarded = humanOnly(withScores(bare, score), CalibrationOptions.defaults());
    assertThat(guarded.se()).isEqualTo(((Corrected.Estimated) before).se());
    assertThat(guarded.interval()).isEqualTo(((Corrected.Estimated) before).interval());
    assertThat(guarded.details()).containsEntry("phase2_floored", 0.0).containsEntry("phase2_floor_classes", 1.0)
        .containsEntry("phase2_floor_trusted.a", 1.0).containsEntry("phase2_floor_trusted.b", 0.0)
        .containsEntry("phase2_floor_trusted.c", 0.0);
  }

  /**
   * The sparse sample with violations in class c too (units c-5, c-40, c-61, c-77, c-90), so every class's gold holds
   * both kinds: a 10 / 20 in 30 (census), b 3 / 47, c 5 / 95; the score {@link #scores} ranks, except in class b,
   * where {@code reversed} gives its violations low scores (0.05–0.25, the clean units 0.20–0.60).
   */
  static TwoPhaseSample mixed(boolean reversed) {
    TwoPhaseSample bare = MoverWilsonTest.sparse();
    java.util.Set<String> cPositive = java.util.Set.of("c-5", "c-40", "c-61", "c-77", "c-90");
    List<GoldUnit> gold = new ArrayList<>();
    double[] score = new double[bare.phase1.size()];
    for (int k : bare.goldIndex) {
      String id = bare.phase1.units().get(k).id();
      String cls = bare.strata2.get(bare.stratum2[k]);
      boolean y = bare.call[k] || cPositive.contains(id);
      gold.add(new GoldUnit(id, y, cls, bare.pi2[k]));
      score[k] = reversed && cls.equals("b")
          ? (y ? 0.05 + 0.1 * (k % 3) : 0.2 + 0.05 * (k % 9))
          : (y ? 0.3 + 0.05 * (k % 7) : 0.1 + 0.05 * (k % 9));
    }
    return TwoPhaseSample.of(bare.phase1, bare.llm, bare.prob, gold, score);
  }

  /**
   * The guard's AUC is Mann–Whitney's over the class's gold with weights m·d1, a unit a positive with weight m·d1·y and a
   * negative with m·d1·(1 − y), ties ½, no unit paired with itself: checked against the double sum on fractional gold
   * (an error model's, some of it outside [0, 1] and clipped) with tied scores, and its counts are Σ y and Σ (1 − y).
   */
  @Test
  void the_guard_evidence_is_the_weighted_mann_whitney_auc_and_the_gold_counts() {
    TwoPhaseSample bare = mixed(false);
    List<GoldUnit> gold = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(5);
    for (int k : bare.goldIndex) {
      double y = bare.y[k] > 0 ? 0.6 + 0.6 * rng.nextDouble() : -0.1 + 0.4 * rng.nextDouble();
      gold.add(new GoldUnit(bare.phase1.units().get(k).id(), y > 0.5, bare.strata2.get(bare.stratum2[k]),
          bare.pi2[k], y, null));
    }
    double[] score = new double[bare.phase1.size()];
    for (int k : bare.goldIndex) {
      score[k] = Math.round(10 * bare.score[k]) / 10.0; // ties across the kinds
    }
    TwoPhaseSample s = TwoPhaseSample.of(bare.phase1, bare.llm, bare.prob, gold, score);
    double[][] ev = ScoreFloor.evidence(s, score);
    for (int h = 0; h < s.strata2.size(); h++) {
      double pos = 0;
      double neg = 0;
      double num = 0;
      double den = 0;
      for (int i : s.goldIndex) {
        if (s.stratum2[i] != h) {
          continue;
        }
        double yi = Math.min(1, Math.max(0, s.y[i]));
        pos += yi;
        neg += 1 - yi;
        for (int j : s.goldIndex) {
          if (s.stratum2[j] == h && j != i) {
            double yj = Math.min(1, Math.max(0, s.y[j]));
            double pair = s.phase1.exposure(i) * s.phase1.designWeight(i) * yi * s.phase1.exposure(j)
                * s.phase1.designWeight(j) * (1 - yj);
            num += pair * (score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0);
            den += pair;
          }
        }
      }
      assertThat(ev[h][0]).isCloseTo(pos, within(1e-9));
      assertThat(ev[h][1]).isCloseTo(neg, within(1e-9));
      assertThat(ev[h][2]).isCloseTo(num / den, within(1e-12));
      assertThat(ev[h][2]).isBetween(0.0, 1.0);
    }
    // a class whose gold is all one way has no AUC
    double[][] sparse = ScoreFloor.evidence(MoverWilsonTest.sparse(), scores(MoverWilsonTest.sparse()));
    assertThat(sparse[2][0]).isZero();
    assertThat(sparse[2][2]).isNaN();
  }

  /** Σ_{G_h} V2 of class h alone: human-only's V2 (TwoPhaseVariance) on its residuals, every other class's set to 0. */
  private static double classV2(TwoPhaseSample s, double p, int h) {
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i];
    }
    double[] e = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      e[i] = s.stratum2[i] == h ? s.phase1.exposure(i) * (s.y[i] - p) / sw : 0;
    }
    return new TwoPhaseVariance(s).phase2(e);
  }

  /**
   * The guard per review class (h48): a class below K gold positives, or whose score does not rank its gold (AUC below
   * A), floors with its own V2 term instead of its model's, V2_floor = Σ_h (trusted ? V2_ant,h : V2_h); with every class
   * trusted the guarded floor is h44's to the digit, with none it is no floor.
   */
  @Test
  void a_class_the_guard_refuses_keeps_its_own_phase2_variance() {
    CalibrationOptions floor = CalibrationOptions.defaults().withFloorGuard(CalibrationOptions.FloorGuard.NONE);
    for (boolean reversed : new boolean[] {false, true}) {
      TwoPhaseSample s = mixed(reversed);
      Corrected.Estimated today = humanOnly(s, floor);
      double p = today.estimate();
      double[] ant = ScoreFloor.phase2ByClass(s, null, p, ScoreFloor.model(s));
      double[] own = {classV2(s, p, 0), classV2(s, p, 1), classV2(s, p, 2)};
      double v2 = today.details().get("variance_phase2_linearised");
      assertThat(own[0] + own[1] + own[2]).isCloseTo(v2, within(1e-12 * v2));
      // b's model and its own term differ, or the guard's choice would not show
      assertThat(ant[1]).isNotCloseTo(own[1], within(0.01 * own[1]));
      double[][] ev = ScoreFloor.evidence(s, s.score);
      assertThat(ev[1][0]).isEqualTo(3);
      double aucB = ev[1][2];
      assertThat(aucB).isLessThan(reversed ? 0.5 : 1.0).isGreaterThan(reversed ? 0.0 : 0.5);

      // every class trusted (3 positives and negatives each; AUC above a bar every class clears): h44's floor exactly
      double everyAuc = Math.min(ev[0][2], Math.min(ev[1][2], ev[2][2]));
      for (CalibrationOptions.FloorGuard all : List.of(new CalibrationOptions.FloorGuard(3, 0),
          new CalibrationOptions.FloorGuard(3, everyAuc))) {
        Corrected.Estimated guarded = humanOnly(s, floor.withFloorGuard(all));
        assertThat(guarded.se()).isEqualTo(today.se());
        assertThat(guarded.interval()).isEqualTo(today.interval());
        assertThat(guarded.details()).containsEntry("variance_phase2_model", today.details().get("variance_phase2_model"))
            .containsEntry("phase2_floor_classes", 3.0);
      }
      // b below K = 4 positives (a and c have 10 and 5): b keeps its own term
      Corrected.Estimated fewB = humanOnly(s, floor.withFloorGuard(new CalibrationOptions.FloorGuard(4, 0)));
      double expected = ant[0] + own[1] + ant[2];
      assertThat(fewB.details().get("variance_phase2_model")).isCloseTo(expected, within(1e-12 * expected));
      assertThat(fewB.details()).containsEntry("phase2_floor_classes", 2.0).containsEntry("phase2_floor_trusted.b", 0.0)
          .containsEntry("phase2_floor_trusted.a", 1.0).containsEntry("phase2_floor_trusted.c", 1.0)
          .containsEntry("variance_phase2", Math.max(v2, fewB.details().get("variance_phase2_model")));
      // b's score does not rank its gold (reversed: AUC below ½) while a's and c's do: with a bar between, b keeps its
      // own term; with the ranking score b clears the same bar
      double bar = reversed ? 0.5 : aucB - 1e-9;
      assertThat(Math.min(ev[0][2], ev[2][2])).isGreaterThan(bar);
      Corrected.Estimated ranked = humanOnly(s, floor.withFloorGuard(new CalibrationOptions.FloorGuard(3, bar)));
      double modelB = (reversed ? own[1] : ant[1]) + ant[0] + ant[2];
      assertThat(ranked.details().get("variance_phase2_model")).isCloseTo(modelB, within(1e-12 * modelB));
      assertThat(ranked.details()).containsEntry("phase2_floor_classes", reversed ? 2.0 : 3.0);
      // no class trusted: no floor — the SE and interval of a run without it
      Corrected.Estimated none = humanOnly(s, floor.withFloorGuard(new CalibrationOptions.FloorGuard(11, 0)));
      Corrected.Estimated off = humanOnly(s, CalibrationOptions.defaults().withScoreFloor(false));
      assertThat(none.se()).isEqualTo(off.se());
      assertThat(none.interval()).isEqualTo(off.interval());
      assertThat(none.details()).containsEntry("phase2_floor_classes", 0.0).containsEntry("phase2_floored", 0.0);
    }
  }
}
