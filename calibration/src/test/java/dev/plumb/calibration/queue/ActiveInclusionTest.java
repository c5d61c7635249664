package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ActiveInclusionTest {
  @Test
  void probabilities_spend_the_budget_in_proportion_to_size_between_the_floor_and_one() {
    double[] size = {0, 0, 1, 2, 4, 100};
    double[] pi = ActiveInclusion.of(size, 3, 0.1);
    assertThat(Arrays.stream(pi).sum()).isCloseTo(3, within(1e-9));
    // by hand: the zeros sit at the floor; c·v would give 4c > 1, so sizes 4 and 100 are capped at 1
    // and 0.2 + 2 + c(1 + 2) = 3, c = 0.8/3
    double c = 0.8 / 3;
    assertThat(pi).containsExactly(new double[] {0.1, 0.1, c, 2 * c, 1, 1}, within(1e-9));
  }

  @Test
  void a_budget_of_every_unit_reviews_all_and_a_budget_below_the_floor_is_refused() {
    assertThat(ActiveInclusion.of(new double[] {1, 2}, 5, 0.1)).containsExactly(1, 1);
    assertThat(ActiveInclusion.of(new double[] {0, 0, 0, 0}, 2, 0.1)).containsExactly(0.5, 0.5, 0.5, 0.5);
    assertThatThrownBy(() -> ActiveInclusion.of(new double[] {1, 2, 3, 4}, 0.2, 0.1))
        .hasMessage("budget 0.2 is below floor × units = 0.4");
  }

  @Test
  void size_is_weight_times_the_standard_deviation_the_probability_predicts() {
    assertThat(ActiveInclusion.size(10, 0.5)).isCloseTo(5, within(1e-12));
    assertThat(ActiveInclusion.size(10, 0)).isZero();
    assertThat(ActiveInclusion.size(4, 0.1)).isCloseTo(4 * 0.3, within(1e-12));
  }
}
