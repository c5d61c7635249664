package dev.plumb.calibration.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntervalTest {
  @Test
  void should_clamp_both_bounds_when_the_estimate_itself_is_a_few_ulps_outside_its_range() {
    // regression: κ = 1.0000000000000775 with se 0 gave [1.0000000000000775, 1.0] and a crash
    Interval i = Interval.clamped(1.0000000000000775, 1.0000000000000775, -1, 1, 0.95, "wald", false);
    assertThat(i.lower()).isEqualTo(1.0);
    assertThat(i.upper()).isEqualTo(1.0);
    Interval low = Interval.clamped(-1e-17, 0.2, 0, 1, 0.95, "wald", false);
    assertThat(low.lower()).isEqualTo(0.0);
    assertThat(low.upper()).isEqualTo(0.2);
    assertThatThrownBy(() -> new Interval(1.0000000000000775, 1.0, 0.95, "wald", false))
        .hasMessage("invalid interval [1.0000000000000775, 1.0]");
  }
}
