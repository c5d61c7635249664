package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DoubleTopKTest {

  private static DoubleTopK of(int k, double... xs) {
    DoubleTopK t = new DoubleTopK(k);
    for (double x : xs) {
      t.add(x);
    }
    return t;
  }

  @Test
  void keeps_the_k_largest_largest_first() {
    assertThat(of(3, 4, 1, 9, 7, 2, 8).descending()).containsExactly(9, 8, 7);
    assertThat(of(3, -1, -5, -3, -2).descending()).containsExactly(-1, -2, -3);
  }

  @Test
  void keeps_ties_as_separate_values() {
    assertThat(of(3, 5, 5, 5, 5).descending()).containsExactly(5, 5, 5);
    assertThat(of(3, 1, 5, 2, 5).descending()).containsExactly(5, 5, 2);
  }

  @Test
  void fewer_values_than_k_are_all_kept_and_k_zero_keeps_none() {
    assertThat(of(5, 3, 1).descending()).containsExactly(3, 1);
    assertThat(of(5).descending()).isEmpty();
    assertThat(of(0, 3, 1, 2).descending()).isEmpty();
  }

  @Test
  void merging_gives_the_top_k_of_the_union_and_matches_a_sort() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 200; trial++) {
      int k = r.nextInt(0, 8);
      double[] a = r.doubles(r.nextInt(0, 20), 0, 10).map(Math::rint).toArray(); // many ties
      double[] b = r.doubles(r.nextInt(0, 20), 0, 10).map(Math::rint).toArray();
      DoubleTopK x = of(k, a);
      x.addAll(of(k, b));
      double[] all = new double[a.length + b.length];
      System.arraycopy(a, 0, all, 0, a.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      Arrays.sort(all);
      double[] expected = new double[Math.min(k, all.length)];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = all[all.length - 1 - i];
      }
      assertThat(x.descending()).as("trial " + trial).containsExactly(expected);
    }
  }
}
