package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {
  @Test
  void plain_prints_whole_numbers_without_a_point_and_others_as_java_does() {
    assertThat(Numbers.plain(3)).isEqualTo("3");
    assertThat(Numbers.plain(-2)).isEqualTo("-2");
    assertThat(Numbers.plain(0.25)).isEqualTo("0.25");
    assertThat(Numbers.plain(1e-7)).isEqualTo("1.0E-7");
    assertThat(Numbers.plain(1e15)).isEqualTo("1.0E15");
  }

  @Test
  void shortest_prints_round_trip_digits_in_plain_notation() {
    assertThat(Numbers.shortest(37)).isEqualTo("37");
    assertThat(Numbers.shortest(0.5)).isEqualTo("0.5");
    assertThat(Numbers.shortest(1e-4)).isEqualTo("0.0001");
    assertThat(Numbers.shortest(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(Numbers.shortest(1e20)).isEqualTo("100000000000000000000");
  }

  @Test
  void significant_rounds_to_the_digits_asked() {
    assertThat(Numbers.significant(1234.5678, 4)).isEqualTo("1235");
    assertThat(Numbers.significant(0.000123456, 4)).isEqualTo("0.0001235");
    assertThat(Numbers.significant(0.5, 4)).isEqualTo("0.5");
    assertThat(Numbers.significant(0, 4)).isEqualTo("0");
    assertThat(Numbers.significant(1.5e13, 4)).isEqualTo("1.5E+13");
  }

  @Test
  void percentages_and_fixed_decimals_print_nan_as_a_dash() {
    assertThat(Numbers.percent(0.0123, 3)).isEqualTo("1.23%");
    assertThat(Numbers.percent(0.25, 3)).isEqualTo("25.0%");
    assertThat(Numbers.percent(0.000123, 2)).isEqualTo("0.012%");
    assertThat(Numbers.percent(0, 3)).isEqualTo("0.0%");
    assertThat(Numbers.percent(Double.NaN, 3)).isEqualTo("–");
    assertThat(Numbers.percentFixed(0.00907, 3)).isEqualTo("0.907%");
    assertThat(Numbers.percentFixed(Double.NaN, 3)).isEqualTo("–");
    assertThat(Numbers.fixed(0.12345, 3)).isEqualTo("0.123");
    assertThat(Numbers.fixed(-0.00002, 3)).isEqualTo("0.000"); // a kappa a hair below zero
    assertThat(Numbers.fixed(-0.0, 1)).isEqualTo("0.0");
    assertThat(Numbers.fixed(-0.0005, 3)).isEqualTo("-0.001");
    assertThat(Numbers.fixed(-0.25, 2)).isEqualTo("-0.25");
    assertThat(Numbers.fixed(Double.NEGATIVE_INFINITY, 1)).isEqualTo("−∞");
    assertThat(Numbers.count(12345)).isEqualTo("12,345");
    assertThat(Numbers.count(1234.5)).isEqualTo("1,234.5");
  }

  @Test
  void a_caller_may_choose_how_nan_prints_and_nothing_else_changes() {
    assertThat(Numbers.fixed(Double.NaN, 3, "-")).isEqualTo("-");
    assertThat(Numbers.fixed(0.12345, 3, "-")).isEqualTo("0.123");
    assertThat(Numbers.percentFixed(Double.NaN, 3, "-")).isEqualTo("-");
    assertThat(Numbers.percentFixed(0.0090731, 3, "-")).isEqualTo("0.907%");
  }

  @Test
  void level_shows_at_most_two_decimals_unless_that_would_read_100_percent() {
    // round 1 of 3 is at 1 − 0.05·(1/3)², which printed "99.44444444% interval" as a heading
    assertThat(Numbers.level(0.95)).isEqualTo("95%");
    assertThat(Numbers.level(0.995)).isEqualTo("99.5%");
    assertThat(Numbers.level(1 - 0.05 / 9)).isEqualTo("99.44%");
    assertThat(Numbers.level(0.99999)).isEqualTo("99.999%");
    assertThat(Numbers.level(1)).isEqualTo("100%");
  }
}
