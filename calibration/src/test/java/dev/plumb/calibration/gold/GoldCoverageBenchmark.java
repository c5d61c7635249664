package dev.plumb.calibration.gold;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The full coverage benchmark ({@code bench/gold-coverage.sh}): skipped in the test suite, run when
 * {@code -Dplumb.gold.reps=N} is set; {@code -Dplumb.gold.only=TEXT} keeps the scenarios whose "name
 * prevalence" contains it, {@code -Dplumb.gold.unweighted=true} adds the unweighted-prior arm.
 */
@EnabledIfSystemProperty(named = "plumb.gold.reps", matches = "[0-9]+")
class GoldCoverageBenchmark {
  @Test
  void coverage_table() {
    GoldCoverageSimulation.main(new String[] {System.getProperty("plumb.gold.reps"),
        System.getProperty("plumb.gold.only", "")});
  }
}
