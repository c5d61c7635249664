package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seeded run of {@link AllocationSimulation} at 0.3% prevalence (20 000 units, 1 000 reviews per
 * arm, human-only MOVER-Wilson): the Neyman-allocated review keeps the interval's coverage (band
 * [0.915, 1]: ±2 Monte Carlo SE below 0.95 at 150 replicates; MOVER-Wilson is conservative) and needs
 * fewer labels than a simple random review for the same mean width. It does <b>not</b> reach the
 * issue's 5×: in 40 replicates 2.9× (docs/calibration.md). With Korn–Graubard the same allocation was
 * 6.6× narrower than SRS but covered 0.60: its cleared classes' rare misses went unseen and counted as
 * absent. The full table (200 replicates, four prevalences) is bench/review-allocation.sh.
 */
class AllocationCoverageTest {
  private static final int REPS = Integer.getInteger("plumb.simulation.reps", 150);

  @Test
  void neyman_allocation_holds_coverage_with_fewer_labels_than_srs_at_three_per_mille() {
    Map<String, AllocationSimulation.Tally> t = AllocationSimulation.run(0.003, REPS, 11, AllocationSimulation.TEST_UNITS,
        List.of("srs", "neyman"));
    StringBuilder report = new StringBuilder();
    t.forEach((arm, x) -> report.append(String.format(java.util.Locale.ROOT, "%s coverage %.3f width %.5f%n", arm,
        x.coverage(), x.meanWidth())));
    System.out.print(report);
    AllocationSimulation.Tally neyman = t.get("neyman");
    assertThat(neyman.coverage()).as(report.toString()).isGreaterThanOrEqualTo(0.915);
    assertThat(neyman.fewer(t.get("srs"))).as(report.toString()).isGreaterThan(1.5);
  }
}
