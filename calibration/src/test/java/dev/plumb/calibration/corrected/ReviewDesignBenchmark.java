package dev.plumb.calibration.corrected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The review-design benchmark ({@code bench/review-designs.sh}): skipped in the test suite, run when
 * {@code -Dplumb.review.reps=N} is set; {@code -Dplumb.review.budget=N} (default 1000) and
 * {@code -Dplumb.review.prevalences="0.001 0.003"} (default 0.001 0.003 0.01 0.03) choose the rest.
 */
@EnabledIfSystemProperty(named = "plumb.review.reps", matches = "[0-9]+")
class ReviewDesignBenchmark {
  @Test
  void review_design_table() {
    String prevalences = System.getProperty("plumb.review.prevalences", "0.001 0.003 0.01 0.03").trim();
    String[] p = prevalences.split("\\s+");
    String[] args = new String[2 + p.length];
    args[0] = System.getProperty("plumb.review.reps");
    args[1] = System.getProperty("plumb.review.budget", "1000");
    System.arraycopy(p, 0, args, 2, p.length);
    ReviewDesignSimulation.main(args);
  }
}
