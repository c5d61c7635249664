package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
  @Test
  void should_suggest_close_candidates_only() {
    List<String> fields = PolicyReader.EXAMPLE_FIELDS;
    assertThat(Spelling.closest("inprompt", fields)).contains("in_prompt");
    assertThat(Spelling.closest("Reason", fields)).contains("reason");
    assertThat(Spelling.closest("evidense", fields)).contains("evidence");
    assertThat(Spelling.closest("colour", fields)).isEmpty();
    assertThat(Spelling.closest("ix", List.of("id"))).isEmpty();
    assertThat(Spelling.closest("ID", List.of("id"))).contains("id");
    assertThat(Spelling.closest("txet", List.of("text"))).isEmpty();
    assertThat(Spelling.closest("texts", List.of("text"))).contains("text");
  }

  @Test
  void should_compute_levenshtein_distance() {
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    assertThat(Spelling.distance("same", "same")).isZero();
  }
}
