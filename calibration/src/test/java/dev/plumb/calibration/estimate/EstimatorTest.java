package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EstimatorTest {

  /** The SRS sample of {@link EstimatorRTest}. */
  private static final EstimatorRTest.Parsed SRS =
      EstimatorRTest.parse(DesignType.SRS, EstimatorRTest.SRS_DATA, Map.of("all", 400L));

  @Test
  void wald_matches_confint_of_svymean() {
    // R: d <- svydesign(ids = ~1, fpc = ~N, weights = ~I(m / pi), data = A)  (sample A of estimation_reference.R)
    //    confint(svymean(~y, d))  -> 0.010021175984111091 0.25093120496826982
    Interval w = IntervalMethod.WALD.interval(Estimator.ratio(SRS.sample(), SRS.y()), 0.95);
    assertThat(w.lower()).isCloseTo(0.010021175984111091, within(1e-9));
    assertThat(w.upper()).isCloseTo(0.25093120496826982, within(1e-9));
  }

  @Test
  void wilson_uses_the_effective_sample_size() {
    // R: m <- svymean(~y, d); neff <- coef(m) * (1 - coef(m)) / vcov(m)   -> 30.037180212797686
    //    prop.test(coef(m) * neff, neff, correct = FALSE)$conf.int  (the Wilson score interval)
    //    -> 0.051463674575447552 0.29328844202442689
    Estimate e = Estimator.ratio(SRS.sample(), SRS.y());
    assertThat(e.nEff()).isCloseTo(30.037180212797686, within(1e-6));
    assertThat(e.deff()).isCloseTo(30 / 30.037180212797686, within(1e-9));
    Interval w = IntervalMethod.WILSON.interval(e, 0.95);
    assertThat(w.lower()).isCloseTo(0.051463674575447552, within(1e-8));
    assertThat(w.upper()).isCloseTo(0.29328844202442689, within(1e-8));
  }

  @Test
  void should_give_a_one_sided_upper_bound_when_there_are_no_positives() {
    DesignSample s = srs(new double[] {1, 1, 2, 2}, 100);
    Estimate e = Estimator.ratio(s, new double[] {0, 0, 0, 0});
    assertThat(e.estimate()).isZero();
    assertThat(e.se()).isZero();
    double kish = 6.0 * 6.0 / 10.0; // weights d m = 25 * (1, 1, 2, 2)
    assertThat(e.kishNEff()).isCloseTo(kish, within(1e-12));
    for (IntervalMethod m : List.of(IntervalMethod.KORN_GRAUBARD, IntervalMethod.LOGIT, IntervalMethod.WILSON, IntervalMethod.WALD)) {
      Interval i = m.interval(e, 0.95);
      assertThat(i.oneSided()).isTrue();
      assertThat(i.lower()).isZero();
      assertThat(i.upper()).isCloseTo(1 - Math.pow(0.05, 1 / kish), within(1e-12)).isGreaterThan(0);
    }
    Interval b = IntervalMethod.BOOTSTRAP.interval(e, Bootstrap.ratio(s, new double[4], null, 50, 1), 0.95);
    assertThat(b.oneSided()).isTrue();
  }

  @Test
  void should_count_kish_n_eff_per_draw_for_pps_with_replacement() {
    // Regression (issue 14, item 7): Kish's n_eff was computed once per distinct unit with weight
    // draws·m/(n p), which treats a unit drawn three times as one heavy row.
    // R 4.2.2, survey 4.1.1 (calibration/src/test/r/ppswr_kish.R), one row per draw:
    //   d <- svydesign(ids = ~1, probs = ~I(200 * p / m), data = rows); w <- weights(d)
    //   sum(w)^2 / sum(w^2) -> 126.18430162621783; 1 - 0.05^(1 / kish) -> 0.02346132805399892
    //   with equal p and m: 200 and 0.014867039231272083
    List<SampledUnit> units = new ArrayList<>();
    List<SampledUnit> equal = new ArrayList<>();
    double sizes = 0;
    for (int i = 0; i < 100; i++) {
      sizes += 1 + i % 4;
    }
    for (int i = 0; i < 100; i++) {
      int draws = i < 50 ? 1 : 3;
      units.add(SampledUnit.of("u" + i, 1 + i % 5, new Inclusion.WithReplacement("all", (1 + i % 4) / sizes, draws)));
      equal.add(SampledUnit.of("u" + i, 1, new Inclusion.WithReplacement("all", 0.01, draws)));
    }
    List<Stratum> strata = List.of(new Stratum("all", 100, 0, 200));
    Estimate e = Estimator.ratio(DesignSample.of(DesignType.PPSWR, units, strata), new double[100]);
    assertThat(e.kishNEff()).isCloseTo(126.18430162621783, within(1e-9));
    assertThat(IntervalMethod.KORN_GRAUBARD.interval(e, 0.95).upper()).isCloseTo(0.02346132805399892, within(1e-12));
    Estimate flat = Estimator.ratio(DesignSample.of(DesignType.PPSWR, equal, strata), new double[100]);
    assertThat(flat.kishNEff()).isCloseTo(200, within(1e-9));
    assertThat(flat.deff()).isCloseTo(1, within(1e-12));
    assertThat(IntervalMethod.KORN_GRAUBARD.interval(flat, 0.95).upper()).isCloseTo(0.014867039231272083, within(1e-12));
  }

  @Test
  void should_give_a_one_sided_lower_bound_when_every_unit_is_positive() {
    DesignSample s = srs(new double[] {1, 1, 1}, 50);
    Interval i = IntervalMethod.KORN_GRAUBARD.interval(Estimator.ratio(s, new double[] {1, 1, 1}), 0.9);
    assertThat(i.oneSided()).isTrue();
    assertThat(i.upper()).isEqualTo(1);
    assertThat(i.lower()).isCloseTo(Math.pow(0.1, 1 / 3.0), within(1e-12));
  }

  @Test
  void should_give_the_point_for_a_census() {
    DesignSample s = srs(new double[] {1, 2, 3}, 3);
    Estimate e = Estimator.ratio(s, new double[] {1, 0, 0});
    assertThat(e.estimate()).isCloseTo(1 / 6.0, within(1e-15));
    assertThat(e.variance()).isZero();
    Interval i = IntervalMethod.KORN_GRAUBARD.interval(e, 0.95);
    assertThat(i.lower()).isEqualTo(i.upper()).isEqualTo(e.estimate());
    assertThat(i.method()).isEqualTo("census");
  }

  @Test
  void domain_variance_keeps_the_whole_design_not_a_subset() {
    // Estimating a domain by building a design from its units alone would use the domain's n in
    // the fpc and centring; the domain estimator keeps the design's n_h and zeros elsewhere.
    Estimate domain = Estimator.ratio(SRS.sample(), SRS.y(), SRS.sample().domains("surface").get("home"));
    List<SampledUnit> home = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < SRS.sample().size(); i++) {
      SampledUnit u = SRS.sample().units().get(i);
      if (u.attributes().get("surface").equals("home")) {
        home.add(u);
        y.add(SRS.y()[i]);
      }
    }
    DesignSample subset =
        DesignSample.of(DesignType.SRS, home, List.of(new Stratum("all", 400, 0, home.size())));
    Estimate naive = Estimator.ratio(subset, y.stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(naive.estimate()).isCloseTo(domain.estimate(), within(1e-12));
    assertThat(naive.se()).isNotCloseTo(domain.se(), within(1e-4));
    assertThat(domain.se()).isCloseTo(0.10641980820365052, within(1e-7)); // R svyby, see EstimatorRTest
  }

  @Test
  void bootstrap_variance_agrees_with_linearisation_for_each_design() {
    SplittableRandom rng = new SplittableRandom(5);
    for (DesignType type : DesignType.values()) {
      List<SampledUnit> units = new ArrayList<>();
      double[] y = new double[400];
      int[] n = new int[2];
      for (int i = 0; i < 400; i++) {
        String h = i < 250 ? "a" : "b";
        double pi = i < 250 ? 0.25 : 0.5;
        Inclusion inc = type.withReplacement()
            ? new Inclusion.WithReplacement(h, (1 + rng.nextInt(3)) / (i < 250 ? 500.0 : 300.0), 1)
            : new Inclusion.WithoutReplacement(h, type.poissonForm() ? 0.05 + 0.9 * rng.nextDouble() : pi);
        n[i < 250 ? 0 : 1]++;
        units.add(SampledUnit.of("u" + i, 1 + rng.nextInt(20), inc));
        y[i] = rng.nextDouble() < 0.2 ? 1 : 0;
      }
      DesignSample s = DesignSample.of(type, units,
          List.of(new Stratum("a", 1000, 0, n[0]), new Stratum("b", 300, 0, n[1])));
      Estimate e = Estimator.ratio(s, y);
      double[] reps = Bootstrap.ratio(s, y, null, 4000, 42);
      double mean = Arrays.stream(reps).average().orElseThrow();
      double sd = Math.sqrt(Arrays.stream(reps).map(r -> (r - mean) * (r - mean)).sum() / (reps.length - 1));
      assertThat(sd).as("bootstrap SE for %s", type).isCloseTo(e.se(), within(0.06 * e.se()));
      assertThat(mean).as("bootstrap mean for %s", type).isCloseTo(e.estimate(), within(0.1 * e.se()));
    }
  }

  @Test
  void bootstrap_is_reproducible_for_a_seed() {
    double[] a = Bootstrap.ratio(SRS.sample(), SRS.y(), null, 200, 7);
    double[] b = Bootstrap.ratio(SRS.sample(), SRS.y(), null, 200, 7);
    double[] c = Bootstrap.ratio(SRS.sample(), SRS.y(), null, 200, 8);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    Interval i = IntervalMethod.BOOTSTRAP.interval(Estimator.ratio(SRS.sample(), SRS.y()), a, 0.95);
    assertThat(i.lower()).isLessThan(0.1305).isGreaterThanOrEqualTo(0);
    assertThat(i.upper()).isGreaterThan(0.1305).isLessThan(0.5);
  }

  @Test
  void should_reject_records_that_do_not_fit_the_design() {
    Stratum all = new Stratum("all", 10, 0, 1);
    assertThatThrownBy(() -> DesignSample.of(DesignType.PPSWR,
            List.of(SampledUnit.of("u1", 1, new Inclusion.WithoutReplacement("all", 0.1))), List.of(all)))
        .hasMessage("unit \"u1\": a ppswr design needs p and draws, not pi");
    assertThatThrownBy(() -> DesignSample.of(DesignType.SRS,
            List.of(SampledUnit.of("u1", 1, new Inclusion.WithoutReplacement("s9", 0.1))), List.of(all)))
        .hasMessage("unit \"u1\": stratum \"s9\" is not among the design's strata");
    assertThatThrownBy(() -> DesignSample.of(DesignType.SRS,
            List.of(SampledUnit.of("u1", 1, new Inclusion.WithoutReplacement("all", 0.1))),
            List.of(new Stratum("all", 10, 0, 2))))
        .hasMessage("stratum \"all\": the manifest says n = 2 but the sample has 1 units");
    assertThatThrownBy(() -> new Inclusion.WithoutReplacement("all", 0))
        .hasMessage("pi must be in (0, 1]: 0.0");
    assertThatThrownBy(() -> IntervalMethod.parse("exact"))
        .hasMessage("unknown interval method \"exact\" (expected one of korn-graubard, logit, wilson, wald, bootstrap, kg-gamma)");
  }

  @Test
  void should_read_the_default_kg_gamma_as_korn_graubard_for_a_single_design_estimate() {
    // one phase has no review classes for kg-gamma to switch on: plumb estimate reports korn-graubard
    assertThat(IntervalMethod.parse("kg-gamma")).isEqualTo(IntervalMethod.KORN_GRAUBARD);
    assertThat(IntervalMethod.parseCorrected("kg-gamma")).isEqualTo(IntervalMethod.KG_GAMMA);
    Estimate e = Estimator.ratio(SRS.sample(), SRS.y());
    assertThat(IntervalMethod.KG_GAMMA.interval(e, 0.95)).isEqualTo(IntervalMethod.KORN_GRAUBARD.interval(e, 0.95));
    assertThat(IntervalMethod.KG_GAMMA.interval(e, 0.95).method()).isEqualTo("korn-graubard");
  }

  @Test
  void mover_wilson_is_a_corrected_method_only_and_gives_a_single_estimate_korn_graubard() {
    assertThatThrownBy(() -> IntervalMethod.parse("mover-wilson"))
        .hasMessage("unknown interval method \"mover-wilson\" (expected one of korn-graubard, logit, wilson, wald, bootstrap, kg-gamma)");
    assertThat(IntervalMethod.parseCorrected("Mover-Wilson")).isEqualTo(IntervalMethod.MOVER_WILSON);
    assertThat(IntervalMethod.parseCorrected("wald")).isEqualTo(IntervalMethod.WALD);
    assertThatThrownBy(() -> IntervalMethod.parseCorrected("bootstrap"))
        .hasMessage("bootstrap is not available for corrected estimators; use korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma");
    Estimate e = Estimator.ratio(SRS.sample(), SRS.y());
    assertThat(IntervalMethod.MOVER_WILSON.interval(e, 0.95)).isEqualTo(IntervalMethod.KORN_GRAUBARD.interval(e, 0.95));
    assertThat(IntervalMethod.MOVER_WILSON.forDesignEstimate()).isEqualTo(IntervalMethod.KORN_GRAUBARD);
  }

  @Test
  void should_reject_a_domain_without_exposure() {
    DesignSample s = srs(new double[] {0, 1}, 10);
    assertThatThrownBy(() -> Estimator.ratio(s, new double[] {0, 1}, new boolean[] {true, false}))
        .hasMessage("the domain's units all have weight 0");
    assertThatThrownBy(() -> Estimator.ratio(s, new double[] {0, 1}, new boolean[2]))
        .hasMessage("the domain has no sampled units");
  }

  private static DesignSample srs(double[] weights, long population) {
    List<SampledUnit> units = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      units.add(SampledUnit.of("u" + i, weights[i], new Inclusion.WithoutReplacement("all", (double) weights.length / population)));
    }
    return DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", population, 0, weights.length)));
  }
}
