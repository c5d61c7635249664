package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seeded run of {@link AllocationSimulation} at 0.3% prevalence (20 000 units, 1 000 reviews per
 * arm): the Neyman-allocated review keeps the human-only interval's coverage and needs at least 5×
 * fewer labels than a simple random review for the same mean width (the goal). With 150
 * replicates the Monte Carlo SE of a coverage near 0.95 is 0.018, so the band [0.915, 0.985] is ±2 SE;
 * the full table (200 replicates, four prevalences) is bench/review-allocation.sh.
 */
class AllocationCoverageTest {
  private static final int REPS = Integer.getInteger("plumb.simulation.reps", 150);

  @Test
  void neyman_allocation_holds_coverage_with_five_times_fewer_labels_than_srs_at_three_per_mille() {
    Map<String, AllocationSimulation.Tally> t = AllocationSimulation.run(0.003, REPS, 11, AllocationSimulation.TEST_UNITS);
    StringBuilder report = new StringBuilder();
    t.forEach((arm, x) -> report.append(String.format(java.util.Locale.ROOT, "%s coverage %.3f width %.5f%n", arm,
        x.coverage(), x.meanWidth())));
    System.out.print(report);
    AllocationSimulation.Tally neyman = t.get("neyman");
    assertThat(neyman.coverage()).as(report.toString()).isBetween(0.915, 0.985);
    double fewer = Math.pow(t.get("srs").meanWidth() / neyman.meanWidth(), 2);
    assertThat(fewer).as(report.toString()).isGreaterThan(5);
  }
}
