package dev.plumb.calibration.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The review-allocation benchmark ({@code bench/review-allocation.sh}): skipped in the test suite,
 * run when {@code -Dplumb.allocation.reps=N} is set.
 */
@EnabledIfSystemProperty(named = "plumb.allocation.reps", matches = "[0-9]+")
class AllocationBenchmark {
  @Test
  void coverage_table() {
    AllocationSimulation.main(new String[] {System.getProperty("plumb.allocation.reps")});
  }
}
