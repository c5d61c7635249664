package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
  /** The starter policy library at the project root. */
  static final String POLICIES = Path.of("..", "policies").toString();

  @TempDir Path dir;

  private static final String U1 =
      "{\"id\":\"u-1\",\"weight\":37,\"attributes\":{\"surface\":\"search\",\"day\":\"2026-11-25\"},\"scores\":{\"spam\":0.5},"
          + "\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"summer outfits\"},"
          + "{\"id\":\"response\",\"kind\":\"response\",\"text\":\"Here are light linen looks.\"},"
          + "{\"id\":\"pin-1\",\"kind\":\"pin\",\"text\":\"Long sleeves in July? Tricks so nobody asks about your arms\","
          + "\"image\":\"https://example.com/a.jpg\"}],\"design\":{\"stratum\":\"s1\",\"pi\":0.25}}";
  private static final String U2 =
      "{\"id\":\"u-2\",\"components\":[{\"id\":\"pin-9\",\"kind\":\"pin\",\"text\":\"Chocolate chip cookie recipe\"}],"
          + "\"extra\":{\"nested\":[1,2,{\"a\":null}],\"s\":\"\\u00e9\\\"\"}}";

  @Test
  void scores_are_attached_and_every_other_field_is_kept() throws IOException {
    Path frame = dir.resolve("units.jsonl");
    Files.writeString(frame, U1 + "\n\n" + U2 + "\n");
    Path out = dir.resolve("scored.jsonl");
    Cli r = Cli.run("score", "--frame", frame.toString(), "--out", out.toString(), "--policies", POLICIES,
        "--policy", "self_harm", "--policy", "harassment");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out().lines().toList()).containsExactly(
        "scored 2 units (4 components) for self_harm@2, harassment@1 -> " + out,
        r.out().lines().toList().get(1));
    // u-1: its query+response conversation (one read; the turns are pooled from it) and its pin; u-2: its pin
    assertThat(r.out().lines().toList().get(1)).startsWith("texts read: 3 (");
    assertThat(r.err()).contains("score: self_harm@2: ").contains("score: harassment@1: ")
        .doesNotContain("WARN").doesNotContain("CUDA");

    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(2);
    for (int i = 0; i < 2; i++) {
      ObjectNode before = (ObjectNode) Json.mapper().readTree(i == 0 ? U1 : U2);
      ObjectNode after = (ObjectNode) Json.mapper().readTree(lines.get(i));
      JsonNode scores = after.remove("scores");
      JsonNode oldScores = before.remove("scores");
      assertThat(after).isEqualTo(before);
      assertThat(fieldNames(after)).isEqualTo(fieldNames(before));
      assertThat(fieldNames(scores)).containsAll(oldScores == null ? List.of() : fieldNames(oldScores));
      assertThat(fieldNames(scores)).contains("self_harm", "harassment");
      for (String p : List.of("self_harm", "harassment")) {
        assertThat(scores.get(p).doubleValue()).isBetween(1e-6, 1 - 1e-6);
      }
    }
    // the "scores" field keeps its place in u-1 and is appended to u-2
    assertThat(fieldNames(Json.mapper().readTree(lines.get(0)))).containsExactly("id", "weight", "attributes", "scores", "components", "design");
    assertThat(Json.mapper().readTree(lines.get(0)).get("scores").get("spam").doubleValue()).isEqualTo(0.5);
    // the concealment-tips pin reads as self-harm; the cookie recipe does not
    double concealment = Json.mapper().readTree(lines.get(0)).get("scores").get("self_harm").doubleValue();
    double cookies = Json.mapper().readTree(lines.get(1)).get("scores").get("self_harm").doubleValue();
    assertThat(concealment).isGreaterThan(cookies);
    assertThat(cookies).isLessThan(0.5);
  }

  @Test
  void a_bad_unit_is_one_located_line_and_no_output() throws IOException {
    Path frame = dir.resolve("units.jsonl");
    Files.writeString(frame, U2 + "\n{\"id\":\"u-3\",\"components\":[]}\n");
    Path out = dir.resolve("scored.jsonl");
    Cli r = Cli.run("score", "--frame", frame.toString(), "--out", out.toString(), "--policies", POLICIES, "--policy", "self_harm");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err().lines().filter(l -> !l.startsWith("score: ")).toList())
        .containsExactly(frame + ":2: components: expected a non-empty array");
    assertThat(out).doesNotExist();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("units.jsonl");
  }

  @Test
  void a_labeled_text_file_is_reported_whole_before_training_with_the_way_to_make_units() throws IOException {
    Path frame = dir.resolve("moderation.jsonl");
    Files.writeString(frame, "{\"prompt\": \"hello there\", \"S\": 0}\n{\"prompt\": \"you idiot\", \"S\": 1}\n");
    Path out = dir.resolve("scored.jsonl");
    Cli r = Cli.run("score", "--frame", frame.toString(), "--out", out.toString(), "--policies", POLICIES,
        "--policy", "harassment");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    // nothing trained: no "score: <policy>: trained model" line
    assertThat(r.err()).isEqualTo(String.join(System.lineSeparator(), List.of(
        frame + ":1: id: missing",
        frame + ":2: id: missing",
        frame + ": not a file of units (docs/formats.md); to make one from a file of texts: plumb units from-texts"
            + " --in " + frame + " --text FIELD --out units.jsonl")) + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  @Test
  void options_are_checked_before_anything_runs() throws IOException {
    Path frame = dir.resolve("units.jsonl");
    Files.writeString(frame, U2 + "\n");
    String out = dir.resolve("o.jsonl").toString();
    Cli r = Cli.run("score", "--frame", frame.toString(), "--out", out, "--policies", POLICIES, "--map", "SH=self_harm");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("--map needs a labeled file: --train FILE" + System.lineSeparator());

    Path train = dir.resolve("train.jsonl");
    Files.writeString(train, "{\"prompt\":\"hello\",\"SH\":0}\n");
    r = Cli.run("score", "--frame", frame.toString(), "--out", out, "--policies", POLICIES, "--policy", "harassment",
        "--train", train.toString(), "--map", "SH=self_harm");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("--map SH=self_harm: policy \"self_harm\" is not among the policies in use (harassment)"
        + System.lineSeparator());

    r = Cli.run("score", "--frame", dir.resolve("missing.jsonl").toString(), "--out", out, "--policies", POLICIES, "--policy", "harassment");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err().lines().filter(l -> !l.startsWith("score: ")).toList())
        .containsExactly(dir.resolve("missing.jsonl") + ": file not found");
  }

  private static List<String> fieldNames(JsonNode node) {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }
}
