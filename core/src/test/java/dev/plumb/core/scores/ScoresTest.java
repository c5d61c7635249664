package dev.plumb.core.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reference values from core/src/test/resources/reference/scores.py (sklearn 1.2.1, numpy 1.24.2). */
class ScoresTest {

  private static final int N = 40;

  private static double[] score() {
    double[] s = new double[N];
    for (int i = 0; i < N; i++) {
      s[i] = ((i * 37) % 101) / 100.0;
    }
    s[5] = s[6];
    return s;
  }

  @Test
  void isotonic_matches_sklearn_isotonic_regression_with_sample_weight() {
    // IsotonicRegression(out_of_bounds="clip").fit(score, outcome, sample_weight=weight).predict(...)
    double[] s = score();
    double[] y = new double[N];
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      y[i] = ((i * 13) % 7) < 2 + 4 * s[i] ? 1 : 0;
      w[i] = 1 + (i % 4) * 0.5;
    }
    Isotonic iso = Isotonic.fit(s, y, w);
    double[] probe = {-0.5, 0.0, 0.055, 0.1, 0.33, 0.5, 0.61, 0.775, 0.9, 0.99, 1.0, 2.0};
    double[] sklearn = {0.18181818181818182, 0.18181818181818182, 0.18181818181818182, 0.375, 0.4864864864864865,
        0.5454545454545454, 0.72, 0.9130434782608695, 0.9130434782608695, 1.0, 1.0, 1.0};
    for (int k = 0; k < probe.length; k++) {
      assertThat(iso.apply(probe[k])).as("at %s", probe[k]).isCloseTo(sklearn[k], within(1e-12));
    }
    double[] fitted = {0.18181818181818182, 0.4864864864864865, 0.72, 0.375, 0.5454545454545454, 0.4864864864864865,
        0.4864864864864865, 0.72, 0.9130434782608695, 0.4864864864864865, 0.72, 0.18181818181818182, 0.4864864864864865,
        0.9130434782608695, 0.4444444444444444, 0.5454545454545454, 0.9130434782608695, 0.4864864864864865, 0.72, 1.0,
        0.4864864864864865, 0.72, 0.18181818181818182, 0.4864864864864865, 0.9130434782608695, 0.4444444444444444,
        0.5714285714285714, 0.9130434782608695, 0.4864864864864865, 0.72, 1.0, 0.4864864864864865, 0.72, 0.375,
        0.5454545454545454, 0.9130434782608695, 0.4444444444444444, 0.5714285714285714, 0.9130434782608695,
        0.4864864864864865};
    for (int i = 0; i < N; i++) {
      assertThat(iso.apply(s[i])).as("unit %d", i).isCloseTo(fitted[i], within(1e-12));
    }
    double[] v = iso.values();
    for (int i = 1; i < v.length; i++) {
      assertThat(v[i]).isGreaterThanOrEqualTo(v[i - 1]);
    }
  }

  @Test
  void isotonic_rejects_what_it_cannot_fit() {
    assertThatThrownBy(() -> Isotonic.fit(new double[] {0.1}, new double[] {1, 0}, null))
        .hasMessage("score, outcome and weight must have the same length");
    assertThatThrownBy(() -> Isotonic.fit(new double[] {0.1}, new double[] {1}, new double[] {0}))
        .hasMessage("no pair has a positive weight");
    assertThatThrownBy(() -> Isotonic.fit(new double[] {Double.NaN}, new double[] {1}, null))
        .hasMessage("pair 0 is not finite: (NaN, 1.0)");
  }

  @Test
  void prior_shift_follows_saerens_equation_and_inverts() {
    // eq. 2.4 by hand: p = 0.5 at π_t = 0.2 re-expressed at π = 0.005
    double a = 0.005 / 0.2 * 0.5;
    double b = 0.995 / 0.8 * 0.5;
    assertThat(PriorShift.adjust(0.5, 0.2, 0.005)).isCloseTo(a / (a + b), within(1e-15));
    assertThat(PriorShift.adjust(0.3, 0.2, 0.2)).isCloseTo(0.3, within(1e-15));
    assertThat(PriorShift.adjust(PriorShift.adjust(0.83, 0.2, 0.004), 0.004, 0.2)).isCloseTo(0.83, within(1e-12));
    assertThatThrownBy(() -> PriorShift.adjust(0.5, 0, 0.1)).hasMessage("from base rate is not in (0, 1): 0.0");
  }

  @Test
  void to_mean_sets_the_level_and_keeps_the_odds_ratios() {
    double[] p = {0.9, 0.5, 0.2, 0.05, 0.01};
    double[] w = {1, 2, 3, 4, 10};
    double[] q = PriorShift.toMean(p, w, 0.003);
    double mean = 0;
    for (int i = 0; i < p.length; i++) {
      mean += w[i] * q[i] / 20;
    }
    assertThat(mean).isCloseTo(0.003, within(1e-12));
    // the odds ratio between two units is unchanged: the same correction as adjust(p, from, to)
    double before = p[0] / (1 - p[0]) / (p[3] / (1 - p[3]));
    double after = q[0] / (1 - q[0]) / (q[3] / (1 - q[3]));
    assertThat(after).isCloseTo(before, within(1e-9 * before));
    assertThatThrownBy(() -> PriorShift.toMean(new double[] {0, 0}, null, 0.1))
        .hasMessage("no shift of the probabilities reaches a mean of 0.1");
  }

  @Test
  void em_matches_an_independent_implementation_of_saerens_et_al() {
    // scores.py: em(p, w, 0.2) -> 0.2931061640182574; equal weights -> 0.36921358177662605
    double[] p = new double[200];
    double[] w = new double[200];
    for (int i = 0; i < 200; i++) {
      p[i] = 0.02 + 0.96 * Math.pow(((i * 29) % 97) / 96.0, 3);
      w[i] = 1 + (i % 5);
    }
    assertThat(PriorShift.em(p, w, 0.2).prior()).isCloseTo(0.2931061640182574, within(1e-8));
    assertThat(PriorShift.em(p, null, 0.2).prior()).isCloseTo(0.36921358177662605, within(1e-8));
  }

  @Test
  void em_recovers_a_rare_prevalence_that_classify_and_count_overstates() {
    // a calibrated classifier at training rate 20%: scores drawn from class-conditional Beta-like
    // laws; the population has 0.5% positives (label shift)
    SplittableRandom rng = new SplittableRandom(3);
    int n = 200_000;
    double[] p = new double[n];
    int positives = 0;
    for (int i = 0; i < n; i++) {
      boolean y = rng.nextDouble() < 0.005;
      positives += y ? 1 : 0;
      // log-odds at training prior 0.2: N(±1.5, 1.2) around the prior's log-odds
      double f = Math.log(0.25) + (y ? 1.5 : -1.5) + 1.2 * gaussian(rng);
      double lr = Math.exp(f - Math.log(0.25));
      // the calibrated posterior at π_t = 0.2 of this likelihood ratio of N(1.5,1.2) vs N(-1.5,1.2)
      double x = Math.log(lr);
      double llr = (2 * 1.5 * x) / (1.2 * 1.2);
      p[i] = 1 / (1 + Math.exp(-(llr + Math.log(0.25))));
    }
    double truth = positives / (double) n;
    int counted = 0;
    for (double v : p) {
      counted += v >= 0.5 ? 1 : 0;
    }
    PriorShift.Estimate e = PriorShift.em(p, null, 0.2);
    assertThat(counted / (double) n).isGreaterThan(5 * truth); // classify-and-count at 0.5
    assertThat(e.prior()).isCloseTo(truth, within(0.1 * truth));
    double t = PriorShift.countThreshold(e.posteriors(), null);
    int above = 0;
    for (double q : e.posteriors()) {
      above += q >= t ? 1 : 0;
    }
    assertThat(above / (double) n).isCloseTo(e.prior(), within(2.0 / n));
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
