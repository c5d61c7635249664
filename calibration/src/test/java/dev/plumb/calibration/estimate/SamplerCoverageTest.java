package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.FrameUnit;
import dev.plumb.calibration.sampling.Sample;
import dev.plumb.calibration.sampling.SampleSketch;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.synthetic.SyntheticFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The samplers of {@code plumb sample} and the estimators together: many seeded samples of each
 * design from one synthetic frame ({@link SyntheticFrame}: heavy-tailed exposure, informative but
 * imperfect scores), estimated with the design records the samplers wrote. The Horvitz–Thompson
 * (Hansen–Hurwitz) total of exposure is unbiased under every design, and with a size measure that
 * includes exposure (poisson, ppswr, priority) the Korn–Graubard 95% intervals cover each policy's
 * true exposure-weighted prevalence (0.3%, 0.8%, 6%) near the nominal rate.
 *
 * <p>The frame's exposure is Pareto with α = 1.3 (infinite variance). Designs that ignore exposure
 * (srs; stratified by score) then undercover for rare outcomes. With these seeds (100 runs of n =
 * 500 from 4,000 units; self_harm, hate, spam): srs 93%, 92%, 88%; stratified 78%, 90%, 89%;
 * poisson 100%, 93%, 94%; ppswr 99%, 95%, 96%; priority 100%, 93%, 94%. This is the reason to put
 * exposure in the size measure (docs/estimation.md, "When intervals undercover"); the looser bound
 * for srs and stratified is asserted so that a regression still fails.
 */
class SamplerCoverageTest {
  static final int FRAME = 4_000;
  static final int RUNS = 100;
  static final Map<String, String> DESIGNS = new LinkedHashMap<>();

  static {
    DESIGNS.put("srs", "type: srs\nn: 500\n");
    DESIGNS.put("stratified", "type: stratified\nn: 500\npolicy: spam\nbins: [0, 0.05, 0.3, 1]\nallocation: neyman\n");
    DESIGNS.put("poisson", "type: poisson\nn: 500\nsize: weight * max(score(spam), score(hate))\nfloor: 0.1\n");
    DESIGNS.put("ppswr", "type: ppswr\nn: 500\nsize: weight * max(score(spam), score(hate))\nfloor: 0.1\n");
    DESIGNS.put("priority", "type: priority\nn: 500\nsize: weight * max(score(spam), score(hate))\nfloor: 0.1\n");
  }

  @Test
  void samplers_and_estimators_together_are_unbiased_and_cover() {
    List<FrameUnit> frame = new ArrayList<>();
    Map<String, Map<String, Boolean>> truth = new LinkedHashMap<>();
    Map<String, Double> positive = new LinkedHashMap<>();
    double exposure = 0;
    for (int i = 0; i < FRAME; i++) {
      SyntheticFrame.Generated g = SyntheticFrame.unit(5, i);
      FrameUnit u = FrameUnit.parse(g.json(), "frame.jsonl", i + 1);
      frame.add(u);
      truth.put(u.id(), g.truth());
      exposure += u.weight();
      for (Map.Entry<String, Boolean> t : g.truth().entrySet()) {
        positive.merge(t.getKey(), t.getValue() ? u.weight() : 0, Double::sum);
      }
    }
    for (Map.Entry<String, String> d : DESIGNS.entrySet()) {
      SamplingDesign design = DesignFile.parse(d.getValue(), "design.yaml").design();
      double sum = 0;
      double sum2 = 0;
      Map<String, Integer> covered = new LinkedHashMap<>();
      for (int r = 0; r < RUNS; r++) {
        SampleSketch sketch = design.sketch(1000 + r);
        frame.forEach(sketch::offer);
        Sample s = sketch.finish("frame.jsonl");
        DesignSample sample = convert(s);
        double[] m = new double[sample.size()];
        for (int i = 0; i < m.length; i++) {
          m[i] = sample.exposure(i);
        }
        double total = Estimator.total(sample, m);
        sum += total;
        sum2 += total * total;
        for (String policy : positive.keySet()) {
          double[] y = new double[sample.size()];
          for (int i = 0; i < y.length; i++) {
            y[i] = truth.get(sample.units().get(i).id()).get(policy) ? 1 : 0;
          }
          Estimate e = Estimator.ratio(sample, y);
          if (IntervalMethod.KORN_GRAUBARD.interval(e, 0.95).contains(positive.get(policy) / exposure)) {
            covered.merge(policy, 1, Integer::sum);
          }
        }
      }
      double mean = sum / RUNS;
      double se = Math.sqrt((sum2 - RUNS * mean * mean) / (RUNS - 1) / RUNS);
      assertThat(mean).as("HT exposure total under %s", d.getKey()).isCloseTo(exposure, within(3.5 * se + 1e-9 * exposure));
      boolean sized = design.sizeMeasure().isPresent();
      for (String policy : positive.keySet()) {
        assertThat(covered.getOrDefault(policy, 0) / (double) RUNS)
            .as("coverage of %s (P = %.4f) under %s", policy, positive.get(policy) / exposure, d.getKey())
            .isBetween(sized ? 0.88 : 0.7, 1.0);
      }
    }
  }

  /** A sampler's {@link Sample} as the estimators see it. */
  static DesignSample convert(Sample s) {
    DesignType type = DesignType.parse(s.design().type());
    List<SampledUnit> units = new ArrayList<>();
    for (Sample.SampledUnit u : s.units()) {
      Inclusion inclusion = u.design() instanceof Sample.DesignRecord.WithReplacement w
          ? new Inclusion.WithReplacement(w.stratum(), w.p(), w.draws())
          : new Inclusion.WithoutReplacement(u.design().stratum(), ((Sample.DesignRecord.WithoutReplacement) u.design()).pi());
      units.add(SampledUnit.of(u.id(), u.weight(), inclusion));
    }
    List<Stratum> strata = new ArrayList<>();
    for (Sample.Stratum h : s.strata()) {
      strata.add(new Stratum(h.id(), h.units(), h.weight(), type.withReplacement() ? h.draws() : h.n()));
    }
    return DesignSample.of(type, units, strata);
  }
}
