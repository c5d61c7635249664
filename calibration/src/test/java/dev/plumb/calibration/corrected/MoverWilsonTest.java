package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Human-only's MOVER-Wilson interval. Reference values printed by
 * calibration/src/test/resources/reference/mover_wilson.py (statsmodels 0.13.5 Wilson limits, MOVER
 * by hand), which builds the same fixture: a census phase 1 (V1 = 0) and three review strata, one
 * reviewed whole, one with 3 positives among 50 of 200, one with none among 100 of 500.
 */
class MoverWilsonTest {
  /** Korn–Graubard everywhere (the default, kg-gamma, switches human-only where a class saw nothing). */
  private static final CalibrationOptions KG = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);

  private static final CalibrationOptions MOVER = new CalibrationOptions(0.95, IntervalMethod.MOVER_WILSON, false, 50);

  static TwoPhaseSample sparse() {
    List<SampledUnit> units = new ArrayList<>();
    List<GoldUnit> gold = new ArrayList<>();
    List<Double> llm = new ArrayList<>();
    Object[][] strata = {{"a", 30, 30, 1.0}, {"b", 200, 50, 0.25}, {"c", 500, 100, 0.2}};
    for (Object[] st : strata) {
      String name = (String) st[0];
      for (int i = 0; i < (int) st[1]; i++) {
        double m = switch (name) {
          case "a" -> 1 + i % 5;
          case "b" -> 1 + i % 7;
          default -> 2 + i % 3;
        };
        String id = name + "-" + i;
        units.add(SampledUnit.of(id, m, new Inclusion.WithoutReplacement("all", 1.0)));
        llm.add(name.equals("a") ? 1.0 : 0.0);
        if (i < (int) st[2]) {
          boolean positive = name.equals("a") ? i % 3 == 0 : name.equals("b") && Set.of(4, 17, 33).contains(i);
          gold.add(new GoldUnit(id, positive, name, (double) st[3]));
        }
      }
    }
    DesignSample p1 = DesignSample.of(DesignType.STRATIFIED, units, List.of(new Stratum("all", units.size(), 0, units.size())));
    return TwoPhaseSample.of(p1, llm.stream().mapToDouble(Double::doubleValue).toArray(), gold);
  }

  @Test
  void matches_statsmodels_wilson_limits_combined_by_mover() {
    Corrected.Estimated h = (Corrected.Estimated) Calibration.estimate(sparse(), MOVER).get(CorrectedEstimator.HUMAN_ONLY);
    assertThat(h.details().get("variance_phase1")).isCloseTo(0, within(1e-15));
    assertThat(h.estimate()).isCloseTo(0.0379266750948167, within(1e-12));
    assertThat(h.interval().lower()).isCloseTo(0.0226245993731174, within(1e-12));
    assertThat(h.interval().upper()).isCloseTo(0.0778016240291493, within(1e-12));
    assertThat(h.interval().method()).isEqualTo("mover-wilson");
  }

  @Test
  void a_stratum_with_no_positive_reviewed_widens_the_upper_limit_that_korn_graubard_leaves_narrow() {
    TwoPhaseSample s = sparse();
    Corrected.Estimated kg = (Corrected.Estimated) Calibration.estimate(s, KG).get(CorrectedEstimator.HUMAN_ONLY);
    Corrected.Estimated mw = (Corrected.Estimated) Calibration.estimate(s, MOVER).get(CorrectedEstimator.HUMAN_ONLY);
    assertThat(mw.estimate()).isEqualTo(kg.estimate());
    assertThat(mw.se()).isEqualTo(kg.se());
    assertThat(mw.interval().upper()).isGreaterThan(kg.interval().upper());
    // the Korn–Graubard estimate says so, naming the class and giving kg-gamma's limits (KgGammaTest: scipy's
    // 1.75549% and 7.55404%), the narrower interval that allows for the class
    assertThat(kg.note()).matches("c: no violation among 100 reviewed units standing for \\d+% of the exposure — this "
        + "interval treats what those reviews did not see as known; kg-gamma, which allows one more violation there, "
        + "gives \\[1\\.755%, 7\\.554%\\] \\(--interval kg-gamma; docs/calibration\\.md, \"What the 0\\.1% design "
        + "cannot do\"\\)");
    assertThat(mw.note()).doesNotContain("no violation among");
    // with a positive among class c's reviews there is nothing to say
    List<GoldUnit> gold = new ArrayList<>();
    for (int k = 0; k < s.goldIndex.length; k++) {
      int i = s.goldIndex[k];
      String id = s.phase1.units().get(i).id();
      gold.add(new GoldUnit(id, s.call[i] || id.equals("c-7"), s.strata2.get(s.stratum2[i]), s.pi2[i]));
    }
    Corrected.Estimated seen = (Corrected.Estimated) Calibration.estimate(TwoPhaseSample.of(s.phase1, s.llm, gold),
        KG).get(CorrectedEstimator.HUMAN_ONLY);
    assertThat(seen.note()).doesNotContain("no violation among");
  }

  @Test
  void only_human_only_changes_and_the_phase_one_term_keeps_the_limits_around_the_estimate() {
    CorrectedPrevalence kg = Calibration.estimate(Fixtures.stratified(false), KG);
    CorrectedPrevalence mw = Calibration.estimate(Fixtures.stratified(false), MOVER);
    for (Corrected c : mw.estimates()) {
      if (c instanceof Corrected.Estimated e) {
        if (c.estimator() == CorrectedEstimator.HUMAN_ONLY) {
          assertThat(e.interval().method()).isEqualTo("mover-wilson");
          assertThat(e.interval().lower()).isBetween(0.0, e.estimate());
          assertThat(e.interval().upper()).isBetween(e.estimate(), 1.0);
        } else {
          assertThat(e.interval()).isEqualTo(((Corrected.Estimated) kg.get(c.estimator())).interval());
        }
      }
    }
  }
}
