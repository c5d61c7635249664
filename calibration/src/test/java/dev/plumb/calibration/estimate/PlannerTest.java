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


  /**
   * Two-phase planning, against an independent implementation of the same formula and search.
   *
   * <pre>
   * /usr/bin/python3 (scipy 1.10): z = norm.ppf(0.975); W = p*se + (1-p)*(1-sp); Rp = p*se/W;
   *   Rn = p*(1-se)/(1-W); S2 = [Rp(1-Rp), Rn(1-Rn)]; B = sum W_g (R_g - p)^2;
   *   V(n2) = B/n1 + sum_g W_g^2 S2_g / x_g, x_+ = max(2, min(round(n2 f), n2 - 2, floor(n1 W_+))),
   *   x_- = n2 - x_+, f = W_+ S_+ / sum W_g S_g; smallest n2 with V(n2) <= (h/z)^2
   * p = 0.01, se = 0.85, sp = 0.98, h = 0.002:
   *   n1 = inf:   W = 0.0283, Rp = 0.30035335689045917, Rn = 0.001543686322939179, n2 = 2510 (637 + 1873),
   *               closed form z^2 (sum W_g S_g)^2 / h^2 = 2509.819, se = 0.0010203901260746576, gold 194.2164128
   *   n1 = 20000: n2 = 2909 (566 + 2343: all 566 expected LLM positives), se = 0.0010204129247699683,
   *               gold 173.61685705464637 (without the cap: (sum W_g S_g)^2 / (h^2/z^2 - B/n1) = 2845.277)
   *   human-only: ceiling(z^2 p (1 - p) / h^2) = 9508
   * </pre>
   */
  @Test
  void two_phase_human_labels_for_the_double_sampling_estimator() {
    Planner.Target target = new Planner.Target(0.01, 0.002, false, 0.95);
    Planner.LlmQuality llm = new Planner.LlmQuality(0.85, 0.98);
    Planner.TwoPhasePlan unlimited = Planner.twoPhase(target, 0.01, llm, Double.POSITIVE_INFINITY);
    assertThat(unlimited.llmPositiveShare()).isCloseTo(0.0283, within(1e-15));
    assertThat(unlimited.ppv()).isCloseTo(0.30035335689045917, within(1e-15));
    assertThat(unlimited.falseOmission()).isCloseTo(0.001543686322939179, within(1e-15));
    assertThat(unlimited.n2()).isEqualTo(2510);
    assertThat(unlimited.n2Positive()).isEqualTo(637);
    assertThat(unlimited.n2Negative()).isEqualTo(1873);
    assertThat(unlimited.se()).isCloseTo(0.0010203901260746576, within(1e-15));
    assertThat(unlimited.expectedGoldPositives()).isCloseTo(194.2164128, within(1e-6));
    assertThat(unlimited.humanOnly()).isEqualTo(9508);
    assertThat(unlimited.reached()).isTrue();
    assertThat(unlimited.warnings()).isEmpty();

    Planner.TwoPhasePlan finite = Planner.twoPhase(target, 0.01, llm, 20_000);
    assertThat(finite.n2()).isEqualTo(2909);
    assertThat(finite.n2Positive()).isEqualTo(566);
    assertThat(finite.n2Negative()).isEqualTo(2343);
    assertThat(finite.se()).isCloseTo(0.0010204129247699683, within(1e-15));
    assertThat(finite.expectedGoldPositives()).isCloseTo(173.61685705464637, within(1e-9));

    Planner.TwoPhasePlan tooFew = Planner.twoPhase(target, 0.01, llm, 5_000);
    assertThat(tooFew.reached()).isFalse();
    assertThat(tooFew.n2()).isEqualTo(4_999); // floor(5000 W+) + floor(5000 W-): every expected unit of both groups
    assertThat(tooFew.humanOnlyReached()).isFalse();
    assertThat(tooFew.warnings().get(0)).isEqualTo("the target half-width is not reached even by reviewing all 5000"
        + " phase-1 units; label more units with the LLM");
  }

  /**
   * The planned SE of the double-sampling estimator matches a simulation of the two-phase design:
   * n1 units labeled by an LLM of the given quality, then an SRS of the planned size within each
   * LLM group; P̂ = Σ_g (n1_g/n1) ȳ_g.
   */
  @Test
  void two_phase_planned_standard_error_matches_simulation() {
    double p = 0.02;
    double se = 0.8;
    double sp = 0.95;
    int n1 = 5000;
    Planner.TwoPhasePlan plan = Planner.twoPhase(new Planner.Target(p, 0.004, false, 0.95), p,
        new Planner.LlmQuality(se, sp), n1);
    assertThat(plan.reached()).isTrue();
    SplittableRandom rng = new SplittableRandom(2024);
    int runs = 2000;
    double[] est = new double[runs];
    int[][] groups = new int[2][n1];
    for (int r = 0; r < runs; r++) {
      int[] count = new int[2];
      for (int i = 0; i < n1; i++) {
        boolean y = rng.nextDouble() < p;
        boolean llm = y ? rng.nextDouble() < se : rng.nextDouble() >= sp;
        int g = llm ? 0 : 1;
        groups[g][count[g]++] = y ? 1 : 0;
      }
      double estimate = 0;
      for (int g = 0; g < 2; g++) {
        long want = g == 0 ? plan.n2Positive() : plan.n2Negative();
        int take = (int) Math.min(want, count[g]);
        int positives = 0;
        for (int k = 0; k < take; k++) { // partial Fisher–Yates: an SRS of the group
          int j = k + rng.nextInt(count[g] - k);
          int t = groups[g][k];
          groups[g][k] = groups[g][j];
          groups[g][j] = t;
          positives += groups[g][k];
        }
        estimate += take == 0 ? 0 : (count[g] / (double) n1) * positives / take;
      }
      est[r] = estimate;
    }
    double mean = Arrays.stream(est).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(est).map(x -> (x - mean) * (x - mean)).sum() / (runs - 1));
    assertThat(mean).isCloseTo(p, within(3 * sd / Math.sqrt(runs)));
    assertThat(sd).as("simulated SE vs planned %.6f", plan.se()).isCloseTo(plan.se(), within(0.07 * plan.se()));
  }

  @Test
  void should_reject_an_llm_no_better_than_chance() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Planner.LlmQuality(0.5, 0.5))
        .hasMessage("sensitivity + specificity must exceed 1 (an LLM no better than chance cannot stratify), found 1.0");
  }
}
