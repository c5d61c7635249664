package dev.plumb.calibration.gold;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The full coverage benchmark ({@code bench/gold-coverage.sh}): skipped in the test suite, run when
 * {@code -Dplumb.gold.reps=N} is set.
 */
@EnabledIfSystemProperty(named = "plumb.gold.reps", matches = "[0-9]+")
class GoldCoverageBenchmark {
  @Test
  void coverage_table() {
    GoldCoverageSimulation.main(new String[] {System.getProperty("plumb.gold.reps")});
  }
}
