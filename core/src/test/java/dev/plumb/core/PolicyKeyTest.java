package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PolicyKeyTest {
  @Test
  void should_parse_id_and_version_and_print_them_back() {
    PolicyKey k = PolicyKey.parse("self_harm@2");
    assertThat(k.id()).isEqualTo("self_harm");
    assertThat(k.version()).isEqualTo(2);
    assertThat(k).hasToString("self_harm@2").isEqualTo(new PolicyKey("self_harm", 2));
  }

  @Test
  void should_reject_what_is_not_a_key_with_the_text_a_user_reads() {
    assertThatThrownBy(() -> PolicyKey.parse("self_harm"))
        .hasMessage("invalid policy key \"self_harm\": expected ID@VERSION, e.g. self_harm@2");
    assertThatThrownBy(() -> PolicyKey.parse("Self_harm@2"))
        .hasMessage("invalid policy key \"Self_harm@2\": expected ID@VERSION, e.g. self_harm@2");
    assertThatThrownBy(() -> PolicyKey.parse("self_harm@0"))
        .hasMessage("invalid policy key \"self_harm@0\": expected ID@VERSION, e.g. self_harm@2");
    assertThatThrownBy(() -> new PolicyKey("self-harm", 1)).hasMessage("invalid policy id: \"self-harm\"");
    assertThatThrownBy(() -> new PolicyKey("self_harm", 0))
        .hasMessage("invalid policy version: 0 (expected 1 to 999999)");
  }

  @Test
  void should_order_versions_by_number_not_by_text() {
    TreeSet<PolicyKey> keys = new TreeSet<>(List.of(
        PolicyKey.parse("x@10"), PolicyKey.parse("x@9"), PolicyKey.parse("a_b@1")));
    assertThat(keys).extracting(PolicyKey::toString).containsExactly("a_b@1", "x@9", "x@10");
  }

  @Test
  void should_take_the_id_of_a_key_or_keep_a_bare_id() {
    assertThat(PolicyKey.idOf("self_harm@2")).isEqualTo("self_harm");
    assertThat(PolicyKey.idOf("self_harm")).isEqualTo("self_harm");
  }
}
