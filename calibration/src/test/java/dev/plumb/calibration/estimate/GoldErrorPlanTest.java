package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link GoldErrorPlan} against {@code python3 calibration/src/test/resources/reference/gold_error_plan.py}
 * (scipy's binomial, the majority's derivative exact rather than by central differences).
 */
class GoldErrorPlanTest {
  private static GoldErrorPlan.Plan plan(double se, double sp, int r, double p, int n, int hv, int hc, double share) {
    return GoldErrorPlan.plan(new GoldErrorPlan.Request(se, sp, r, p, n, hv, hc, 0.1, share));
  }

  /** Symmetric 5% flips, three raters, 0.5% (issue 14): majority gold runs at 2.4 times the prevalence. */
  @Test
  void should_match_scipy_for_symmetric_raters() {
    GoldErrorPlan.Plan x = plan(0.95, 0.95, 3, 0.005, 900, 20, 40, 0.2);
    assertThat(x.majoritySensitivity()).isCloseTo(0.992750000000000, within(1e-12));
    assertThat(x.majorityFalsePositive()).isCloseTo(0.007250000000000, within(1e-12));
    assertThat(x.majorityBias()).isCloseTo(7.177500000000011e-03, within(1e-12));
    assertThat(x.errorModel()).isCloseTo(1.184363100671343e-03, within(1e-8));
    assertThat(x.cleanHoneypots()).isEqualTo(4377);
    assertThat(x.violatingHoneypots()).isEqualTo(20);
    assertThat(x.consensusPositives()).isCloseTo(10.959750, within(1e-6));
    assertThat(x.consensusNegatives()).isCloseTo(889.040250, within(1e-6));
    assertThat(x.positivesOnlyBias()).isCloseTo(-3.624999999999989e-05, within(1e-15));
    assertThat(x.expertReviews()).isEqualTo(178);
    assertThat(x.expertError()).isCloseTo(4.011085076530208e-04, within(1e-12));
    // the consensus-positives alone leave -0.7% of the prevalence: within the 10% target
    assertThat(x.expertReviewsNeeded()).isZero();
  }

  @Test
  void should_match_scipy_for_asymmetric_raters_and_four_per_unit() {
    GoldErrorPlan.Plan x = plan(0.85, 0.98, 3, 0.005, 900, 20, 40, 0.2);
    assertThat(x.majorityBias()).isCloseTo(8.743300000000013e-04, within(1e-12));
    assertThat(x.errorModel()).isCloseTo(3.708172193030141e-04, within(1e-8));
    assertThat(x.cleanHoneypots()).isZero();
    assertThat(x.expertError()).isCloseTo(1.161484714760875e-03, within(1e-12));
    GoldErrorPlan.Plan even = plan(0.9, 0.97, 4, 0.02, 600, 10, 30, 0.5);
    assertThat(even.majoritySensitivity()).isCloseTo(0.972, within(1e-12)); // a 2-2 tie counts half
    assertThat(even.majorityFalsePositive()).isCloseTo(0.002646, within(1e-12));
    assertThat(even.errorModel()).isCloseTo(7.026701092569451e-04, within(1e-8));
    assertThat(even.expertReviews()).isEqualTo(294);
    assertThat(even.expertError()).isCloseTo(9.638094082363583e-04, within(1e-12));
  }

  /** One rater per unit: only honeypots teach the rates; the misses need expert reviews of the negatives. */
  @Test
  void should_raise_violating_honeypots_and_count_expert_reviews_without_overlap() {
    GoldErrorPlan.Plan x = plan(0.7, 0.99, 1, 0.01, 1000, 30, 60, 0.3);
    assertThat(x.majorityBias()).isCloseTo(6.900000000000009e-03, within(1e-12));
    assertThat(x.errorModel()).isCloseTo(1.846996119375011e-02, within(1e-8));
    assertThat(x.violatingHoneypots()).isEqualTo(89);
    assertThat(x.cleanHoneypots()).isEqualTo(40405);
    assertThat(x.expertReviews()).isEqualTo(295);
    assertThat(x.expertError()).isCloseTo(2.641263591303574e-03, within(1e-12));
    assertThat(x.expertReviewsNeeded()).isEqualTo(737);
  }

  @Test
  void should_say_the_rates_cannot_be_estimated_with_one_rater_and_no_honeypot() {
    GoldErrorPlan.Plan x = plan(0.9, 0.99, 1, 0.01, 500, 0, 0, Double.NaN);
    assertThat(x.errorModel()).isNaN();
    assertThat(x.cleanHoneypots()).isEqualTo(-1);
    assertThat(x.expertReviews()).isZero();
  }

  @Test
  void should_name_the_bad_value() {
    assertThatThrownBy(() -> plan(0.9, 0.99, 3, 0.01, 500, 0, 0, 1.5))
        .isInstanceOfSatisfying(GoldErrorPlan.BadValue.class, e -> assertThat(e.field()).isEqualTo("expert-negatives"))
        .hasMessage("must be in (0, 1], found 1.5");
    assertThatThrownBy(() -> plan(0.4, 0.5, 3, 0.01, 500, 0, 0, Double.NaN))
        .hasMessage("must be such that sensitivity + specificity exceeds 1 (raters better than chance), found 0.9");
  }
}
