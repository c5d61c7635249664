package dev.plumb.calibration.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small seeded run of {@link GoldCoverageSimulation}: the whole chain against the true prevalence.
 * The full table (200 replicates per scenario) is {@code bench/gold-coverage.sh}, recorded in
 * docs/benchmarks.md.
 */
class GoldCoverageTest {
  private static final GoldCoverageSimulation.Design SMALL =
      new GoldCoverageSimulation.Design(40_000, 2_000, 300, 600, 6, 3, 20, 40, 20);

  /**
   * Raters who each flip 5% of their answers, at 0.5% prevalence (issue 14): a majority of three calls
   * about 0.7% of clean units violating, more than there are violations. Observed with these seeds
   * (30 replicates, 20 bootstrap replicates, commit d87f707): majority-vote gold covered 0.33 with a
   * relative bias of +177% (+175% ± 16 beyond the truth as gold on the same samples); the error
   * model's posteriors covered 0.97 with +4.5% (+2.5% ± 2.3 beyond the truth as gold, which covered
   * 1.00 with +2.0%).
   */
  @Test
  void should_cover_the_truth_with_the_error_model_where_majority_vote_gold_fails() {
    GoldCoverageSimulation sim = new GoldCoverageSimulation(
        new GoldCoverageSimulation.Scenario("symmetric 5%", 0.005, 0.95, 0.95), SMALL, 11);
    Map<String, GoldCoverageSimulation.Tally> t = sim.run(30, 2026);
    GoldCoverageSimulation.Tally majority = t.get("majority / human-only KG");
    GoldCoverageSimulation.Tally model = t.get("error-model / human-only KG");
    String table = summary(t, sim.target);
    assertThat(majority.coverage()).as(table).isLessThan(0.6);
    assertThat(majority.relativeBias(sim.target)).as(table).isGreaterThan(0.8);
    assertThat(model.coverage()).as(table).isGreaterThanOrEqualTo(0.9);
    assertThat(model.relativeBias(sim.target)).as(table).isBetween(-0.2, 0.2);
    // on the same samples, against what the truth as gold gives: the gold's own part of the bias, free
    // of the design's sampling noise, and the coverage the design allows
    GoldCoverageSimulation.Tally truth = t.get("truth / human-only KG");
    assertThat(majority.pairedBias()).as(table).isGreaterThan(0.8);
    assertThat(model.pairedBias()).as(table).isBetween(-0.1, 0.1);
    assertThat(model.coverage()).as(table).isGreaterThanOrEqualTo(truth.coverage() - 0.05);
  }

  /**
   * Issue 14's worst case for the first error model: asymmetric raters (2% false flags, 15% misses) at
   * 0.1% prevalence, where one positive answer in three is no evidence either way and clean units in
   * {@code llm_negative} weigh several times what violating ones do. A prior constant within the
   * review stratum gives those heavy clean units the stratum's prevalence, and the estimate runs high
   * (+58% over 200 replicates); the prior logistic in the log design weight does not. Observed with
   * these seeds (20 replicates, 20 bootstrap replicates each): constant prior +113.5%, logistic prior
   * +7.3% with coverage 0.90.
   */
  @Test
  void should_not_overestimate_rare_violations_when_heavy_units_are_clean() {
    GoldCoverageSimulation sim = new GoldCoverageSimulation(
        new GoldCoverageSimulation.Scenario("asymmetric 2%/15%", 0.001, 0.85, 0.98), SMALL, 11);
    Map<String, GoldCoverageSimulation.Tally> t = sim.run(20, 2026, true);
    String table = summary(t, sim.target);
    assertThat(t.get(GoldCoverageSimulation.UNWEIGHTED).relativeBias(sim.target)).as(table).isGreaterThan(0.3);
    assertThat(t.get("error-model / human-only KG").relativeBias(sim.target)).as(table).isBetween(-0.15, 0.15);
    assertThat(t.get("error-model / human-only KG").coverage()).as(table).isGreaterThanOrEqualTo(0.9);
  }

  /** With raters who never err, the error model's gold gives exactly the majority's numbers. */
  @Test
  void should_not_change_any_number_when_the_raters_are_exact() {
    GoldCoverageSimulation sim = new GoldCoverageSimulation(
        new GoldCoverageSimulation.Scenario("exact", 0.005, 1, 1), SMALL, 11);
    Map<String, GoldCoverageSimulation.Tally> t = sim.run(8, 7);
    for (String kind : new String[] {"KG", "MOVER-Wilson"}) {
      GoldCoverageSimulation.Tally majority = t.get("majority / human-only " + kind);
      GoldCoverageSimulation.Tally model = t.get("error-model / human-only " + kind);
      assertThat(model.covered).isEqualTo(majority.covered);
      assertThat(model.sumEstimate).isCloseTo(majority.sumEstimate, within(1e-12));
      assertThat(model.sumWidth).isCloseTo(majority.sumWidth, within(1e-12));
    }
  }

  private static String summary(Map<String, GoldCoverageSimulation.Tally> t, double target) {
    StringBuilder out = new StringBuilder();
    t.forEach((arm, tally) -> out.append(String.format(java.util.Locale.ROOT,
        "%s: coverage %.3f, bias %+.3f, beyond truth-as-gold %+.3f ± %.3f, width %.5f%n", arm, tally.coverage(),
        tally.relativeBias(target), tally.pairedBias(), tally.pairedStandardError(), tally.meanWidth())));
    return out.toString();
  }
}
