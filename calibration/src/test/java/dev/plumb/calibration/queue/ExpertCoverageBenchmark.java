package dev.plumb.calibration.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The full expert-tier benchmark ({@code bench/expert-coverage.sh}): skipped in the test suite, run
 * when {@code -Dplumb.expert.reps=N} is set.
 */
@EnabledIfSystemProperty(named = "plumb.expert.reps", matches = "[0-9]+")
class ExpertCoverageBenchmark {
  @Test
  void coverage_table() {
    ExpertCoverageSimulation.main(new String[] {System.getProperty("plumb.expert.reps"),
        System.getProperty("plumb.expert.only", "")});
  }
}
