package dev.plumb.calibration.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values from R 4.x {@code epitools::ageadjust.direct} (Fay &amp; Feuer's gamma interval,
 * w = max c_i), with P̂, V̂ = Σ c_i² y_i and w computed as it does:
 *
 * <pre>
 * library(epitools)
 * f &lt;- function(count, pop, stdpop, level = 0.95) {
 *   r &lt;- ageadjust.direct(count = count, pop = pop, stdpop = stdpop, conf.level = level)
 *   c &lt;- stdpop / sum(stdpop) / pop
 *   print(c(r[c("adj.rate", "lci", "uci")], v = sum(c^2 * count), w = max(c)), digits = 17)
 * }
 * f(c(2, 5, 12, 30), c(1500, 2200, 3100, 2500), c(0.25, 0.30, 0.25, 0.20))
 * f(c(0, 1, 0, 3), c(800, 900, 1200, 600), c(40, 30, 20, 10))
 * f(c(0, 0, 0), c(100, 200, 300), c(1, 1, 1), 0.90)   # lci NaN: the p̂ = 0 boundary
 * </pre>
 */
class GammaIntervalTest {

  @ParameterizedTest(name = "P̂ {0}")
  @CsvSource({
    "4.3828934506353863e-03, 4.1857446664163156e-07, 1.6666666666666666e-04, 0.95, 0.0032075746290598163, 0.0059493164286727506",
    "8.3333333333333350e-04, 1.9444444444444445e-07, 5.0000000000000001e-04, 0.95, 0.00020506947861279981, 0.00292242435658077431",
    "0,                      0,                      3.3333333333333333e-03, 0.90, 0,                      0.009985774245179966",
  })
  void should_match_epitools_ageadjust_direct(double p, double v, double w, double level, double lower, double upper) {
    Interval ci = GammaInterval.of(p, v, w, level);
    assertThat(ci.lower()).isCloseTo(lower, within(1e-12 * Math.max(1e-3, lower)));
    assertThat(ci.upper()).isCloseTo(upper, within(1e-12));
    assertThat(ci.method()).isEqualTo("gamma");
    assertThat(ci.oneSided()).isFalse();
  }

  @Test
  void should_give_one_event_at_weight_w_when_nothing_was_seen() {
    // Gamma(1, w) is exponential: its 97.5% quantile is −w ln 0.025
    Interval ci = GammaInterval.of(0, 0, 0.001, 0.95);
    assertThat(ci.lower()).isZero();
    assertThat(ci.upper()).isCloseTo(-0.001 * Math.log(0.025), within(1e-15));
  }

  @Test
  void should_reduce_to_the_exact_poisson_interval_for_equal_weights() {
    // 4 events of weight 1/1000: Garwood's limits qgamma(0.025, 4)/1000 and qgamma(0.975, 5)/1000
    // (R: qgamma(0.025, 4); qgamma(0.975, 5) → 1.08986537362632, 10.2415886754037)
    Interval ci = GammaInterval.of(0.004, 0.004 / 1000, 0.001, 0.95);
    assertThat(ci.lower()).isCloseTo(1.08986537362632e-3, within(1e-15));
    assertThat(ci.upper()).isCloseTo(10.2415886754037e-3, within(1e-14));
  }

  @Test
  void should_stay_accurate_where_the_variance_is_tiny_beside_the_estimate() {
    // shapes 2e6 and 1e12, where the library's series fails to converge (the active review's simulation hit it);
    // R: qgamma(c(0.025, 0.975), shape = 2e6, scale = 1e-9); qgamma(c(0.025, 0.975), shape = 1e12, scale = 1e-15)
    Interval a = GammaInterval.of(0.002, 2e-12, 0, 0.95);
    assertThat(a.lower()).isCloseTo(0.0019972291396258023, within(1e-13));
    assertThat(a.upper()).isCloseTo(0.0020027727546800102, within(1e-13));
    Interval b = GammaInterval.of(0.001, 1e-18, 0, 0.95);
    assertThat(b.lower()).isCloseTo(0.00099999804003696267, within(1e-15));
    assertThat(b.upper()).isCloseTo(0.00100000195996493169, within(1e-15));
  }

  @Test
  void should_keep_a_known_value_as_its_lower_limit_and_cap_the_upper_at_one() {
    assertThat(GammaInterval.of(0.3, 0, 0, 0.95)).isEqualTo(new Interval(0.3, 0.3, 0.95, "gamma", false));
    assertThat(GammaInterval.of(0.9, 0.01, 0.5, 0.95).upper()).isEqualTo(1);
  }

  @Test
  void should_name_the_bad_value() {
    assertThatThrownBy(() -> GammaInterval.of(-0.1, 0, 0, 0.95))
        .hasMessage("Estimate is not a finite value >= 0: -0.1");
    assertThatThrownBy(() -> GammaInterval.of(0.1, Double.NaN, 0, 0.95))
        .hasMessage("Variance is not a finite value >= 0: NaN");
    assertThatThrownBy(() -> GammaInterval.of(0.1, 0, -1, 0.95))
        .hasMessage("Weight of one more event is not a finite value >= 0: -1.0");
    assertThatThrownBy(() -> GammaInterval.of(0.1, 0, 0, 1))
        .hasMessage("Confidence level is not in (0, 1): 1.0");
  }
}
