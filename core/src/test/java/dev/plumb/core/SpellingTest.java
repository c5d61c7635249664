package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
  private static final List<String> FIELDS =
      List.of("id", "decision", "category", "reason", "in_prompt", "evidence", "text", "unit");

  @Test
  void should_suggest_close_candidates_only() {
    assertThat(Spelling.suggest("inprompt", FIELDS)).contains("in_prompt");
    assertThat(Spelling.suggest("Reason", FIELDS)).contains("reason");
    assertThat(Spelling.suggest("evidense", FIELDS)).contains("evidence");
    assertThat(Spelling.suggest("colour", FIELDS)).isEmpty();
    assertThat(Spelling.suggest("ix", List.of("id"))).isEmpty();
    assertThat(Spelling.suggest("ID", List.of("id"))).contains("id");
    assertThat(Spelling.suggest("texts", List.of("text"))).contains("text");
  }

  @Test
  void should_count_a_swap_of_neighbours_as_one_edit() {
    // one policy for every reader: "txet" was no suggestion for policy files (plain Levenshtein, 2 edits)
    assertThat(Spelling.suggest("txet", List.of("text"))).contains("text");
    assertThat(Spelling.suggest("alocation", List.of("allocation"))).contains("allocation");
    assertThat(Spelling.hint("agregate", List.of("aggregate", "missing"))).isEqualTo("; did you mean \"aggregate\"?");
    assertThat(Spelling.aside("shoutting", List.of("shouting"))).isEqualTo(" (did you mean \"shouting\"?)");
    assertThat(Spelling.hint("zzz", List.of("aggregate"))).isEmpty();
  }

  @Test
  void should_compute_optimal_string_alignment_distance() {
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    assertThat(Spelling.distance("same", "same")).isZero();
    assertThat(Spelling.distance("ab", "ba")).isEqualTo(1);
    assertThat(Spelling.distance("ca", "abc")).isEqualTo(3); // OSA, not unrestricted Damerau (2)
  }
}
