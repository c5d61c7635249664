package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightClassesTest {
  /**
   * 20 units: 16 of weight 1, then 5, 10, 150, 200 (total 381), K = 4, n = 12. Cumulative midpoints ×
   * 4/381 put the 16 light units and the 5 and 10 in class 1 (up to 4·26/381 = 0.27; W = 31), 150 in
   * class 2 (4·106/381 = 1.11) and 200 in class 3 (4·281/381 = 2.95); class 4 is empty. Base 2, 1, 1;
   * the 8 left go ∝ √(N_h W_h) = √(18·31) = 23.6, √150 = 12.2, √200 = 14.1: classes 2 and 3 are full
   * (1 + 8·12.2/50 ≥ 1), class 1 gets 12 − 2 = 10 of 18.
   */
  @Test
  void should_cut_equal_weight_classes_and_fill_the_heavy_ones() {
    double[] w = new double[20];
    Arrays.fill(w, 0, 16, 1);
    w[16] = 5;
    w[17] = 10;
    w[18] = 150;
    w[19] = 200;
    List<WeightClasses.Class> c = WeightClasses.split(w, 12, 4);
    assertThat(c).hasSize(3);
    assertThat(c.get(0).members()).hasSize(18);
    assertThat(c.get(0).n()).isEqualTo(10);
    assertThat(c.get(1).members()).containsExactly(18);
    assertThat(c.get(1).n()).isEqualTo(1);
    assertThat(c.get(2).members()).containsExactly(19);
    assertThat(c.get(2).n()).isEqualTo(1);
  }

  /**
   * Allocation with caps and rounding: N = 100, 30, 4; a = 1, 1, 2; n = 40. Base 2 each leaves 34:
   * shares 2 + 8.5, 2 + 8.5, 2 + 17 = 19 ≥ 4 caps class 3; then 40 − 4 − 4 = 32 left for classes 1
   * and 2, 16 each: 18, 18, 4.
   */
  @Test
  void should_redistribute_the_surplus_of_a_capped_class() {
    assertThat(WeightClasses.allocate(new int[] {100, 30, 4}, new double[] {1, 1, 2}, 40))
        .containsExactly(18, 18, 4);
    // Rounding: 2 + 7/3 each → 4.33 → 4, 4, 4 and one left for the heavier class on a tie.
    assertThat(WeightClasses.allocate(new int[] {50, 50, 50}, new double[] {1, 1, 1}, 13))
        .containsExactly(4, 4, 5);
  }

  /** Fewer reviews than two per class: K drops to ⌊n/2⌋, so every class reviewed in part has two. */
  @Test
  void should_use_fewer_classes_when_the_budget_is_small() {
    double[] w = new double[30];
    for (int i = 0; i < w.length; i++) {
      w[i] = i + 1;
    }
    List<WeightClasses.Class> c = WeightClasses.split(w, 5, 6);
    assertThat(c).hasSize(2);
    assertThat(c.stream().mapToInt(WeightClasses.Class::n).sum()).isEqualTo(5);
    assertThat(c).allSatisfy(k -> assertThat(k.n()).isGreaterThanOrEqualTo(2));
    // all weights zero: one class
    assertThat(WeightClasses.split(new double[10], 4, 3)).hasSize(1);
  }
}
