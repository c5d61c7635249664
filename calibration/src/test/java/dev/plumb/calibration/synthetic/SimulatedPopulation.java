package dev.plumb.calibration.synthetic;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The fixed population and the phase-1 draw of the gold-error and expert-tier coverage simulations:
 * Zipf-like exposure (mean about 4, a few units with thousands of impressions), violations at a given
 * prevalence, and a classifier score that ranks rather than gives probabilities (logit N(1.5, 1.5)
 * for violations, N(−3, 1.2) otherwise). The target is the true Σ m y / Σ m.
 */
public final class SimulatedPopulation {
  public final double[] m;
  public final boolean[] y;
  public final double[] score;
  public final double target;

  public SimulatedPopulation(int n, double prevalence, long seed) {
    m = new double[n];
    y = new boolean[n];
    score = new double[n];
    SplittableRandom rng = new SplittableRandom(seed);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      m[i] = Math.floor(Math.pow(1 - rng.nextDouble(), -1 / 1.3));
      y[i] = rng.nextDouble() < prevalence;
      double logit = y[i] ? 1.5 + 1.5 * rng.nextGaussian() : -3.0 + 1.2 * rng.nextGaussian();
      score[i] = 1 / (1 + Math.exp(-logit));
      num += y[i] ? m[i] : 0;
      den += m[i];
    }
    target = num / den;
  }

  /**
   * One phase-1 sample.
   *
   * @param index the population index of each sampled unit, in sample order
   * @param llm the LLM's call per sampled unit (score ≥ 0.5)
   * @param strata sample positions by LLM call ({@code llm_negative}, {@code llm_positive})
   */
  public record Phase1(DesignSample sample, List<Integer> index, double[] llm, Map<String, List<Integer>> strata) {}

  /** Priority sampling (Duffield, Lund &amp; Thorup 2007) of {@code n1} units on exposure × max(score, 0.05). */
  public Phase1 priority(int n1, SplittableRandom rng) {
    int n = m.length;
    double[] size = new double[n];
    double[] priority = new double[n];
    for (int i = 0; i < n; i++) {
      size[i] = m[i] * Math.max(score[i], 0.05);
      priority[i] = size[i] / (1 - rng.nextDouble());
    }
    double[] sorted = priority.clone();
    Arrays.sort(sorted);
    double tau = sorted[n - n1 - 1];
    List<SampledUnit> units = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (priority[i] > tau) {
        units.add(SampledUnit.of("u" + i, m[i], new Inclusion.WithoutReplacement("all", Math.min(1, size[i] / tau))));
        index.add(i);
      }
    }
    DesignSample sample = DesignSample.of(DesignType.PRIORITY, units, List.of(new Stratum("all", n, 0, n1)));
    double[] llm = new double[n1];
    Map<String, List<Integer>> strata = new TreeMap<>();
    for (int j = 0; j < n1; j++) {
      llm[j] = score[index.get(j)] >= 0.5 ? 1 : 0;
      strata.computeIfAbsent(llm[j] == 1 ? "llm_positive" : "llm_negative", k -> new ArrayList<>()).add(j);
    }
    return new Phase1(sample, index, llm, strata);
  }
}
