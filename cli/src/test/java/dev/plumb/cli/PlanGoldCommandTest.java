package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code plumb plan gold}: the numbers of GoldErrorPlanTest as a user reads them, and bad values. */
class PlanGoldCommandTest {
  @Test
  void should_print_majority_error_model_and_expert_tier() {
    Cli c = Cli.run("plan", "gold", "--rater-sensitivity", "0.95", "--rater-specificity", "0.95", "--prevalence", "0.005",
        "--review", "900", "--honeypots-violating", "20", "--honeypots-clean", "40", "--expert-negatives", "0.2");
    assertThat(c.err()).isEmpty();
    assertThat(c.code()).isEqualTo(ExitCode.OK);
    assertThat(c.out()).contains(
        "majority of 3:  calls 0.725% of clean units violating and misses 0.725% of violations: bias +143.6% (+0.7178 points)",
        "error model:    with 20 violating + 40 clean honeypots and 3 raters on every unit: error ±23.69% (1 SD)",
        "                for ±10%: 4,377 clean honeypots (with 20 violating)",
        "expert tier:    every consensus-positive (about 11 units); on those alone: bias -0.725%",
        "                + 178 of about 889 consensus-negatives (0.2): bias 0, error ±8.022% (1 SD)",
        "                for ±10%: the consensus-positives alone (about 11 expert reviews)");
  }

  @Test
  void should_count_expert_reviews_of_the_negatives_when_the_misses_matter() {
    Cli c = Cli.run("plan", "gold", "--rater-sensitivity", "0.7", "--rater-specificity", "0.99", "--prevalence", "0.01",
        "--review", "1000", "--overlap", "1");
    assertThat(c.out()).contains(
        "error model:    the rates cannot be estimated (one rater per unit); add overlap or honeypots of both classes",
        "                for ±10%: 737 of the consensus-negatives (754 expert reviews in all)");
  }

  @Test
  void should_refuse_a_bad_value_with_one_line() {
    Cli c = Cli.run("plan", "gold", "--rater-sensitivity", "0.95", "--rater-specificity", "0.95", "--prevalence", "0.005",
        "--review", "900", "--expert-negatives", "1.5");
    assertThat(c.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(c.err().strip()).isEqualTo("--expert-negatives: must be in (0, 1], found 1.5");
    Cli p = Cli.run("plan", "gold", "--rater-sensitivity", "0.95", "--rater-specificity", "0.95", "--prevalence", "5",
        "--review", "900");
    assertThat(p.err().strip()).isEqualTo("--prevalence: must be in (0, 1), found 5");
  }
}
