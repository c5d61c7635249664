package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrioritySketchTest {

  private static double pi(Sample.SampledUnit u) {
    return ((Sample.DesignRecord.WithoutReplacement) u.design()).pi();
  }

  @Test
  void all_equal_sizes_give_the_srs_of_the_same_seed() {
    List<FrameUnit> units = SrsSketchTest.weighted(3, 3, 3, 3, 3, 3, 3, 3);
    for (long seed = 0; seed < 20; seed++) {
      Sample p = Frames.draw(Frames.design("type: priority\nn: 3\n"), seed, units);
      Sample s = Frames.draw(Frames.design("type: srs\nn: 3\n"), seed, units);
      assertThat(p.units()).extracting(Sample.SampledUnit::id)
          .containsExactlyElementsOf(s.units().stream().map(Sample.SampledUnit::id).toList());
      // τ = 3/u of the 4th smallest u, so π = u_(4) < 1
      assertThat(p.units()).allSatisfy(u -> assertThat(pi(u)).isLessThan(1).isEqualTo(3 / p.tau().getAsDouble()));
    }
  }

  @Test
  void n_equal_to_the_positive_units_takes_them_all_with_pi_one() {
    Sample s = Frames.draw(Frames.design("type: priority\nn: 3\n"), 1, SrsSketchTest.weighted(5, 0, 1, 2));
    assertThat(s.units()).extracting(Sample.SampledUnit::id).containsExactly("p1", "p3", "p4");
    assertThat(s.units()).allSatisfy(u -> assertThat(pi(u)).isEqualTo(1.0));
    assertThat(s.tau().getAsDouble()).isZero();
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: priority\nn: 4\n"), 1, SrsSketchTest.weighted(5, 0, 1, 2)))
        .hasMessage("design.yaml:2:4: n: sample size 4 is larger than the number of units with a positive size"
            + " (3 of 4 in units.jsonl)");
  }

  /**
   * Priority sampling of n = 2 from sizes 1, 2, 3, 4, 10. Unconditional inclusion probabilities by
   * numerical integration over the unit's own u (it is in the sample when fewer than n others have a
   * larger priority, each independently with probability min(1, s_j u / s_i)), /usr/bin/python3
   * with scipy 1.10.1:
   * <pre>
   * import numpy as np; from scipy.integrate import quad
   * w = np.array([1, 2, 3, 4, 10.0]); n = 2
   * def incl(i):
   *     o = np.delete(w, i)
   *     def f(u):
   *         p = np.minimum(1, o * u / w[i]); t = np.prod(1 - p)
   *         for j in range(len(p)): t += p[j] * np.prod(np.delete(1 - p, j))
   *         return t
   *     return quad(f, 0, 1, epsabs=1e-13, epsrel=1e-13, limit=200, points=[w[i]/x for x in o if w[i]/x < 1])[0]
   * [round(incl(i), 10) for i in range(5)]
   * # [0.0917558333, 0.1951725, 0.3174225, 0.4887558333, 0.9068933333]   (sum 2.0)
   * </pre>
   * (A numpy simulation of 2,000,000 samples gives 0.0915, 0.1956, 0.3174, 0.4884, 0.9070.) Over
   * 5,000 seeds the sketch's frequencies agree within 4 standard errors, and the Horvitz–Thompson
   * identity E[1{i in S}/π̃_i] = 1 (Duffield, Lund, Thorup 2007) holds for every unit.
   */
  @Test
  void inclusion_probabilities_match_the_integral_and_ht_weights_are_unbiased() {
    List<FrameUnit> units = SrsSketchTest.weighted(1, 2, 3, 4, 10);
    SamplingDesign d = Frames.design("type: priority\nn: 2\n");
    double[] reference = {0.0917558333, 0.1951725, 0.3174225, 0.4887558333, 0.9068933333};
    int reps = 5000;
    int[] count = new int[5];
    double[] ht = new double[5];
    double[] ht2 = new double[5];
    for (int seed = 0; seed < reps; seed++) {
      Sample s = Frames.draw(d, seed, units);
      assertThat(s.n()).isEqualTo(2);
      for (Sample.SampledUnit u : s.units()) {
        int i = Integer.parseInt(u.id().substring(1)) - 1;
        count[i]++;
        ht[i] += 1 / pi(u);
        ht2[i] += 1 / (pi(u) * pi(u));
      }
    }
    for (int i = 0; i < 5; i++) {
      double q = reference[i];
      assertThat((double) count[i] / reps).as("unit %d", i + 1).isCloseTo(q, within(4 * Math.sqrt(q * (1 - q) / reps)));
      double mean = ht[i] / reps;
      double sd = Math.sqrt(ht2[i] / reps - mean * mean);
      assertThat(mean).as("HT unit %d", i + 1).isCloseTo(1.0, within(4 * sd / Math.sqrt(reps)));
    }
  }
}
