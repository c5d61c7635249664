package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountThresholdTest {

  @Test
  void should_count_without_bias_at_the_prevalence_it_was_asked_for() {
    // out-of-fold decision values: negatives N(−2, 1), positives N(+1, 1); a population at each π
    // with the same class-conditional laws: counting at the threshold estimates π, counting at the
    // training-balanced 0 overstates a rare π several times
    SplittableRandom rng = new SplittableRandom(17);
    int n = 20_000;
    double[] v = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 5 == 0;
      v[i] = (y[i] ? 1 : -2) + gaussian(rng);
    }
    CountThreshold c = CountThreshold.of(v, y);
    assertThat(c.positives()).hasSize(4000);
    assertThat(c.negatives()).hasSize(CountThreshold.POINTS); // 16,000 thinned to order statistics
    // at 0.4% the threshold rests on the ~30 out-of-fold negatives above it: about ±20% by chance
    for (double pi : new double[] {0.004, 0.02, 0.1}) {
      double t = c.at(pi);
      double fpr = 1 - normalCdf(t + 2);
      double fnr = normalCdf(t - 1);
      double expected = pi * (1 - fnr) + (1 - pi) * fpr;
      assertThat(expected).as("expected count share at π = %s", pi).isCloseTo(pi, within((pi < 0.01 ? 0.25 : 0.1) * pi));
      double atZero = pi * (1 - normalCdf(-1)) + (1 - pi) * (1 - normalCdf(2));
      if (pi < 0.01) {
        assertThat(atZero).isGreaterThan(3 * pi);
      }
    }
    assertThatThrownBy(() -> c.at(0)).hasMessage("prevalence is not in (0, 1): 0.0");
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** Φ(x) by the complementary error function's series-free approximation (Abramowitz &amp; Stegun 26.2.17, |ε| &lt; 7.5e-8). */
  private static double normalCdf(double x) {
    double t = 1 / (1 + 0.2316419 * Math.abs(x));
    double d = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    double p = d * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    return x >= 0 ? 1 - p : p;
  }
}
