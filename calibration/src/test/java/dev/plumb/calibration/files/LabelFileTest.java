package dev.plumb.calibration.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFileTest {
  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    return Files.write(dir.resolve("labels.jsonl"), List.of(lines));
  }

  private String error(String... lines) throws IOException {
    Path f = file(lines);
    try {
      LabelFile.read(f);
    } catch (InputException e) {
      return e.getMessage().replace(f.toString(), "L");
    }
    throw new AssertionError("no error");
  }

  @Test
  void should_read_every_status_with_the_fields_of_an_ok_label() throws IOException {
    List<LabelFile.Label> ls = LabelFile.read(file(
        "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":true,\"category\":\"c\","
            + "\"confidence\":0.9,\"rationale\":{\"long\":[1,2]},\"model\":\"m\",\"prompt\":\"sha256:x\"}",
        "",
        "{\"unit\":\"u2\",\"policy\":\"p@1\",\"status\":\"failed\",\"error\":\"HTTP 503\"}"));
    assertThat(ls).hasSize(2);
    assertThat(ls.get(0)).isEqualTo(new LabelFile.Label(1, "u1", "p@1", LabelFile.Status.OK, "bad", true, "c", 0.9, "m",
        null, null, "sha256:x"));
    assertThat(ls.get(1).line()).isEqualTo(3);
    assertThat(ls.get(1).ok()).isFalse();
    assertThat(ls.get(1).confidence()).isNaN();
  }

  @Test
  void should_read_a_score_on_an_ok_label_and_refuse_one_out_of_range_or_on_another_status() throws IOException {
    String ok = "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":true,";
    assertThat(LabelFile.read(file(ok + "\"score\":0.25}")).get(0).score()).isEqualTo(0.25);
    assertThat(LabelFile.read(file(ok + "\"score\":null}")).get(0).score()).isNaN();
    assertThat(LabelFile.read(file(ok + "\"confidence\":0.9}")).get(0).score()).isNaN();
    assertThat(error(ok + "\"score\":1.5}")).isEqualTo("L:1: score: expected a number in [0, 1], found 1.5");
    assertThat(error(ok + "\"score\":\"0.5\"}")).isEqualTo("L:1: score: expected a number in [0, 1], found \"0.5\"");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"invalid\",\"score\":0.5}"))
        .isEqualTo("L:1: score: only an ok label carries a score (this one is invalid)");
  }

  @Test
  void should_name_file_line_and_field_of_the_first_problem() throws IOException {
    assertThat(error()).isEqualTo("L: no labels");
    assertThat(error("[1]")).isEqualTo("L:1: expected a JSON object");
    assertThat(error("{\"policy\":\"p@1\",\"status\":\"ok\"}")).isEqualTo("L:1: unit: missing");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"done\"}"))
        .isEqualTo("L:1: status: must be ok, invalid or failed, found \"done\"");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"positive\":true}"))
        .isEqualTo("L:1: decision: missing");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":\"yes\"}"))
        .isEqualTo("L:1: positive: expected true or false, found \"yes\"");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":true,"
        + "\"confidence\":\"high\"}")).isEqualTo("L:1: confidence: expected a number in [0, 1], found \"high\"");
    assertThat(error("{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"failed\",\"model\":3}"))
        .isEqualTo("L:1: model: expected a string, found 3");
  }

  @Test
  void should_refuse_two_ok_labels_of_a_unit_and_policy_that_disagree() throws IOException {
    String first = "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":true}";
    assertThat(error(first, "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"worse\",\"positive\":true}"))
        .isEqualTo("L:2: decision: conflicts with the ok label on line 1 for unit \"u1\" and policy \"p@1\" (keep one label"
            + " per unit and policy, e.g. one model and prompt per file)");
    assertThat(error(first, "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":false}"))
        .startsWith("L:2: positive: conflicts with the ok label on line 1");
    assertThat(LabelFile.read(file(first, first))).hasSize(2);
  }

  @Test
  void should_check_decisions_against_given_or_learned_positivity() {
    PolicyDecisions given = PolicyDecisions.of(Map.of("p@1", Map.of("bad", true, "fine", false)));
    assertThatThrownBy(() -> given.check("L", 4, "q@1", "bad", true, true))
        .hasMessage("L:4: policy: policy q@1 is not among the given policies (p@1)");
    assertThatThrownBy(() -> given.check("L", 4, "p@1", "meh", true, true))
        .hasMessage("L:4: decision: \"meh\" is not a decision of policy p@1 (known: bad, fine)");
    assertThatThrownBy(() -> given.check("L", 4, "p@1", "fine", true, true))
        .hasMessage("L:4: positive: decision \"fine\" of policy p@1 is not positive, but positive is true");
    PolicyDecisions learned = PolicyDecisions.lookup(p -> java.util.Optional.empty());
    learned.check("L", 1, "p@1", "bad", true, true);
    assertThatThrownBy(() -> learned.check("L", 2, "p@1", "bad", false, true))
        .hasMessage("L:2: positive: decision \"bad\" of policy p@1 is positive in earlier records, but positive is false");
    assertThatThrownBy(() -> learned.check("G", 3, "p@1", "fine", false, false))
        .hasMessage("G:3: decision: \"fine\" is not a decision of policy p@1 (known from the labels: bad)");
    assertThat(learned.decisions("p@1")).containsExactly(Map.entry("bad", true));
  }

  @Test
  void should_digest_only_what_the_reader_gives_independent_of_order_and_latency() throws IOException {
    String a = "{\"unit\":\"u1\",\"policy\":\"p@1\",\"status\":\"ok\",\"decision\":\"bad\",\"positive\":true,"
        + "\"confidence\":0.9,\"latency_ms\":%d,\"rationale\":\"%s\",\"model\":\"m\"}";
    String b = "{\"unit\":\"u2\",\"policy\":\"p@1\",\"status\":\"failed\",\"attempts\":%d}";
    String first = LabelFile.contentDigest(file(a.formatted(12, "x"), b.formatted(1)));
    String reordered = LabelFile.contentDigest(file(b.formatted(6), a.formatted(480, "y")));
    assertThat(reordered).isEqualTo(first).startsWith("sha256:");
    String otherAnswer = LabelFile.contentDigest(file(a.formatted(12, "x").replace("0.9", "0.8"), b.formatted(1)));
    assertThat(otherAnswer).isNotEqualTo(first);
  }
}
