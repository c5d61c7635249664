package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlannerTest {

  @Test
  void srs_sample_size_for_an_absolute_half_width() {
    // R: z <- qnorm(0.975); n0 <- z^2 * 0.002 * 0.998 / 0.001^2   -> 7667.5518061055, ceiling 7668
    //    qbeta(c(0.025, 0.975), c(0.002 * 7668, 0.002 * 7668 + 1), c(7668 * 0.998 + 1, 7668 * 0.998))
    //    -> 0.0011280235 0.0032788881
    Planner.Plan plan = Planner.srs(new Planner.Target(0.002, 0.001, false, 0.95), 0);
    assertThat(plan.n()).isEqualTo(7668);
    assertThat(plan.expectedPositives()).isCloseTo(15.336, within(1e-9));
    assertThat(plan.halfWidth()).isLessThanOrEqualTo(0.001).isCloseTo(0.001, within(1e-7));
    assertThat(plan.deff()).isCloseTo(1, within(1e-12));
    assertThat(plan.expectedInterval().lower()).isCloseTo(0.0011280235, within(1e-9));
    assertThat(plan.expectedInterval().upper()).isCloseTo(0.0032788881, within(1e-9));
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void srs_sample_size_with_a_finite_population_and_a_relative_half_width() {
    // R: n0 * N / (N - 1 + n0) with N = 1e5 -> 7121.5727423999, ceiling 7122
    assertThat(Planner.srs(new Planner.Target(0.002, 0.001, false, 0.95), 100_000).n()).isEqualTo(7122);
    // R: ceiling(qnorm(0.975)^2 * 0.05 * 0.95 / (0.2 * 0.05)^2) -> 1825
    assertThat(Planner.srs(new Planner.Target(0.05, 0.2, true, 0.95), 0).n()).isEqualTo(1825);
  }

  @Test
  void should_warn_when_few_positives_are_expected() {
    Planner.Plan plan = Planner.srs(new Planner.Target(0.001, 0.002, false, 0.95), 0);
    assertThat(plan.expectedPositives()).isLessThan(10);
    assertThat(plan.warnings()).singleElement().asString().startsWith("only 1.0 positives expected");
  }

  /**
   * The planned variance is the anticipated variance E_y Var_p(P̂) (Isaki &amp; Fuller 1982): drawing
   * y ~ Bernoulli(score) and then a sample, the error P̂ − P_y has that variance.
   */
  @Test
  void planned_standard_error_matches_simulation_for_each_design() {
    CoverageSimulationTest.Config config =
        new CoverageSimulationTest.Config(5_000, 400, 0.05, 0.5, 0.05, new double[] {0.4, 0.4, 0.2});
    CoverageSimulationTest.Frame world = CoverageSimulationTest.frame(9, config);
    double[] s = world.s();
    double[] m = world.m();
    Planner.Frame frame = new Planner.Frame(m, s);
    double[] size = new double[s.length];
    int[] stratum = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      size[i] = m[i] * Math.max(s[i], config.floor());
      stratum[i] = s[i] < 0.05 ? 0 : s[i] < 0.3 ? 1 : 2;
    }
    Planner.Target target = new Planner.Target(0, 0.5, true, 0.95);
    for (DesignType type : DesignType.values()) {
      Planner.Design design = switch (type) {
        case SRS -> new Planner.Design.Srs();
        case STRATIFIED -> new Planner.Design.Stratified(stratum, config.share());
        default -> new Planner.Design.Sized(type, size);
      };
      double planned = Planner.atSize(target, frame, design, config.n()).se();
      SplittableRandom rng = new SplittableRandom(11 + type.ordinal());
      int runs = 400;
      double[] err = new double[runs];
      for (int r = 0; r < runs; r++) {
        double[] y = new double[s.length];
        double num = 0;
        double den = 0;
        for (int i = 0; i < s.length; i++) {
          y[i] = rng.nextDouble() < s[i] ? 1 : 0;
          num += m[i] * y[i];
          den += m[i];
        }
        CoverageSimulationTest.Frame f = new CoverageSimulationTest.Frame(config, m, s, y, num / den, den);
        CoverageSimulationTest.Drawn d = CoverageSimulationTest.sampler(type, f).draw(rng);
        err[r] = Estimator.ratio(d.sample(), d.y()).estimate() - f.prevalence();
      }
      double mean = Arrays.stream(err).average().orElseThrow();
      double sd = Math.sqrt(Arrays.stream(err).map(x -> (x - mean) * (x - mean)).sum() / (runs - 1));
      assertThat(sd).as("simulated SE under %s vs planned %.5f", type, planned).isCloseTo(planned, within(0.12 * planned));
    }
    assertThat(target.absolute(0.1)).isCloseTo(0.05, within(1e-15));
  }

}
