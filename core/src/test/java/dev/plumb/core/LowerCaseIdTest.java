package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LowerCaseIdTest {
  enum Rule implements LowerCaseId { PROPORTIONAL, NEYMAN_OPTIMAL }

  @Test
  void should_name_a_constant_in_lower_case_and_find_it_by_that_name_only() {
    assertThat(Rule.NEYMAN_OPTIMAL.id()).isEqualTo("neyman_optimal");
    assertThat(LowerCaseId.parse(Rule.values(), "proportional")).isEqualTo(Rule.PROPORTIONAL);
    // the enum's own spelling is not an id: files and options are written in lower case
    assertThat(LowerCaseId.parse(Rule.values(), "PROPORTIONAL")).isNull();
    assertThat(LowerCaseId.parse(Rule.values(), "neyman")).isNull();
    assertThat(LowerCaseId.parse(Rule.values(), null)).isNull();
    assertThat(LowerCaseId.ids(Rule.values())).containsExactly("proportional", "neyman_optimal");
  }
}
