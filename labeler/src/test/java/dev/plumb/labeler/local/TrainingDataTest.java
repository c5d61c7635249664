package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("train.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  @Test
  void absent_keys_are_unknown_not_zero() throws IOException {
    Path f = file(
        "{\"prompt\":\"a\",\"SH\":1,\"V\":0}",
        "{\"prompt\":\"b\",\"V\":1}",
        "{\"prompt\":\"c\",\"SH\":0}",
        "{\"text\":\"d\",\"SH\":null}");
    TrainingData data = TrainingData.read(f, List.of("SH=self_harm", "V=violence"));
    assertThat(data.samples("self_harm")).extracting(Sample::text, Sample::positive)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("c", false));
    assertThat(data.samples("violence")).extracting(Sample::text).containsExactly("a", "b");
    assertThat(data.samples("self_harm").get(1).source()).isEqualTo(f + ":3");
    assertThat(data.policies()).containsExactly("self_harm", "violence");
  }

  /** How the quality benchmark trains on one fold of a labeled file: the other lines are not there. */
  @Test
  void a_subset_of_lines_keeps_only_their_texts_and_has_its_own_fingerprint() throws IOException {
    Path f = file(
        "{\"prompt\":\"a\",\"SH\":1,\"V\":0}",
        "{\"prompt\":\"b\",\"V\":1}",
        "{\"prompt\":\"c\",\"SH\":0}");
    TrainingData data = TrainingData.read(f, List.of("SH=self_harm", "V=violence"));
    TrainingData odd = data.lines(line -> line % 2 == 1);
    assertThat(odd.samples("self_harm")).extracting(Sample::text).containsExactly("a", "c");
    assertThat(odd.samples("violence")).extracting(Sample::text).containsExactly("a");
    assertThat(odd.fingerprint("self_harm")).isNotEqualTo(data.fingerprint("self_harm"))
        .isNotEqualTo(data.lines(line -> line == 1).fingerprint("self_harm"));
    assertThat(data.lines(line -> true).samples("violence")).isEqualTo(data.samples("violence"));
  }

  @Test
  void category_keys_add_positives_with_their_category_and_their_zeros_say_nothing() throws IOException {
    Path f = file(
        "{\"prompt\":\"a\",\"S\":1,\"S3\":1}",
        "{\"prompt\":\"b\",\"S\":1,\"S3\":0}",
        "{\"prompt\":\"c\",\"S3\":0}",
        "{\"prompt\":\"d\",\"S\":0}");
    TrainingData data = TrainingData.read(f, List.of("S=sexual", "S3=sexual:minors"));
    assertThat(data.samples("sexual")).extracting(Sample::text, Sample::positive, Sample::category)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", true, "minors"),
            org.assertj.core.groups.Tuple.tuple("b", true, null),
            org.assertj.core.groups.Tuple.tuple("d", false, null));
  }

  @Test
  void bad_label_names_file_line_and_key() throws IOException {
    Path f = file("{\"prompt\":\"a\",\"SH\":1}", "{\"prompt\":\"b\",\"SH\":2}");
    assertThatThrownBy(() -> TrainingData.read(f, List.of("SH=self_harm")))
        .isInstanceOf(InputException.class)
        .hasMessage(f + ":2: SH: expected 0, 1, true or false, found 2");
  }

  @Test
  void missing_text_names_the_line() throws IOException {
    Path f = file("{\"SH\":1}");
    assertThatThrownBy(() -> TrainingData.read(f, List.of("SH=self_harm")))
        .hasMessage(f + ":1: prompt: missing (the text goes in \"prompt\" or \"text\")");
  }

  @Test
  void mappings_are_checked() throws IOException {
    Path f = file("{\"prompt\":\"a\",\"SH\":1}");
    assertThatThrownBy(() -> TrainingData.read(f, List.of("SH")))
        .hasMessage("--map SH: expected KEY=POLICY or KEY=POLICY:CATEGORY, e.g. SH=self_harm");
    assertThatThrownBy(() -> TrainingData.read(f, List.of("SH=Self-Harm")))
        .hasMessage("--map SH=Self-Harm: \"Self-Harm\" is not a policy id (lowercase letters, digits, _)");
    assertThatThrownBy(() -> TrainingData.read(f, List.of("XX=hate")))
        .hasMessage(f + ": --map XX=hate: no line has a value for key \"XX\"");
    assertThatThrownBy(() -> TrainingData.read(f, List.of()))
        .hasMessage("--train " + f + ": needs at least one --map KEY=POLICY, e.g. --map SH=self_harm");
    TrainingData data = TrainingData.read(f, List.of("SH=self_harm"));
    assertThatThrownBy(() -> data.requirePolicies(List.of("hate", "violence")))
        .hasMessage("--map SH=self_harm: policy \"self_harm\" is not among the policies in use (hate, violence)");
  }

  @Test
  void fingerprint_follows_content_and_mapping_not_the_file_name() throws IOException {
    Path f = file("{\"prompt\":\"a\",\"SH\":1,\"V\":0}");
    String fp = TrainingData.read(f, List.of("SH=self_harm", "V=violence")).fingerprint("self_harm");
    Path copy = Files.copy(f, dir.resolve("other-name.jsonl"));
    assertThat(TrainingData.read(copy, List.of("SH=self_harm")).fingerprint("self_harm")).isEqualTo(fp);
    assertThat(TrainingData.read(f, List.of("SH=self_harm")).fingerprint("violence")).isEqualTo("none");
    Files.writeString(f, "{\"prompt\":\"a\",\"SH\":0}\n");
    assertThat(TrainingData.read(f, List.of("SH=self_harm")).fingerprint("self_harm")).isNotEqualTo(fp);
  }
}
