package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb units from-texts} on files in the format of a labeled moderation set ({@code
 * {"prompt": …, "S": 1, …}}, like ../shared/data/moderation/; these records are made up here).
 */
class UnitsFromTextsTest {
  @TempDir Path dir;

  @Test
  void should_make_a_frame_that_score_and_sample_read_from_a_labeled_text_file() throws IOException {
    Path in = dir.resolve("moderation.jsonl");
    Files.writeString(in, """
        {"prompt": "How do I bake bread at home?", "S": 0, "H": 0, "V": 0, "HR": 0, "SH": 0}
        {"prompt": "You are worthless and everyone hates you.", "S": 0, "H": 1, "V": 0, "HR": 1, "SH": 0}

        {"prompt": "Where can I watch the game tonight?", "S": 0, "H": 0, "V": 0, "HR": 0, "SH": 0}
        """);
    Path out = dir.resolve("units.jsonl");
    Cli r = Cli.run("units", "from-texts", "--in", in.toString(), "--text", "prompt", "--out", out.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("wrote 3 units (total weight 3) to " + out + "\n");
    assertThat(Files.readAllLines(out)).containsExactly(
        "{\"id\":\"t-1\",\"weight\":1,\"components\":[{\"id\":\"text\",\"kind\":\"text\",\"text\":\"How do I bake bread at home?\"}]}",
        "{\"id\":\"t-2\",\"weight\":1,\"components\":[{\"id\":\"text\",\"kind\":\"text\",\"text\":\"You are worthless and everyone hates you.\"}]}",
        "{\"id\":\"t-3\",\"weight\":1,\"components\":[{\"id\":\"text\",\"kind\":\"text\",\"text\":\"Where can I watch the game tonight?\"}]}");

    // the frame is one the sampler reads
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: srs\nn: 2\nseed: 1\n");
    Cli s = Cli.run("sample", "--frame", out.toString(), "--design", design.toString(), "--out",
        dir.resolve("sample.jsonl").toString());
    assertThat(s.err()).isEmpty();
    assertThat(s.code()).isEqualTo(ExitCode.OK);
    assertThat(Files.readAllLines(dir.resolve("sample.jsonl"))).hasSize(2);
  }

  @Test
  void should_read_csv_with_ids_weights_and_a_kind() throws IOException {
    Path in = dir.resolve("posts.csv");
    Files.writeString(in, "post_id,body,views\np1,\"first post, with a comma\",12\np2,\"second\npost\",3.5\n");
    Path out = dir.resolve("units.jsonl");
    Cli r = Cli.run("units", "from-texts", "--in", in.toString(), "--text", "body", "--id", "post_id", "--weight",
        "views", "--kind", "query", "--out", out.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("wrote 2 units (total weight 15.5) to " + out + "\n");
    assertThat(Files.readAllLines(out)).containsExactly(
        "{\"id\":\"p1\",\"weight\":12,\"components\":[{\"id\":\"text\",\"kind\":\"query\",\"text\":\"first post, with a comma\"}]}",
        "{\"id\":\"p2\",\"weight\":3.5,\"components\":[{\"id\":\"text\",\"kind\":\"query\",\"text\":\"second\\npost\"}]}");
  }

  @Test
  void should_call_an_empty_cell_or_a_null_empty_not_missing() throws IOException {
    Path csv = dir.resolve("posts.csv");
    Files.writeString(csv, "text,w\nhello,2\n,1\nbye,\n");
    Cli r = Cli.run("units", "from-texts", "--in", csv.toString(), "--text", "text", "--weight", "w",
        "--out", dir.resolve("units.jsonl").toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(csv + ":3: text: empty\n" + csv + ":4: w: empty\n");

    Path jsonl = dir.resolve("texts.jsonl");
    Files.writeString(jsonl, "{\"prompt\": null, \"id\": null}\n");
    Cli nulls = Cli.run("units", "from-texts", "--in", jsonl.toString(), "--text", "prompt", "--id", "id",
        "--out", dir.resolve("units.jsonl").toString());
    assertThat(nulls.err()).isEqualTo(jsonl + ":1: prompt: empty\n" + jsonl + ":1: id: empty\n");
    assertThat(dir.resolve("units.jsonl")).doesNotExist();
  }

  @Test
  void should_report_every_problem_of_the_file_in_one_run_and_write_nothing() throws IOException {
    Path in = dir.resolve("moderation.jsonl");
    Files.writeString(in, String.join("\n", List.of(
        "{\"prompt\": \"fine\", \"id\": \"a\", \"w\": 2}",
        "{\"promt\": \"typo\", \"id\": \"b\", \"w\": 1}",
        "{\"prompt\": \"dup\", \"id\": \"a\", \"w\": 1}",
        "not json",
        "[1, 2]",
        "{\"prompt\": 7, \"id\": \"c\", \"w\": -1}",
        "{\"prompt\": \"   \", \"w\": \"x\"}")) + "\n");
    Path out = dir.resolve("units.jsonl");
    Cli r = Cli.run("units", "from-texts", "--in", in.toString(), "--text", "prompt", "--id", "id", "--weight", "w",
        "--out", out.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(String.join("\n", List.of(
        in + ":2: prompt: missing; the record's fields: promt, id, w (did you mean \"promt\"?)",
        in + ":3: id: duplicate id \"a\" (first at line 1)",
        in + ":4: not valid JSON",
        in + ":5: expected a JSON object, found an array",
        in + ":6: prompt: expected a string, found 7",
        in + ":6: w: expected a number >= 0, found -1",
        in + ":7: prompt: empty text",
        in + ":7: id: missing; the record's fields: prompt, w",
        in + ":7: w: expected a number >= 0, found \"x\"")) + "\n");
    assertThat(out).doesNotExist();
  }
}
