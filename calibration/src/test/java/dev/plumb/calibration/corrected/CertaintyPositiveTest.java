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
import org.junit.jupiter.api.Test;

/**
 * Regression (issue 14, item 7): when the only gold positive is a certainty unit (π₁π₂ = 1) and the
 * other reviewed units showed none, human-only's interval had almost no width — 1 positive with
 * π = 1 gave 0.0159% [0.0155%, 0.0163%] against a truth of 0.056%.
 */
class CertaintyPositiveTest {

  /** A Poisson phase 1: one certainty unit (positive) and 1,999 units at π₁ = 0.02; a review of 400 of them at π₂ = 0.5 plus the certainty unit whole. */
  private static TwoPhaseSample sample() {
    List<SampledUnit> units = new ArrayList<>();
    List<GoldUnit> gold = new ArrayList<>();
    double[] llm = new double[2000];
    units.add(SampledUnit.of("big", 1, new Inclusion.WithoutReplacement("all", 1)));
    gold.add(new GoldUnit("big", true, "llm_positive", 1));
    llm[0] = 1;
    for (int i = 1; i < 2000; i++) {
      units.add(SampledUnit.of("u" + i, 1, new Inclusion.WithoutReplacement("all", 0.02)));
      if (i <= 800 && i % 2 == 0) {
        gold.add(new GoldUnit("u" + i, false, "llm_negative", 0.5));
      }
    }
    DesignSample p1 = DesignSample.of(DesignType.POISSON, units, List.of(new Stratum("all", 100_000, 0, 2000)));
    return TwoPhaseSample.of(p1, llm, gold);
  }

  @Test
  void human_only_is_never_narrower_than_what_the_unseen_non_certainty_part_allows() {
    for (CalibrationOptions options : List.of(CalibrationOptions.defaults(),
        new CalibrationOptions(0.95, IntervalMethod.MOVER_WILSON, false, 50))) {
      Corrected.Estimated h = (Corrected.Estimated) Calibration.estimate(sample(), options).get(CorrectedEstimator.HUMAN_ONLY);
      // human-only over the reviewed units, each weighing m/(π₁π₂): 1 for the certainty unit, 100
      // for each of the 400 others, so P̂ = 1/40,001
      double mu = 400 * 50.0 / 0.5;
      assertThat(h.estimate()).isCloseTo(1 / (1 + mu), within(1e-12));
      // the 400 non-certainty reviews saw no positive: the floor is the exact two-sided bound on
      // Kish's n = 400 over the 40,000 of exposure they stand for
      double floor = (1 + mu * (1 - Math.pow(0.025, 1 / 400.0))) / (1 + mu);
      assertThat(h.interval().upper()).as(options.toString()).isGreaterThanOrEqualTo(floor - 1e-12);
      assertThat(h.interval().upper()).isGreaterThan(100 * h.estimate());
    }
  }
}
