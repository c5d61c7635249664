package dev.plumb.calibration.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MOVER with Wilson limits and coefficients (1, −1) is Newcombe's hybrid score interval for a
 * difference of proportions. Reference values from statsmodels 0.13.5:
 *
 * <pre>
 * from statsmodels.stats.proportion import confint_proportions_2indep
 * for (a,b,c,d) in [(7,40,2,50),(0,30,3,25),(12,60,12,60)]:
 *     print(a,b,c,d,['%.15g'%v for v in confint_proportions_2indep(a,b,c,d,method='newcomb',compare='diff')])
 * </pre>
 */
class MoverTest {

  @ParameterizedTest(name = "{0}/{1} - {2}/{3}")
  @CsvSource({
    "7,  40, 2,  50,  0.00610620794857733,  0.282373567100294",
    "0,  30, 3,  25, -0.299557939209273,    0.0179172425236655",
    "12, 60, 12, 60, -0.143382102544021,    0.143382102544021",
  })
  void wilson_limits_with_coefficients_one_and_minus_one_are_newcombes_difference_interval(
      int x1, int n1, int x2, int n2, double lower, double upper) {
    Interval a = BinomialInterval.WILSON.interval(x1, n1, 0.95);
    Interval b = BinomialInterval.WILSON.interval(x2, n2, 0.95);
    double[] l = Mover.limits(new double[] {1, -1}, new double[] {x1 / (double) n1, x2 / (double) n2},
        new double[] {a.lower(), b.lower()}, new double[] {a.upper(), b.upper()});
    assertThat(l[0]).isCloseTo(lower, within(1e-12));
    assertThat(l[1]).isCloseTo(upper, within(1e-12));
  }

  @Test
  void one_term_returns_its_own_limits_scaled() {
    double[] l = Mover.limits(new double[] {2}, new double[] {0.1}, new double[] {0.05}, new double[] {0.3});
    assertThat(l).containsExactly(new double[] {0.1, 0.6}, within(1e-15));
  }

  @Test
  void an_estimate_outside_its_limits_is_refused() {
    assertThatThrownBy(() -> Mover.limits(new double[] {1}, new double[] {0.5}, new double[] {0.6}, new double[] {0.7}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its limits");
  }
}
