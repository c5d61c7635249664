package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Allocation#bounded} and the stratified design's proportional / Neyman allocation, by hand. */
class AllocationTest {

  private static long[] bounded(long n, double[] a, long[] lo, long[] hi) {
    return Allocation.bounded(n, a, lo, hi);
  }

  /**
   * a = 30, 16, 8, bounds [2, N_h] with N = 10, 8, 4, n = 10: λ = 10/54 gives c 1.48 < 2, so c = 2;
   * a and b share 8 in 30:16 → 5.217, 2.783 → 5 + 2 + 2 = 9, the largest remainder (b) gets the last.
   */
  @Test
  void clamps_to_the_bounds_and_rounds_by_largest_remainder() {
    assertThat(bounded(10, new double[] {30, 16, 8}, new long[] {2, 2, 2}, new long[] {10, 8, 4}))
        .containsExactly(5, 3, 2);
    // an upper bound binds: a would get 8.33 of 10 but has only 4 units; b, c share 6 in 1:1
    assertThat(bounded(10, new double[] {50, 5, 5}, new long[] {0, 0, 0}, new long[] {4, 100, 100}))
        .containsExactly(4, 3, 3);
  }

  @Test
  void equal_remainders_go_to_the_earlier_stratum() {
    assertThat(bounded(4, new double[] {1, 1, 1}, new long[] {0, 0, 0}, new long[] {10, 10, 10}))
        .containsExactly(2, 1, 1);
    assertThat(bounded(5, new double[] {1, 1, 1}, new long[] {0, 0, 0}, new long[] {10, 10, 10}))
        .containsExactly(2, 2, 1);
    // all-equal weights and an exact share: no rounding at all
    assertThat(bounded(6, new double[] {7, 7, 7}, new long[] {0, 0, 0}, new long[] {10, 10, 10}))
        .containsExactly(2, 2, 2);
  }

  @Test
  void zero_weights_get_their_lower_bound() {
    assertThat(bounded(10, new double[] {9, 8, 0}, new long[] {2, 2, 2}, new long[] {10, 8, 4}))
        .containsExactly(4, 4, 2);
    assertThat(bounded(3, new double[] {0, 0}, new long[] {1, 2}, new long[] {5, 5})).containsExactly(1, 2);
  }

  @Test
  void n_at_either_end_of_the_range_is_all_lower_or_all_upper_bounds() {
    assertThat(bounded(6, new double[] {30, 16, 8}, new long[] {2, 2, 2}, new long[] {10, 8, 4}))
        .containsExactly(2, 2, 2);
    assertThat(bounded(22, new double[] {30, 16, 8}, new long[] {2, 2, 2}, new long[] {10, 8, 4}))
        .containsExactly(10, 8, 4);
  }

  @Test
  void n_outside_the_bounds_is_refused() {
    assertThatThrownBy(() -> bounded(5, new double[] {1, 1, 1}, new long[] {2, 2, 2}, new long[] {4, 4, 4}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n=5 outside [6, 12]");
    assertThatThrownBy(() -> bounded(13, new double[] {1, 1, 1}, new long[] {2, 2, 2}, new long[] {4, 4, 4}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n=13 outside [6, 12]");
  }

  /** The sum is n and every stratum within its bounds, and each n_h is within 1 of the continuous share. */
  @Test
  void always_sums_to_n_within_the_bounds() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 2000; trial++) {
      int k = r.nextInt(1, 9);
      double[] a = new double[k];
      long[] lo = new long[k];
      long[] hi = new long[k];
      long sumLo = 0;
      long sumHi = 0;
      for (int h = 0; h < k; h++) {
        a[h] = r.nextInt(4) == 0 ? 0 : r.nextInt(3) == 0 ? r.nextInt(1, 4) : r.nextDouble() * 1000; // ties, zeros
        hi[h] = r.nextInt(1, 50);
        lo[h] = Math.min(hi[h], r.nextInt(0, 3));
        sumLo += lo[h];
        sumHi += hi[h];
      }
      long n = r.nextLong(sumLo, sumHi + 1);
      long[] x = bounded(n, a, lo, hi);
      long sum = 0;
      for (int h = 0; h < k; h++) {
        assertThat(x[h]).isBetween(lo[h], hi[h]);
        sum += x[h];
      }
      assertThat(sum).as("trial %d", trial).isEqualTo(n);
    }
  }

  @Test
  void neyman_falls_back_to_proportional_when_no_stratum_varies_and_small_strata_are_taken_whole() {
    SamplingDesign.Stratified neyman = (SamplingDesign.Stratified) Frames.design(
        "type: stratified\nn: 10\nby: surface\npolicy: self_harm\nallocation: neyman\n");
    SamplingDesign.Stratified proportional = (SamplingDesign.Stratified) Frames.design(
        "type: stratified\nn: 10\nby: surface\n");
    long[] units = {10, 8, 4};
    double[] weight = {30, 16, 8};
    assertThat(StratifiedSketch.allocate(neyman, 10, units, weight, new double[] {0, 0, 0}))
        .containsExactly(StratifiedSketch.allocate(proportional, 10, units, weight, new double[3]))
        .containsExactly(5, 3, 2);
    // sums of sqrt(s(1-s)): means 0.3, 0.5, 0 → a = 9, 8, 0
    assertThat(StratifiedSketch.allocate(neyman, 10, units, weight, new double[] {3, 4, 0})).containsExactly(4, 4, 2);
    // a stratum of one unit gets min(min_per_stratum, N_h) = 1
    assertThat(StratifiedSketch.minimum(proportional, new long[] {1, 10, 10})).isEqualTo(5);
    assertThat(StratifiedSketch.allocate(proportional, 5, new long[] {1, 10, 10}, new double[] {100, 1, 1}, new double[3]))
        .containsExactly(1, 2, 2);
  }
}
