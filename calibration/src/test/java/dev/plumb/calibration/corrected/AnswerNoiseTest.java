package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The raters' answer noise in an error model's gold g_i = y_i + ε_i (Var(ε_i | y_i) = v_i) enters the
 * variance whole, not scaled by the review's finite-population factor (docs/calibration.md, "The
 * answers' noise in the variance"; issue 14).
 */
class AnswerNoiseTest {
  private static final int N = 200;

  /** A census phase 1 of N units (π1 = 1), 20% violating. */
  private static DesignSample census(boolean[] y) {
    List<SampledUnit> units = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      y[i] = i % 5 == 0;
      units.add(SampledUnit.of("u" + i, 1, new Inclusion.WithoutReplacement("all", 1.0)));
    }
    return DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", N, 0, N)));
  }

  /**
   * Every unit reviewed, phase 1 a census: V1 = V2 = 0, so the whole variance is the answers' noise,
   * Σ c_i² v_i with c_i = 1/N for human-only: SE² = 0.25·N/N² = 0.25/200.
   */
  @Test
  void should_keep_the_answers_noise_when_every_unit_is_reviewed() {
    boolean[] y = new boolean[N];
    DesignSample s = census(y);
    List<GoldUnit> gold = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      gold.add(new GoldUnit("u" + i, y[i], "all", 1.0, (y[i] ? 1 : 0) + (i % 2 == 0 ? 0.5 : -0.5), null, 0.25));
    }
    Corrected.Estimated est = (Corrected.Estimated) Calibration.estimateOnly(
        TwoPhaseSample.of(s, new double[N], gold), CorrectedEstimator.HUMAN_ONLY, CalibrationOptions.defaults());
    assertThat(est.se() * est.se()).isCloseTo(0.25 / N, within(1e-15));
  }

  /**
   * Seeded: a simple random review of 100 of the 200 (π2 = 0.5), gold = truth ± 0.4 at random (v = 0.16).
   * Over 3 000 reviews the estimator's variance is (1 − f)S²_y/n + Σ c² v = 8.04e-4 + 1.6e-3; the mean of
   * SE² matches it, where V1 + V2 alone leave out f·Σ c² v = 8e-4. Observed with this seed: variance
   * 0.00238211 (expected 0.00240402), mean SE² 0.00240321, without the noise term 0.00160321.
   */
  @Test
  void should_estimate_the_variance_of_noisy_gold_under_a_partial_review() {
    boolean[] y = new boolean[N];
    DesignSample s = census(y);
    SplittableRandom rng = new SplittableRandom(14);
    int reps = 3_000;
    double sum = 0;
    double sumSq = 0;
    double sumV = 0;
    double sumVNoNoise = 0;
    for (int r = 0; r < reps; r++) {
      int[] order = rng.ints(0, N).distinct().limit(100).toArray();
      List<GoldUnit> gold = new ArrayList<>();
      List<GoldUnit> bare = new ArrayList<>();
      for (int i : order) {
        double g = (y[i] ? 1 : 0) + (rng.nextBoolean() ? 0.4 : -0.4);
        gold.add(new GoldUnit("u" + i, y[i], "all", 0.5, g, null, 0.16));
        bare.add(new GoldUnit("u" + i, y[i], "all", 0.5, g, null, 0));
      }
      Corrected.Estimated est = (Corrected.Estimated) Calibration.estimateOnly(
          TwoPhaseSample.of(s, new double[N], gold), CorrectedEstimator.HUMAN_ONLY, CalibrationOptions.defaults());
      Corrected.Estimated without = (Corrected.Estimated) Calibration.estimateOnly(
          TwoPhaseSample.of(s, new double[N], bare), CorrectedEstimator.HUMAN_ONLY, CalibrationOptions.defaults());
      sum += est.estimate();
      sumSq += est.estimate() * est.estimate();
      sumV += est.se() * est.se();
      sumVNoNoise += without.se() * without.se();
    }
    double mean = sum / reps;
    double variance = (sumSq - reps * mean * mean) / (reps - 1);
    double expected = 0.5 * (0.2 * 0.8 * N / (N - 1.0)) / 100 + 100 * 0.16 / (100.0 * 100.0);
    String seen = String.format(java.util.Locale.ROOT, "variance %.6g, expected %.6g, mean SE² %.6g, without the noise term %.6g",
        variance, expected, sumV / reps, sumVNoNoise / reps);
    assertThat(variance / expected).as(seen).isBetween(0.9, 1.1);
    assertThat(sumV / reps / variance).as(seen).isBetween(0.9, 1.1);
    assertThat(sumVNoNoise / reps / variance).as(seen).isLessThan(0.75);
  }
}
