package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link Recalibration} against scipy ({@code src/test/resources/reference/recalibration.py}). */
class RecalibrationTest {
  @Test
  void fits_the_weighted_ridge_logistic_recalibration_as_scipy_does() {
    double[] f = {.4, .71, .29, .1, .95, .56, .64, .57, .48, .14, .32, .73, .89, .87, .93, .04};
    double[] y = {1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0};
    double[] pi = {.5, .8, .6, .9, .3, .4, .7, .2, .35, .6, .5, .8, .6, .9, .3, .4};
    double[] w = new double[pi.length];
    int[] index = new int[pi.length];
    for (int i = 0; i < pi.length; i++) {
      w[i] = 1 / pi[i];
      index[i] = i;
    }
    // python3 recalibration.py: -0.5845881990038393 0.27206266296716947 (scipy's BFGS to ~1e-7)
    double[] ab = Recalibration.fit(index, f, y, w);
    assertThat(ab[0]).isCloseTo(-0.5845881990038393, within(1e-6));
    assertThat(ab[1]).isCloseTo(0.27206266296716947, within(1e-6));
  }
}
