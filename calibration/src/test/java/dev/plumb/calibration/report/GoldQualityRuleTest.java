package dev.plumb.calibration.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.report.CalibrationReport.GoldSummary;
import dev.plumb.calibration.report.SignOff.Check;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gold-quality sign-off rule (issue 14, item 4): rater error that moves the estimate is named. */
class GoldQualityRuleTest {
  private static final SignOffRules.Threshold T = GoldQualityRule.DEFAULT;

  private static GoldQuality quality(double estimate, double calls, List<String> warnings) {
    return new GoldQuality(null, List.of(), 12, 400, estimate, calls, 0.1, warnings);
  }

  @Test
  void should_pass_a_small_shift_warn_a_moderate_one_and_fail_when_the_number_rests_on_the_model() {
    Check pass = GoldQualityRule.check(T, quality(0.0105, 0.0100, List.of()), null);
    assertThat(pass.verdict()).isEqualTo(Verdict.PASS);
    assertThat(pass.message()).isEqualTo("rater error moves the estimate by +5.0% (human-only 1.00% on the gold calls,"
        + " 1.05% on each unit's error-corrected gold) (at most 10%)");
    Check warn = GoldQualityRule.check(T, quality(0.0070, 0.0100, List.of()), null);
    assertThat(warn.verdict()).isEqualTo(Verdict.WARN);
    assertThat(warn.value()).isEqualTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(warn.message()).endsWith(", above the recommended 10%");
    // the case: a majority of noisy raters at 0.5% gives ~1.2%; the model takes it back to 0.5%
    Check fail = GoldQualityRule.check(T, quality(0.005, 0.012, List.of()), null);
    assertThat(fail.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(fail.message()).isEqualTo("rater error moves the estimate by -58.3% (human-only 1.20% on the gold calls,"
        + " 0.500% on each unit's error-corrected gold), above the maximum 50%: the number rests on the error"
        + " model more than on the reviews; add honeypots, raters per item or an expert tier");
  }

  @Test
  void should_warn_when_the_error_rates_are_uncertain_even_if_the_shift_is_small() {
    Check c = GoldQualityRule.check(T, quality(0.0101, 0.0100, List.of("the panel's sensitivity interval is ±0.21")), null);
    assertThat(c.verdict()).isEqualTo(Verdict.WARN);
    assertThat(c.message()).endsWith("(at most 10%); the error rates are uncertain: the panel's sensitivity interval is ±0.21");
  }

  @Test
  void should_say_when_the_gold_error_not_the_reviews_sets_the_width() {
    GoldQuality dominated = new GoldQuality(null, List.of(), 12, 302, 0.000852, 0.000827, 0.9999972,
        List.of("panel sensitivity 0.830 is known only to ±0.342"));
    assertThat(GoldQualityRule.check(T, dominated, null).message()).isEqualTo("rater error moves the estimate by +3.0%"
        + " (human-only 0.0827% on the gold calls, 0.0852% on each unit's error-corrected gold) (at most 10%); the gold"
        + " error is over 99% of human-only's variance (the error rates' uncertainty and the answers' noise): it, not"
        + " the number of reviews, sets the interval's width; the error rates are uncertain: panel sensitivity 0.830 is"
        + " known only to ±0.342");
    GoldQuality half = new GoldQuality(null, List.of(), 12, 302, 0.0105, 0.0100, 0.62, List.of());
    Check c = GoldQualityRule.check(T, half, null);
    assertThat(c.verdict()).isEqualTo(Verdict.PASS);
    assertThat(c.message()).contains("; the gold error is 62% of human-only's variance");
    assertThat(GoldQualityRule.check(T, quality(0.0105, 0.0100, List.of()), null).message()).doesNotContain("variance");
  }

  @Test
  void should_say_when_a_consensus_of_several_raters_has_no_error_model_and_stay_silent_for_single_gold() {
    GoldSummary majority = new GoldSummary(Map.of("majority", 900), 900, 3.0, 0.95, 800, 900);
    Check c = GoldQualityRule.check(T, null, majority);
    assertThat(c.verdict()).isEqualTo(Verdict.WARN);
    assertThat(c.message()).isEqualTo("the raters' errors are not measured: the gold is a majority consensus of 3.0"
        + " raters per unit on average, and at low prevalence a majority's false flags can outnumber the violations;"
        + " import the answers with --consensus error-model (docs/calibration.md, \"Gold error\")");
    assertThat(GoldQualityRule.check(T, null, new GoldSummary(Map.of("majority", 900), 900, 1.0, 1.0, 900, 900))).isNull();
    assertThat(GoldQualityRule.check(T, null, new GoldSummary(Map.of(), 0, Double.NaN, Double.NaN, 0, 0))).isNull();
    assertThat(GoldQualityRule.of(null, quality(0.005, 0.012, List.of()), null).check(null)).isEmpty();
  }
}
