package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoissonSketchTest {

  private static double tau(int n, double... sizes) {
    double total = 0;
    long positive = 0;
    DoubleTopK top = new DoubleTopK(n);
    for (double s : sizes) {
      if (s > 0) {
        total += s;
        positive++;
        top.add(s);
      }
    }
    return PoissonSketch.threshold(total, positive, top.descending(), n);
  }

  /** Σ min(1, s_i/τ) over the sizes. */
  private static double sumPi(double tau, double... sizes) {
    double sum = 0;
    for (double s : sizes) {
      sum += SamplingDesign.Poisson.pi(s, tau);
    }
    return sum;
  }

  @Test
  void the_threshold_solves_sum_of_pi_equals_n_by_hand() {
    // no certainty unit: τ = S/n
    assertThat(tau(2, 1, 1, 1, 1)).isEqualTo(2.0);
    assertThat(tau(5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)).isEqualTo(4.0); // all equal sizes: π = 1/2
    // τ_0 = 20/2 = 10 and 10 is not below it: certain; τ_1 = 10/1 = 10 > 4
    assertThat(tau(2, 1, 2, 3, 4, 10)).isEqualTo(10.0);
    // cascading: τ_0 = 154/3 ≤ 100, τ_1 = 54/2 = 27 ≤ 50, τ_2 = 4/1 = 4 > 1: π = 1, 1, 1/4 × 4
    assertThat(tau(3, 100, 50, 1, 1, 1, 1)).isEqualTo(4.0);
    assertThat(sumPi(4.0, 100, 50, 1, 1, 1, 1)).isEqualTo(3.0);
    // zero sizes do not count
    assertThat(tau(2, 0, 1, 0, 1, 1, 1, 0)).isEqualTo(2.0);
  }

  @Test
  void the_threshold_is_zero_when_at_most_n_units_have_a_positive_size() {
    assertThat(tau(3, 5, 1, 0, 2)).isZero();
    assertThat(SamplingDesign.Poisson.pi(1, 0)).isEqualTo(1.0);
    assertThat(SamplingDesign.Poisson.pi(0, 0)).isZero();
  }

  @Test
  void n_equal_to_the_positive_units_takes_them_all_and_leaves_size_zero_out() {
    Sample s = Frames.draw(Frames.design("type: poisson\nn: 3\n"), 1, SrsSketchTest.weighted(5, 1, 0, 2));
    assertThat(s.units()).extracting(Sample.SampledUnit::id).containsExactly("p1", "p2", "p4");
    assertThat(s.certainty()).isEqualTo(3);
    assertThat(s.tau().getAsDouble()).isZero();
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: poisson\nn: 4\n"), 1, SrsSketchTest.weighted(5, 1, 0, 2)))
        .hasMessage("design.yaml:2:4: n: expected sample size 4 is larger than the number of units with a positive size"
            + " (3 of 4 in units.jsonl)");
  }

  /**
   * The one-pass sketch prunes candidates against a threshold that only grows; the result must be
   * exactly {i : u_i < min(1, s_i/τ)} with τ of the whole frame, in one partition or several.
   */
  @Test
  void one_pass_with_pruning_selects_exactly_u_below_the_final_pi() {
    List<FrameUnit> units = Frames.units(Frames.lines(5000, 8));
    SamplingDesign.Poisson d = (SamplingDesign.Poisson) Frames.design(
        "type: poisson\nn: 20\nsize: weight * score(self_harm)\nfloor: 0.02\n");
    double[] sizes = units.stream().mapToDouble(u -> d.size().of(u)).toArray();
    double tau = tau(20, sizes);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      if (UnitRandom.uniform(3, units.get(i).id()) < SamplingDesign.Poisson.pi(sizes[i], tau)) {
        expected.add(units.get(i).id());
      }
    }
    expected.sort(null);
    Sample whole = Frames.draw(d, 3, units);
    assertThat(whole.tau().getAsDouble()).isCloseTo(tau, within(1e-12 * tau));
    assertThat(whole.units()).extracting(Sample.SampledUnit::id).containsExactlyInAnyOrderElementsOf(expected);
    SampleSketch[] parts = {d.sketch(3), d.sketch(3), d.sketch(3)};
    for (int i = 0; i < units.size(); i++) {
      parts[(i * 7) % 3].offer(units.get(i));
    }
    Sample merged = parts[0].merge(parts[1].merge(parts[2])).finish("units.jsonl");
    assertThat(merged.units()).extracting(Sample.SampledUnit::id).containsExactlyInAnyOrderElementsOf(expected);
    // the floor: units whose score is below 0.02 were raised to it
    long floored = units.stream().filter(u -> u.scores().get("self_harm") < 0.02).count();
    assertThat(floored).isPositive();
    assertThat(whole.floored().units()).isEqualTo(floored);
  }

  /** Over 4,000 seeds each unit's inclusion frequency is its π (.1, .2, .3, .4, 1) and the mean size is n = 2. */
  @Test
  void inclusion_frequencies_are_the_pis_and_the_mean_size_is_n() {
    List<FrameUnit> units = SrsSketchTest.weighted(1, 2, 3, 4, 10);
    SamplingDesign d = Frames.design("type: poisson\nn: 2\n");
    double[] pi = {0.1, 0.2, 0.3, 0.4, 1};
    int[] count = new int[5];
    int reps = 4000;
    long size = 0;
    for (int seed = 0; seed < reps; seed++) {
      Sample s = Frames.draw(d, seed, units);
      size += s.n();
      for (Sample.SampledUnit u : s.units()) {
        count[Integer.parseInt(u.id().substring(1)) - 1]++;
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat((double) count[i] / reps).isCloseTo(pi[i], within(4 * Math.sqrt(pi[i] * (1 - pi[i]) / reps) + 1e-12));
    }
    // Var(n) = Σ π(1-π) = 0.7
    assertThat((double) size / reps).isCloseTo(2.0, within(4 * Math.sqrt(0.7 / reps)));
  }
}
