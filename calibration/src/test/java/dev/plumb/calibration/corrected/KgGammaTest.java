package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.GammaInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code --interval kg-gamma}: Korn–Graubard, except where a review stratum reviewed in part holds no gold
 * positive (over all its weight classes) and stands for at least a tenth of the estimated exposure — there the
 * gamma interval with w = that stratum's mean c_i. Reference values printed by calibration/src/test/resources/reference/gamma_interval.py
 * (its "kg-gamma" line: scipy's gamma quantiles) on {@link MoverWilsonTest}'s fixture: review classes a (30 of
 * 30), b (50 of 200, 3 positives) and c (100 of 500, none; 63% of the exposure).
 */
class KgGammaTest {
  private static final CalibrationOptions KG_GAMMA = new CalibrationOptions(0.95, IntervalMethod.KG_GAMMA, false, 50);
  private static final CalibrationOptions KG = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);

  private static Corrected.Estimated humanOnly(TwoPhaseSample s, CalibrationOptions o) {
    return (Corrected.Estimated) Calibration.estimate(s, o).get(CorrectedEstimator.HUMAN_ONLY);
  }

  /** The fixture with gold positive where {@code positive} says so (instead of the fixture's own calls). */
  private static TwoPhaseSample regold(Predicate<String> positive) {
    return regold(positive, UnaryOperator.identity());
  }

  /** The same, with each review class renamed by {@code rename} (e.g. into weight classes of one stratum). */
  private static TwoPhaseSample regold(Predicate<String> positive, UnaryOperator<String> rename) {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    List<GoldUnit> gold = new ArrayList<>();
    for (int i : s.goldIndex) {
      String id = s.phase1.units().get(i).id();
      gold.add(new GoldUnit(id, positive.test(id), rename.apply(s.strata2.get(s.stratum2[i])), s.pi2[i]));
    }
    return TwoPhaseSample.of(s.phase1, s.llm, gold);
  }

  /** Classes b and c as the weight classes w1 and w2 of one review stratum, llm_negative; a stays a stratum. */
  private static String asWeightClasses(String cls) {
    return cls.equals("b") ? "llm_negative/w1" : cls.equals("c") ? "llm_negative/w2" : cls;
  }

  @Test
  void a_weight_class_that_saw_nothing_does_not_switch_when_its_stratum_saw_a_violation() {
    // the fixture's own calls: c (63% of the exposure) saw nothing, b saw 3; as classes of one stratum
    TwoPhaseSample perClass = MoverWilsonTest.sparse();
    TwoPhaseSample s = regold(id -> perClass.call[perClass.phase1.indexOf(id).getAsInt()], KgGammaTest::asWeightClasses);
    assertThat(s.reviewStrata).containsExactly("a", "llm_negative");
    // the same estimate and Korn–Graubard interval as with b and c as strata of their own (whose note named c)
    assertThat(humanOnly(s, KG).estimate()).isEqualTo(humanOnly(perClass, KG).estimate());
    assertThat(humanOnly(s, KG).interval()).isEqualTo(humanOnly(perClass, KG).interval());
    assertThat(humanOnly(perClass, KG).note()).startsWith("c: no violation among 100");
    // which switched (c saw nothing); as weight classes of a stratum that saw a violation, it does not
    assertThat(humanOnly(perClass, KG_GAMMA).interval().method()).isEqualTo(GammaInterval.LABEL);
    Corrected.Estimated h = humanOnly(s, KG_GAMMA);
    assertThat(h.interval()).isEqualTo(humanOnly(s, KG).interval());
    assertThat(h.note()).doesNotContain("no violation among");
    // nor does the note under --interval korn-graubard name the class
    assertThat(ReviewClassIntervals.unseenClassNote(s, null, h.estimate(), h.se() * h.se(), 0.95)).isEmpty();
  }

  @Test
  void switches_at_the_stratum_mean_weight_when_no_weight_class_of_the_stratum_saw_a_violation() {
    // only a (reviewed whole) shows violations; llm_negative's classes w1 (b) and w2 (c) show none
    TwoPhaseSample s = regold(id -> id.equals("a-0") || id.equals("a-3"), KgGammaTest::asWeightClasses);
    Corrected.Estimated h = humanOnly(s, KG_GAMMA);
    // exposure Σ m/π2: a 90, b 788, c 1495 (M̂ = 2373); llm_negative's mean c_i over its 150 reviewed units, not
    // the larger of its classes' means (b's 788/2373/50, what a switch per class took)
    double w = (788.0 + 1495) / 2373 / 150;
    assertThat(w).isLessThan(788.0 / 2373 / 50);
    assertThat(ReviewClassIntervals.kgGamma(s, null, h.estimate(), h.se() * h.se(), 0.95).interval())
        .isEqualTo(GammaInterval.of(h.estimate(), h.se() * h.se(), w, 0.95));
    assertThat(h.interval().method()).isEqualTo(GammaInterval.LABEL);
    assertThat(h.note()).startsWith("llm_negative (2 weight classes): no violation among 150 reviewed units standing "
        + "for 96% of the exposure — the upper limit allows one more violation at that stratum's mean weight");
    Corrected.Estimated kg = humanOnly(s, KG);
    assertThat(kg.note()).contains("llm_negative (2 weight classes): no violation among 150 reviewed units standing "
        + "for 96% of the exposure — this interval treats what those reviews did not see as known");
  }

  @Test
  void a_review_stratum_is_its_weight_class_id_without_the_class_suffix() {
    assertThat(TwoPhaseSample.reviewStratumOf("llm_negative/w3")).isEqualTo("llm_negative");
    assertThat(TwoPhaseSample.reviewStratumOf("all/w12")).isEqualTo("all");
    assertThat(TwoPhaseSample.reviewStratumOf("llm_negative")).isEqualTo("llm_negative");
    // not the queue's weight-class form: kept whole
    assertThat(TwoPhaseSample.reviewStratumOf("llm_negative/w0")).isEqualTo("llm_negative/w0");
    assertThat(TwoPhaseSample.reviewStratumOf("llm_negative/wide")).isEqualTo("llm_negative/wide");
    assertThat(TwoPhaseSample.reviewStratumOf("/w1")).isEqualTo("/w1");
    assertThat(TwoPhaseSample.reviewStratumOf("llm_negative/consensus_positive")).isEqualTo("llm_negative/consensus_positive");
  }

  @Test
  void switches_to_the_gamma_interval_at_the_unseen_class_mean_weight_and_says_so() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    Corrected.Estimated kg = humanOnly(s, KG);
    Corrected.Estimated h = humanOnly(s, KG_GAMMA);
    assertThat(h.estimate()).isEqualTo(kg.estimate());
    assertThat(h.se()).isEqualTo(kg.se());
    assertThat(h.interval().method()).isEqualTo(GammaInterval.LABEL);
    assertThat(h.interval().lower()).isCloseTo(0.0175549263106552, within(1e-12));
    assertThat(h.interval().upper()).isCloseTo(0.0755404060307093, within(1e-12));
    assertThat(h.interval().upper()).isGreaterThan(kg.interval().upper());
    // one note, the unseen-class note's words, saying what the upper limit now allows for
    assertThat(h.note()).isEqualTo("c: no violation among 100 reviewed units standing for 63% of the exposure — the "
        + "upper limit allows one more violation at that stratum's mean weight (gamma interval, kg-gamma; "
        + "docs/calibration.md, \"What the 0.1% design cannot do\")");
    // the other estimators keep Korn–Graubard
    CorrectedPrevalence all = Calibration.estimate(s, KG_GAMMA);
    CorrectedPrevalence plain = Calibration.estimate(s, KG);
    for (Corrected c : all.estimates()) {
      if (c.estimator() != CorrectedEstimator.HUMAN_ONLY && c instanceof Corrected.Estimated e) {
        assertThat(e.interval()).isEqualTo(((Corrected.Estimated) plain.get(c.estimator())).interval());
      }
    }
  }

  @Test
  void is_korn_graubard_once_every_class_reviewed_in_part_has_shown_a_violation() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    TwoPhaseSample seen = regold(id -> s.call[s.phase1.indexOf(id).getAsInt()] || id.equals("c-7"));
    Corrected.Estimated kg = humanOnly(seen, KG);
    Corrected.Estimated h = humanOnly(seen, KG_GAMMA);
    assertThat(h.interval()).isEqualTo(kg.interval());
    assertThat(h.interval().method()).isEqualTo("korn-graubard");
    assertThat(h.note()).isEqualTo(kg.note()).doesNotContain("no violation among");
  }

  @Test
  void a_class_reviewed_whole_that_showed_nothing_is_known_so_does_not_switch() {
    // class a reviewed whole (π2 = 1) with no positive; b and c each show one
    TwoPhaseSample s = regold(id -> id.equals("b-4") || id.equals("c-7"));
    assertThat(humanOnly(s, KG_GAMMA).interval()).isEqualTo(humanOnly(s, KG).interval());
  }

  @Test
  void with_two_unseen_classes_takes_the_larger_of_their_mean_weights() {
    // only class a (reviewed whole) shows violations; b and c, reviewed in part, show none
    TwoPhaseSample s = regold(id -> id.equals("a-0") || id.equals("a-3"));
    Corrected.Estimated h = humanOnly(s, KG_GAMMA);
    // exposure Σ m/π2: a 90, b 197/0.25 = 788, c 299/0.2 = 1495 (M̂ = 2373); mean c_i: b 788/2373/50, c 1495/2373/100
    double wB = 788.0 / 2373 / 50;
    assertThat(wB).isGreaterThan(1495.0 / 2373 / 100);
    // before the certainty floor, which widens this interval further (a's positives are certainty units)
    assertThat(ReviewClassIntervals.kgGamma(s, null, h.estimate(), h.se() * h.se(), 0.95).interval())
        .isEqualTo(GammaInterval.of(h.estimate(), h.se() * h.se(), wB, 0.95));
    assertThat(h.note()).startsWith("b: no violation among 50 reviewed units standing for 33% of the exposure; "
        + "c: no violation among 100 reviewed units standing for 63% of the exposure — the upper limit allows one "
        + "more violation at the heaviest such stratum's mean weight");
  }

  @Test
  void is_the_default_and_korn_graubard_where_there_are_no_review_classes() {
    // the default switches where a class saw nothing (docs/calibration.md, "The default interval")
    assertThat(CalibrationOptions.defaults().interval()).isEqualTo(IntervalMethod.KG_GAMMA);
    TwoPhaseSample sparse = MoverWilsonTest.sparse();
    assertThat(humanOnly(sparse, CalibrationOptions.defaults())).isEqualTo(humanOnly(sparse, KG_GAMMA));
    assertThat(humanOnly(sparse, CalibrationOptions.defaults()).interval().method()).isEqualTo(GammaInterval.LABEL);
    // an active (Poisson) review has no classes, so every estimate is Korn–Graubard's, notes included
    TwoPhaseSample active = StratifiedPpiAipwTest.activeReview();
    CorrectedPrevalence byDefault = Calibration.estimate(active, CalibrationOptions.defaults());
    CorrectedPrevalence kg = Calibration.estimate(active, KG);
    assertThat(byDefault.get(CorrectedEstimator.HUMAN_ONLY)).isInstanceOf(Corrected.Estimated.class);
    for (Corrected c : byDefault.estimates()) {
      assertThat(c).isEqualTo(kg.get(c.estimator()));
    }
  }
}
