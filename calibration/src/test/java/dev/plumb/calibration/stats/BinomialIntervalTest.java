package dev.plumb.calibration.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Reference values from statsmodels 0.13.5 (Debian python3-statsmodels):
 *
 * <pre>
 * from statsmodels.stats.proportion import proportion_confint
 * for (x,n) in [(7,50),(0,20),(20,20),(3,1000),(12.5,40.3)]:
 *     for m in ['normal','wilson','beta','jeffreys']:
 *         print(x,n,m,["%.15g"%v for v in proportion_confint(x,n,alpha=0.05,method=m)])
 * </pre>
 */
class BinomialIntervalTest {

  @ParameterizedTest(name = "{0} {1}/{2}")
  @CsvSource({
    "WALD,            7,    50,   0.0438218692205372,  0.236178130779463",
    "WILSON,          7,    50,   0.0695083342701629,  0.261861937105855",
    "CLOPPER_PEARSON, 7,    50,   0.0581917003403721,  0.267396002497008",
    "JEFFREYS,        7,    50,   0.0648717011505185,  0.255325028156392",
    "WILSON,          0,    20,   0,                   0.161125158052819",
    "CLOPPER_PEARSON, 0,    20,   0,                   0.168433470983085",
    "WILSON,          20,   20,   0.83887484194718,    1",
    "CLOPPER_PEARSON, 20,   20,   0.831566529016915,   1",
    "WALD,            3,    1000, 0,                   0.0063896612415839",
    "WILSON,          3,    1000, 0.00102078388113862, 0.00878301405350318",
    "CLOPPER_PEARSON, 3,    1000, 0.000619099931649571, 0.0087420232384783",
    "JEFFREYS,        3,    1000, 0.000845634801829835, 0.00798436735840344",
    "WALD,            12.5, 40.3, 0.167360636758013,   0.45298675778293",
    "WILSON,          12.5, 40.3, 0.189239806744284,   0.464147271780924",
    "CLOPPER_PEARSON, 12.5, 40.3, 0.174213308652303,   0.475259298097408",
    "JEFFREYS,        12.5, 40.3, 0.184237498130831,   0.462289357160102",
  })
  void should_match_statsmodels(BinomialInterval method, double x, double n, double lower, double upper) {
    Interval ci = method.interval(x, n, 0.95);
    assertThat(ci.lower()).isCloseTo(lower, within(1e-10));
    assertThat(ci.upper()).isCloseTo(upper, within(1e-10));
  }

  @Test
  void should_set_jeffreys_bounds_to_the_edge_at_zero_and_n() {
    // Brown, Cai & DasGupta (2001) modification; statsmodels leaves the beta quantile there instead.
    assertThat(BinomialInterval.JEFFREYS.interval(0, 20, 0.95).lower()).isZero();
    assertThat(BinomialInterval.JEFFREYS.interval(20, 20, 0.95).upper()).isEqualTo(1.0);
  }

  @Test
  void should_give_the_rule_of_three_bound_for_zero_successes() {
    // 1 - 0.05^(1/100) = 0.0295130...; the rule of three gives ≈ 0.03
    Interval ci = BinomialInterval.upperBoundForZero(100, 0.95);
    assertThat(ci.oneSided()).isTrue();
    assertThat(ci.lower()).isZero();
    assertThat(ci.upper()).isCloseTo(0.029513049, within(1e-9));
  }

  @Test
  void should_name_the_bad_value() {
    assertThatThrownBy(() -> BinomialInterval.WILSON.interval(1, 0, 0.95))
        .hasMessage("Number of trials is not strictly positive: 0.0");
    assertThatThrownBy(() -> BinomialInterval.WILSON.interval(5, 4, 0.95))
        .hasMessage("Number of successes 5.0 is not in [0, 4.0]");
    assertThatThrownBy(() -> BinomialInterval.WILSON.interval(1, 4, 95))
        .hasMessage("Confidence level is not in (0, 1): 95.0");
  }
}
