package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.corrected.ReviewDesignSimulation.Cell;
import dev.plumb.calibration.corrected.ReviewDesignSimulation.Design;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seeded review-design simulation, small ({@link ReviewDesignSimulation}; the full table is
 * {@code bench/review-designs.sh}): 1% prevalence, 20 000 labeled units, a budget of 1 000 reviews,
 * 60 replications per design (Monte Carlo SE of a coverage near 0.95: 0.03).
 */
class ReviewDesignTest {
  private static final int REPS = Integer.getInteger("plumb.review.test.reps", 60);

  @Test
  void confidence_driven_review_with_aipw_covers_and_needs_far_fewer_labels_than_simple_random_review() {
    ReviewDesignSimulation.Population pop = new ReviewDesignSimulation.Population(0.01, 7);
    Map<Design, Map<CorrectedEstimator, Cell>> r = ReviewDesignSimulation.run(pop, REPS, 1000, 8);
    Cell srs = r.get(Design.SRS).get(CorrectedEstimator.HUMAN_ONLY);
    Cell active = r.get(Design.ACTIVE).get(CorrectedEstimator.ACTIVE_AIPW);
    // A wrong π2 (or weights left out) biases AIPW and collapses its coverage; a variance that
    // ignores the rare misses in low-π units gives 0.7–0.85 here.
    assertThat(active.coverage()).isGreaterThanOrEqualTo(0.9);
    assertThat(active.meanLabels()).isBetween(950.0, 1050.0);
    assertThat(ReviewDesignSimulation.labelsSaved(srs, active)).isGreaterThan(5);
    // stratified PPI is never wider than human-only on the same design (λ_h = 0 is double sampling)
    for (Design d : Design.values()) {
      Cell human = r.get(d).get(CorrectedEstimator.HUMAN_ONLY);
      Cell strat = r.get(d).get(CorrectedEstimator.STRATIFIED_PPI);
      assertThat(strat.meanWidth()).as(d.label).isLessThanOrEqualTo(1.05 * human.meanWidth());
      assertThat(strat.coverage()).as(d.label).isGreaterThanOrEqualTo(0.9);
    }
  }
}
