package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CertaintyFloorTest {

  /** One certainty unit (π = 1, positive) and {@code others} negatives sampled at π = 0.01. */
  private static DesignSample certaintyPositive(int others) {
    List<SampledUnit> units = new ArrayList<>();
    units.add(SampledUnit.of("big", 1, new Inclusion.WithoutReplacement("all", 1)));
    for (int i = 0; i < others; i++) {
      units.add(SampledUnit.of("u" + i, 1, new Inclusion.WithoutReplacement("all", 0.01)));
    }
    return DesignSample.of(DesignType.POISSON, units, List.of(new Stratum("all", 1 + 100L * others, 0, others + 1)));
  }

  @Test
  void should_not_let_a_certainty_positive_shrink_the_interval_to_a_point() {
    // Regression (issue 14, item 7): the only positive is a certainty unit, so the design variance
    // comes from the negatives' spread alone and Korn–Graubard gave [0.00099%, 0.00101%]-like widths.
    DesignSample s = certaintyPositive(999);
    double[] y = new double[1000];
    y[0] = 1;
    Estimate e = Estimator.ratio(s, y);
    assertThat(e.estimate()).isCloseTo(1 / 99_901.0, within(1e-15));
    Interval design = IntervalMethod.KORN_GRAUBARD.interval(e, 0.95);
    CertaintyFloor floor = CertaintyFloor.of(s, y, null);
    assertThat(floor.applies()).isTrue();
    assertThat(floor.uncertainKish()).isCloseTo(999, within(1e-9));
    Interval widened = floor.widen(design, 0.95);
    // the 999 non-certainty units saw no positive: exact two-sided bound 1 − 0.025^(1/999) on the
    // 99,900 exposure they stand for, plus the certainty unit's 1
    double upper = (1 + 99_900 * (1 - Math.pow(0.025, 1 / 999.0))) / 99_901;
    assertThat(widened.upper()).isCloseTo(upper, within(1e-12)).isGreaterThan(100 * design.upper() - 1e-3);
    assertThat(widened.lower()).isCloseTo(Math.min(design.lower(), 1 / 99_901.0), within(1e-15));
    assertThat(widened.method()).isEqualTo("korn-graubard");
    assertThat(widened.upper()).isGreaterThan(0.001); // a truth of 0.1% is inside
  }

  @Test
  void should_bind_on_the_gold_calls_when_the_gold_is_an_error_models_unbiased_gold() {
    // An error model's unbiased gold is never exactly 0 on a reviewed unit: a unit every rater called
    // safe gets g = −e0/(e1 − e0), e.g. −0.0003. The floor is decided on the gold calls, so it binds
    // as it does with exact gold (before, Σ_U w g = 0 was required and it never bound).
    DesignSample s = certaintyPositive(999);
    double[] g = new double[1000];
    java.util.Arrays.fill(g, -0.0003);
    g[0] = 1.02;
    boolean[] calls = new boolean[1000];
    calls[0] = true;
    double[] w = new double[1000];
    double[] pi = new double[1000];
    for (int i = 0; i < 1000; i++) {
      w[i] = s.d[i] * s.m[i];
      pi[i] = s.pi[i];
    }
    assertThat(CertaintyFloor.of(w, g, pi, null).applies()).isFalse();
    CertaintyFloor floor = CertaintyFloor.of(w, g, calls, pi, null);
    assertThat(floor.applies()).isTrue();
    // the same floor as exact gold's but for the certainty unit's g and P̂_U clipped to 0
    double upper = (1.02 + 99_900 * (1 - Math.pow(0.025, 1 / 999.0))) / 99_901;
    assertThat(floor.floor(0.95).upper()).isCloseTo(upper, within(1e-12));
    calls[7] = true;
    assertThat(CertaintyFloor.of(w, g, calls, pi, null).applies()).isFalse();
  }

  @Test
  void should_leave_intervals_without_certainty_units_and_censuses_alone() {
    DesignSample s = certaintyPositive(999);
    double[] y = new double[1000];
    y[5] = 1;
    boolean[] noCertain = new boolean[1000];
    java.util.Arrays.fill(noCertain, true);
    noCertain[0] = false;
    Interval ci = IntervalMethod.KORN_GRAUBARD.interval(Estimator.ratio(s, y, noCertain), 0.95);
    assertThat(CertaintyFloor.of(s, y, noCertain).applies()).isFalse();
    assertThat(CertaintyFloor.of(s, y, noCertain).widen(ci, 0.95)).isSameAs(ci);
    // positives among the non-certainty units: the design variance carries them, no floor
    double[] both = new double[1000];
    both[0] = 1;
    both[7] = 1;
    Interval withPositives = IntervalMethod.KORN_GRAUBARD.interval(Estimator.ratio(s, both), 0.95);
    assertThat(CertaintyFloor.of(s, both, null).applies()).isFalse();
    assertThat(CertaintyFloor.of(s, both, null).widen(withPositives, 0.95)).isSameAs(withPositives);
    Interval oneSided = IntervalMethod.KORN_GRAUBARD.interval(Estimator.ratio(s, new double[1000]), 0.95);
    assertThat(CertaintyFloor.of(s, new double[1000], null).widen(oneSided, 0.95)).isSameAs(oneSided);
  }

  @Test
  void should_cover_at_a_rare_prevalence_when_the_positives_seen_are_certainty_units() {
    // Seeded simulation: a frame of 40 certainty units (heavy exposure, 1 violating) and 40,000
    // others at 0.1% prevalence, Poisson-sampled at π = 0.025 (about 1,000 units, one positive
    // expected among them). Korn–Graubard alone undercovers; with the floor the interval covers.
    int reps = 400;
    int others = 40_000;
    SplittableRandom rng = new SplittableRandom(14);
    int coveredDesign = 0;
    int coveredFloor = 0;
    for (int r = 0; r < reps; r++) {
      boolean[] bad = new boolean[others];
      int positives = 0;
      for (int i = 0; i < others; i++) {
        bad[i] = rng.nextDouble() < 0.001;
        positives += bad[i] ? 1 : 0;
      }
      double truth = (50.0 + positives) / (40 * 50.0 + others);
      List<SampledUnit> units = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int c = 0; c < 40; c++) {
        units.add(SampledUnit.of("c" + c, 50, new Inclusion.WithoutReplacement("all", 1)));
        ys.add(c == 0 ? 1.0 : 0.0);
      }
      for (int i = 0; i < others; i++) {
        if (rng.nextDouble() < 0.025) {
          units.add(SampledUnit.of("u" + i, 1, new Inclusion.WithoutReplacement("all", 0.025)));
          ys.add(bad[i] ? 1.0 : 0.0);
        }
      }
      double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
      DesignSample s = DesignSample.of(DesignType.POISSON, units, List.of(new Stratum("all", 40 + others, 0, units.size())));
      Interval ci = IntervalMethod.KORN_GRAUBARD.interval(Estimator.ratio(s, y), 0.95);
      coveredDesign += ci.contains(truth) ? 1 : 0;
      coveredFloor += CertaintyFloor.of(s, y, null).widen(ci, 0.95).contains(truth) ? 1 : 0;
    }
    double design = coveredDesign / (double) reps;
    double floor = coveredFloor / (double) reps;
    assertThat(design).as("Korn–Graubard alone").isLessThan(0.70); // 0.62 at this seed
    assertThat(floor).as("with the certainty floor").isGreaterThanOrEqualTo(0.93); // 0.99: conservative
  }
}
