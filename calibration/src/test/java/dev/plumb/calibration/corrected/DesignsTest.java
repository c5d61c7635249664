package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariants that tie the two-phase variance to the estimation core for every phase-1 design. */
class DesignsTest {

  /** A phase-1 sample of the given design with 3 strata, exposure and 0/1 truth and LLM calls. */
  private static DesignSample phase1(DesignType type, double[] y, double[] llm, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SampledUnit> units = new ArrayList<>();
    List<Stratum> strata = new ArrayList<>();
    int[] sizes = {30, 20, 10};
    boolean stratified = type != DesignType.SRS && type != DesignType.POISSON && type != DesignType.PRIORITY;
    int k = 0;
    int totalDraws = 0;
    for (int h = 0; h < 3; h++) {
      String id = stratified ? "s" + h : "all";
      int draws = 0;
      for (int j = 0; j < sizes[h]; j++, k++) {
        double m = 1 + rng.nextInt(20);
        Inclusion inc;
        if (type == DesignType.PPSWR) {
          int d = rng.nextInt(10) == 0 ? 2 : 1;
          draws += d;
          inc = new Inclusion.WithReplacement(id, 0.0005 * (1 + rng.nextInt(5)), d);
        } else if (type == DesignType.SRS) {
          inc = new Inclusion.WithoutReplacement(id, 60 / 900.0);
        } else if (type == DesignType.STRATIFIED) {
          inc = new Inclusion.WithoutReplacement(id, sizes[h] / (100.0 * (h + 1)));
        } else {
          inc = new Inclusion.WithoutReplacement(id, 0.01 + 0.5 * rng.nextDouble());
        }
        units.add(SampledUnit.of("u" + k, m, inc));
        y[k] = rng.nextDouble() < 0.1 + 0.2 * h ? 1 : 0;
        llm[k] = rng.nextDouble() < (y[k] == 1 ? 0.85 : 0.1) ? 1 : 0;
      }
      if (stratified) {
        strata.add(new Stratum(id, type == DesignType.STRATIFIED ? 100L * (h + 1) : 0, 0,
            type == DesignType.PPSWR ? draws : sizes[h]));
      }
      totalDraws += draws;
    }
    if (!stratified) {
      strata.add(new Stratum("all", type == DesignType.SRS ? 900 : 0, 0, type == DesignType.PPSWR ? totalDraws : 60));
    }
    return DesignSample.of(type, units, strata);
  }

  @ParameterizedTest
  @EnumSource(DesignType.class)
  void reviewing_every_sampled_unit_reproduces_the_single_phase_hajek_estimate(DesignType type) {
    double[] y = new double[60];
    double[] llm = new double[60];
    DesignSample s = phase1(type, y, llm, 11);
    List<GoldUnit> census = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      census.add(new GoldUnit("u" + i, y[i] == 1, "all", 1.0));
    }
    CorrectedPrevalence p = Calibration.estimate(TwoPhaseSample.of(s, llm, census), CalibrationOptions.defaults());
    Estimate direct = Estimator.ratio(s, y);
    for (CorrectedEstimator e : List.of(CorrectedEstimator.HUMAN_ONLY, CorrectedEstimator.DOUBLE_SAMPLING,
        CorrectedEstimator.PPI, CorrectedEstimator.PPI_PLUS_PLUS)) {
      Corrected.Estimated est = (Corrected.Estimated) p.get(e);
      // With π2 = 1 there is no phase-2 variance and V1 is the phase-1 design's own estimator.
      assertThat(est.estimate()).as(e.label()).isCloseTo(direct.estimate(), within(1e-12));
      assertThat(est.se()).as(e.label()).isCloseTo(direct.se(), within(1e-12));
      assertThat(est.details().get("variance_phase2")).as(e.label()).isCloseTo(0.0, within(1e-18));
    }
  }

  @ParameterizedTest
  @EnumSource(DesignType.class)
  void both_variance_components_are_unbiased_over_repeated_review_samples(DesignType type) {
    // For a fixed variable e on S: E2[V̂1(e)] = the phase-1 estimator on all of S
    // (Estimator.totalVariance), and E2[V̂2(b)] = the true phase-2 variance of Σ_G d1 b/π2, here
    // checked by the Monte Carlo variance over the same review samples. Phase 2 is stratified by
    // the LLM call: 12 of the LLM-positives, 18 of the LLM-negatives.
    double[] y = new double[60];
    double[] llm = new double[60];
    DesignSample s = phase1(type, y, llm, 12);
    double[] e = new double[60];
    for (int i = 0; i < 60; i++) {
      e[i] = s.exposure(i) * (y[i] - 0.3) + 0.5 * llm[i];
    }
    double target1 = Estimator.totalVariance(s, e);
    List<Integer> pos = new ArrayList<>();
    List<Integer> neg = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      (llm[i] == 1 ? pos : neg).add(i);
    }
    SplittableRandom rng = new SplittableRandom(5);
    int reps = 2000;
    double sumV1 = 0;
    double sumV2 = 0;
    double sumT = 0;
    double sumT2 = 0;
    for (int r = 0; r < reps; r++) {
      List<GoldUnit> gold = new ArrayList<>();
      draw(rng, pos, 12, "llm_positive", gold, y);
      draw(rng, neg, 18, "llm_negative", gold, y);
      TwoPhaseSample tp = TwoPhaseSample.of(s, llm, gold);
      TwoPhaseVariance v = new TwoPhaseVariance(tp);
      sumV1 += v.phase1(e);
      sumV2 += v.phase2(e);
      double t = 0;
      for (GoldUnit g : gold) {
        int i = s.indexOf(g.unit()).getAsInt();
        t += s.designWeight(i) * e[i] / g.pi();
      }
      sumT += t;
      sumT2 += t * t;
    }
    double mean = sumT / reps;
    double mcVar = sumT2 / reps - mean * mean;
    // The exact phase-2 variance: Σ_g n1_g² (1 − n2_g/n1_g) S²_g / n2_g, S²_g over all of S.
    double target2 = stratumVariance(s, e, pos, 12) + stratumVariance(s, e, neg, 18);
    assertThat(sumV1 / reps).as("E[V1]").isCloseTo(target1, within(0.05 * target1));
    assertThat(sumV2 / reps).as("E[V2]").isCloseTo(target2, within(0.05 * target2));
    assertThat(mcVar).as("Monte Carlo variance").isCloseTo(target2, within(0.12 * target2));
    assertThat(mean).as("E[total]").isCloseTo(Estimator.total(s, e), within(4 * Math.sqrt(mcVar / reps)));
  }

  private static double stratumVariance(DesignSample s, double[] e, List<Integer> units, int n2) {
    int n1 = units.size();
    double sum = 0;
    double sum2 = 0;
    for (int i : units) {
      double v = s.designWeight(i) * e[i];
      sum += v;
      sum2 += v * v;
    }
    double s2 = (sum2 - sum * sum / n1) / (n1 - 1);
    return (double) n1 * n1 * (1 - n2 / (double) n1) * s2 / n2;
  }

  private static void draw(SplittableRandom rng, List<Integer> from, int n, String stratum, List<GoldUnit> out, double[] y) {
    int[] idx = from.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(idx.length - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      out.add(new GoldUnit("u" + idx[i], y[idx[i]] == 1, stratum, n / (double) idx.length));
    }
  }
}
