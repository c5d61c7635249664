package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.gold.SimulatedPanel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb plan --review-budget} against the reviews it plans, a small seeded run of {@link PlanAccuracySimulation}
 * (the full table: {@code bench/plan-accuracy.sh}, docs/review.md "How good is the plan"): 20 replicates of phase 1,
 * pilot, plan, the drawn review and its estimate at 3% prevalence, 600 reviews, the truth as gold.
 */
class PlanAccuracyTest {
  @TempDir Path dir;

  /**
   * Active AIPW's interval is what the plan computes: z·√(V1 + max(V2_model, V2_design)), the estimator's own
   * variance in expectation, here with q from a 50 + 150 pilot. Over 100 replicates (bench/plan-accuracy.sh,
   * 2026-12-08) the mean planned half-width is within 1% of the mean 1.96·SE the estimates report in every cell;
   * over these 20, 1.003. The band [0.85, 1.15] is about five Monte Carlo SEs of the 20-replicate ratio wide; checked
   * by hand on this seed: a plan that ignored the π2 it draws with (κ from the mean π2) gives 1.68, one without the
   * model-anticipated term 0.45. (V1 is small here, 1.5% of the plan; the stratified test below checks it: both
   * plans compute it with ReviewPlan.phase1Variance.)
   */
  @Test
  void should_plan_the_half_width_active_aipw_reports() {
    PlanAccuracySimulation sim = new PlanAccuracySimulation(0.03, 11, dir);
    PlanAccuracySimulation.Tally t = sim.run(PlanAccuracySimulation.Design.ACTIVE, SimulatedPanel.EXACT,
        PlanAccuracySimulation.Rates.PILOT, 600, 20, 3);
    assertThat(t.estimated).isEqualTo(20);
    double ratio = t.meanPlanned() / (t.normal / t.estimated);
    assertThat(ratio).isBetween(0.85, 1.15);
  }

  /**
   * A stratified optimal review planned from calibrated risk scores (the true P(violating | score), no pilot), 3%
   * prevalence, human-only Korn–Graubard: with q right, the planned phase-1 variance V1 is the estimates' (ratio 1.03
   * over these 20 replicates and over 100 in bench/plan-accuracy.sh), and the planned half-width is 1.16× the mean
   * realized one (1.15 over 100; 1.03× 1.96·SD of the estimates): above it, as the square root of an expected
   * variance is above the mean of the realized ones' roots when a few heavy violations carry the variance. The bands:
   * V1 within [0.8, 1.25], the half-width ratio within [1.05, 1.35] (at least that skew, at most the 1.3× that would
   * call the plan systematically off, plus Monte Carlo error). Checked by hand on this seed: a plan that dropped V1
   * gives 0.99, one that planned a proportional allocation of the budget instead of the one drawn 2.04.
   */
  @Test
  void should_plan_the_stratified_review_it_draws() {
    PlanAccuracySimulation sim = new PlanAccuracySimulation(0.03, 11, dir);
    PlanAccuracySimulation.Tally t = sim.run(PlanAccuracySimulation.Design.STRATIFIED, SimulatedPanel.EXACT,
        PlanAccuracySimulation.Rates.CALIBRATED, 600, 20, 3);
    assertThat(t.estimated).isEqualTo(20);
    assertThat(t.phase1Ratio()).isBetween(0.8, 1.25);
    assertThat(t.overRealized()).isBetween(1.05, 1.35);
    // under the default, kg-gamma: in every replicate each review stratum (its 4 weight classes together) saw a violation, so it keeps
    // Korn–Graubard's interval; switching per weight class, as before h40, it switched in all 20 at 5.6× the half-width
    // (a light or heavy class with few reviews saw none; docs/calibration.md, "The default interval")
    assertThat(t.kgGammaSwitched).isZero();
    assertThat(t.kgGammaOverKg()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(t.perClassSwitched).isEqualTo(20);
    assertThat(t.perClassOverKg()).isGreaterThan(3);
  }
}
