package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.corrected.ReviewClassIntervals.GammaWeight;
import dev.plumb.calibration.estimate.IntervalMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Human-only's gamma interval ({@code --interval gamma}). Reference values printed by
 * calibration/src/test/resources/reference/gamma_interval.py (scipy's gamma quantiles, P̂, V̂ and the
 * weights by hand) on {@link MoverWilsonTest}'s fixture: a census phase 1 and review classes a (30 of
 * 30), b (50 of 200, 3 positives) and c (100 of 500, none).
 */
class GammaTest {
  private static final CalibrationOptions GAMMA = new CalibrationOptions(0.95, IntervalMethod.GAMMA, false, 50);

  @Test
  void matches_scipy_on_the_estimate_its_variance_and_the_weight_of_one_more_event() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    assertThat(ReviewClassIntervals.gammaWeight(s, null, GammaWeight.MAX)).isCloseTo(0.0117994100294985, within(1e-15));
    assertThat(ReviewClassIntervals.gammaWeight(s, null, GammaWeight.MEAN)).isCloseTo(0.00555555555555555, within(1e-15));
    assertThat(ReviewClassIntervals.gammaWeight(s, null, GammaWeight.UNSEEN_CLASS_MAX))
        .isCloseTo(0.00842815002107038, within(1e-15));
    assertThat(ReviewClassIntervals.gammaWeight(s, null, GammaWeight.UNSEEN_CLASS_MEAN))
        .isCloseTo(0.0063000421407501, within(1e-15));
    assertThat(ReviewClassIntervals.gammaWeight(s, null, GammaWeight.UNSEEN_CLASS_ONLY))
        .isCloseTo(0.0063000421407501, within(1e-15));
    Corrected.Estimated h = (Corrected.Estimated) Calibration.estimate(s, GAMMA).get(CorrectedEstimator.HUMAN_ONLY);
    assertThat(h.estimate()).isCloseTo(0.0379266750948167, within(1e-12));
    assertThat(h.se() * h.se()).isCloseTo(0.000155685219459686, within(1e-15));
    assertThat(h.interval().method()).isEqualTo("gamma");
    assertThat(h.interval().lower()).isCloseTo(0.0175549263106552, within(1e-12));
    // the rule calibrate uses, ReviewClassIntervals.GAMMA_WEIGHT: the mean weight (Tiwari, Clegg & Zou 2006)
    assertThat(ReviewClassIntervals.GAMMA_WEIGHT).isEqualTo(GammaWeight.MEAN);
    assertThat(h.interval().upper()).isCloseTo(0.0740587209405387, within(1e-12));
    // it allows for what class c did not show, so the note that Korn–Graubard gets is not needed
    assertThat(h.note()).doesNotContain("no violation among");
  }

  @Test
  void adds_no_event_once_every_class_reviewed_in_part_has_shown_a_violation() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    List<GoldUnit> gold = new ArrayList<>();
    for (int i : s.goldIndex) {
      String id = s.phase1.units().get(i).id();
      gold.add(new GoldUnit(id, s.call[i] || id.equals("c-7"), s.strata2.get(s.stratum2[i]), s.pi2[i]));
    }
    TwoPhaseSample seen = TwoPhaseSample.of(s.phase1, s.llm, gold);
    assertThat(ReviewClassIntervals.gammaWeight(seen, null, GammaWeight.UNSEEN_CLASS_ONLY)).isZero();
    // the mean-weight rules fall back to Tiwari's mean over every reviewed unit
    assertThat(ReviewClassIntervals.gammaWeight(seen, null, GammaWeight.UNSEEN_CLASS_MEAN))
        .isEqualTo(ReviewClassIntervals.gammaWeight(seen, null, GammaWeight.MEAN));
  }

  @Test
  void changes_only_human_only_whose_limits_stay_around_the_estimate() {
    CorrectedPrevalence kg = Calibration.estimate(Fixtures.stratified(false), CalibrationOptions.defaults());
    CorrectedPrevalence g = Calibration.estimate(Fixtures.stratified(false), GAMMA);
    for (Corrected c : g.estimates()) {
      if (c instanceof Corrected.Estimated e) {
        Corrected.Estimated k = (Corrected.Estimated) kg.get(c.estimator());
        assertThat(e.estimate()).isEqualTo(k.estimate());
        assertThat(e.se()).isEqualTo(k.se());
        if (c.estimator() == CorrectedEstimator.HUMAN_ONLY) {
          assertThat(e.interval().method()).isEqualTo("gamma");
          assertThat(e.interval().lower()).isBetween(0.0, e.estimate());
          assertThat(e.interval().upper()).isBetween(e.estimate(), 1.0);
        } else {
          assertThat(e.interval()).isEqualTo(k.interval());
        }
      }
    }
  }
}
