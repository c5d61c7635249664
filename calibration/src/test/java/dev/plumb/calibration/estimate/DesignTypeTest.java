package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DesignTypeTest {
  @Test
  void should_go_by_the_lower_case_name_and_parse_it_in_any_case() {
    assertThat(Arrays.stream(DesignType.values()).map(DesignType::id))
        .containsExactly("srs", "stratified", "poisson", "ppswr", "priority");
    assertThat(DesignType.parse("PPSWR")).isEqualTo(DesignType.PPSWR);
    assertThat(DesignType.parse("Stratified")).isEqualTo(DesignType.STRATIFIED);
  }

  @Test
  void should_list_the_known_designs_for_an_unknown_one() {
    assertThatThrownBy(() -> DesignType.parse("cluster"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown design \"cluster\" (expected one of srs, stratified, poisson, ppswr, priority)");
  }

  @Test
  void should_draw_with_replacement_only_under_ppswr() {
    assertThat(Arrays.stream(DesignType.values()).filter(DesignType::withReplacement)).containsExactly(DesignType.PPSWR);
  }
}
