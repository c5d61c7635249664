package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.gold.UnbiasedGold;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RaterPart}: the raters' part of a planned review's variance. */
class RaterPartTest {
  private static final double[] Q = {0.3, 0.01, 0.001, 0.05, 0.6};
  private static final double[] PRIOR = {0.2, 0.02, 0.005, 0.05, 0.4};
  private static final double[] PRIOR_VAR = {0.05, 0.08, 0.2, 0.06, 0.04};
  private static final double[] W = {1, 5, 40, 3, 2};
  private static final double[] PI2 = {1, 0.5, 0.2, 0.8, 1};

  private static RaterPart.Parts parts() {
    List<ReviewPanel.Rater> raters = List.of(new ReviewPanel.Rater("a", 0.9, 0.99, 0.002, 1e-5),
        new ReviewPanel.Rater("b", 0.8, 0.97, 0.004, 4e-5), new ReviewPanel.Rater("c", 0.95, 0.995, 0.001, 2e-6));
    return RaterPart.of(raters, 1, 3, Q, PRIOR, PRIOR_VAR, W, 51);
  }

  /**
   * Reference values from {@code python3 calibration/src/test/resources/reference/rater_part.py} (numpy, from the
   * formulas: every answer pattern enumerated, g = (q(a) − e0)/(e1 − e0), derivatives by central differences with
   * step 1e-6 where plumb uses 1e-4 and 1e-3 — the slope terms agree to 1e-4 relative, the squared means to 1e-3, the differences' truncation error): three counted raters and
   * one excluded, three asked per item, so four rater sets of which the excluded rater's answer is dropped.
   */
  @Test
  void should_match_an_independent_computation_of_the_answers_noise_and_the_rates_uncertainty() {
    RaterPart.Parts p = parts();
    assertThat(p.sets()).isEqualTo(4);
    double[] noise = {0.014788542461977625, 0.002315691483763899, 0.0005616597203929713, 0.006225563215205233,
        0.016223197388638703};
    double[] square = {0.001050410503278713, 0.00018381718470360987, 4.83083037317225e-05, 0.00042859263373598214,
        0.0011096801390845787};
    double[] meanSquare = {3.40622806844704e-05, 4.931968297125846e-07, 6.015055814525164e-08, 3.292910371535075e-06,
        6.367723674849134e-05};
    for (int j = 0; j < 5; j++) {
      assertThat(p.noise()[j]).as("noise %d", j).isCloseTo(noise[j], within(1e-12));
      assertThat(p.square()[j]).as("square %d", j).isCloseTo(square[j], within(1e-4 * square[j]));
      assertThat(p.meanSquare()[j]).as("meanSquare %d", j).isCloseTo(meanSquare[j], within(1e-3 * meanSquare[j] + 1e-13));
    }
    assertThat(p.systematic()).isCloseTo(4.7499896340146196e-07, within(1e-4 * 4.75e-7));
    assertThat(p.rates(W, 51, PI2)).isCloseTo(0.00015639238037182506, within(1e-4 * 1.564e-4));
  }

  @Test
  void should_leave_nothing_for_raters_who_never_err_and_rates_known() {
    List<ReviewPanel.Rater> exact = List.of(new ReviewPanel.Rater("a", 1, 1, 0, 0), new ReviewPanel.Rater("b", 1, 1, 0, 0));
    RaterPart.Parts p = RaterPart.of(exact, 0, 2, Q, PRIOR, new double[5], W, 51);
    for (double v : p.noise()) {
      assertThat(v).isCloseTo(0, within(1e-9));
    }
    assertThat(p.rates(W, 51, PI2)).isCloseTo(0, within(1e-12));
  }

  /** What import scores an item with: at the true rates the gold is unbiased in each class. */
  @Test
  void the_unbiased_gold_has_the_true_class_as_its_expectation_at_the_true_rates() {
    double[] se = {0.9, 0.8, 0.95};
    double[] sp = {0.99, 0.97, 0.995};
    double[] m = UnbiasedGold.moments(se, sp, se, sp, 0.01);
    assertThat(m[4]).isCloseTo(0, within(1e-12));
    assertThat(m[5]).isCloseTo(1, within(1e-12));
    double[] off = UnbiasedGold.moments(new double[] {0.85, 0.8, 0.95}, sp, se, sp, 0.01);
    assertThat(off[5]).isNotCloseTo(1, within(1e-4)); // a wrong sensitivity moves the gold of violating units
  }

  @Test
  void should_enumerate_the_rater_sets_and_pool_a_large_panel() {
    assertThat(RaterPart.sets(3, 1, 3)).hasSize(4);
    assertThat(RaterPart.sets(2, 0, 4)).hasSize(1); // more asked than the panel has: all of them
    assertThat(RaterPart.sets(30, 0, 3)).isNull(); // 4 060 sets: pooled
  }
}
