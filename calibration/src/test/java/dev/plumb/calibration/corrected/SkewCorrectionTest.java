package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.BinomialInterval;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SkewCorrection}, the skewness-corrected interval tried against Korn–Graubard at 3%. Reference values
 * printed by calibration/src/test/resources/reference/skew_correction.py (numpy, scipy's normal quantile) on
 * {@link MoverWilsonTest}'s fixture with the SE fixed at 0.01.
 */
class SkewCorrectionTest {
  @Test
  void matches_the_reference_skewness_and_limits() {
    TwoPhaseSample s = MoverWilsonTest.sparse();
    Corrected.Estimated kg = (Corrected.Estimated) Calibration.estimate(s,
        CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD))
        .get(CorrectedEstimator.HUMAN_ONLY);
    assertThat(kg.estimate()).isCloseTo(0.03792667509481669, within(1e-15));
    double[] ab = SkewCorrection.moments(s, kg.estimate());
    assertThat(ab[0]).isCloseTo(0.3207355721770612, within(1e-12));
    assertThat(ab[1]).isCloseTo(0.4811696981520327, within(1e-12));
    Corrected.Estimated e = new Corrected.Estimated(CorrectedEstimator.HUMAN_ONLY, kg.estimate(), 0.01, kg.interval(),
        kg.effectiveN(), Map.of(), "");
    var ci = SkewCorrection.hall(s, e, 0.95);
    assertThat(ci.lower()).isCloseTo(0.02325705169138737, within(1e-12));
    assertThat(ci.upper()).isCloseTo(0.1184582424602947, within(1e-12));
    // right skew: the upper limit lies further from the estimate than the lower one
    assertThat(ci.upper() - kg.estimate()).isGreaterThan(kg.estimate() - ci.lower());
  }

  @Test
  void inverts_the_monotone_cubic_and_is_wald_without_skewness() {
    double z = BinomialInterval.z(0.95);
    assertThat(SkewCorrection.inverse(z, 0, 0)).isEqualTo(z);
    for (double a : new double[] {-0.5, -0.07, 0.1, 0.7}) {
      for (double x : new double[] {-z, -0.5, 0, 1, z}) {
        double b = a / 2 - 0.03;
        double t = SkewCorrection.inverse(x, a, b);
        assertThat(t + a * t * t + a * a * t * t * t / 3 + b).isCloseTo(x, within(1e-12));
      }
    }
  }
}
