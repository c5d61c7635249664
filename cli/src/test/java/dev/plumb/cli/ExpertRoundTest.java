package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expert tier end to end (docs/review.md, "Expert tier"): a vendor review, a second {@code queue
 * export --expert-from} round drawn from its gold, exact experts answering it, {@code queue import}
 * into expert.jsonl, and {@code calibrate --expert}; and the bad inputs, each one line and exit 2.
 */
class ExpertRoundTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");

  @TempDir Path dir;
  ReviewFixture f;
  Path gold;

  @BeforeEach
  void vendorReview() throws IOException {
    f = new ReviewFixture(dir, 300);
    assertThat(f.vendorReview(dir.resolve("answers.csv")).err()).isEmpty();
    gold = dir.resolve("gold.jsonl");
    Cli i = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue",
        dir.resolve("queue").toString(), "--out", gold.toString());
    assertThat(i.err()).isEmpty();
  }

  private Cli expertExport(String share, String out) throws IOException {
    Path experts = f.write("experts.txt", "expert-a\nexpert-b\n");
    return Cli.run("queue", "export", "--expert-from", gold.toString(), "--expert-negatives", share, "--queue",
        dir.resolve("queue").toString(), "--sample", f.sample.toString(), "--out", dir.resolve(out).toString(),
        "--raters", experts.toString(), "--seed", "9");
  }

  @Test
  void should_draw_every_consensus_positive_and_a_share_of_the_negatives_then_calibrate_on_the_experts()
      throws IOException {
    Cli x = expertExport("0.2", "expert");
    assertThat(x.err()).isEmpty();
    assertThat(x.code()).isEqualTo(ExitCode.OK);
    assertThat(x.out()).contains("every consensus-positive, 0.2 of the consensus-negatives, seed 9",
        "llm_negative/consensus_negative");
    // the cells as the vendor gold gives them: stratum x positive for any policy
    Map<String, String> stratum = new HashMap<>();
    Map<String, Boolean> positive = new HashMap<>();
    for (String line : Files.readAllLines(gold)) {
      JsonNode g = Json.mapper().readTree(line);
      stratum.put(g.get("unit").asText(), g.get("phase2").get("stratum").asText());
      positive.merge(g.get("unit").asText(), g.get("positive").asBoolean(), Boolean::logicalOr);
    }
    Map<String, Integer> cellSize = new HashMap<>();
    stratum.forEach((u, s) -> cellSize.merge(s + "/consensus_" + (positive.get(u) ? "positive" : "negative"), 1,
        Integer::sum));
    JsonNode manifest = Json.mapper().readTree(dir.resolve("expert/queue.json").toFile());
    int drawn = 0;
    for (JsonNode st : manifest.get("strata")) {
      int units = cellSize.get(st.get("id").asText());
      int n = st.get("id").asText().endsWith("consensus_positive") ? units
          : Math.min(units, Math.max(2, (int) Math.ceil(0.2 * units - 1e-9)));
      assertThat(st.get("units").asInt()).as(st.toString()).isEqualTo(units);
      assertThat(st.get("n").asInt()).as(st.toString()).isEqualTo(n);
      assertThat(st.get("pi").asDouble()).isEqualTo(n / (double) units);
      drawn += n;
    }
    assertThat(manifest.get("strata")).hasSize(cellSize.size());
    assertThat(manifest.get("items")).hasSize(drawn);
    assertThat(manifest.get("design").get("type").asText()).isEqualTo("expert");
    Set<String> items = new HashSet<>();
    manifest.get("items").forEach(it -> {
      assertThat(it.get("raters")).hasSize(1);
      items.add(it.get("unit").asText());
    });
    // same seed, same draw
    expertExport("0.2", "expert-again");
    assertThat(Files.readString(dir.resolve("expert-again/queue.csv"))).isEqualTo(Files.readString(dir.resolve("expert/queue.csv")));

    // exact experts answer; import turns their answers into expert.jsonl with π3 as phase2.pi
    Path panel = f.write("experts.yaml", "default: {sensitivity: 1, specificity: 1}\ncategory_accuracy: 1\nseed: 3\n");
    Cli s = Cli.run("queue", "simulate", "--queue", dir.resolve("expert").toString(), "--truth", f.truth.toString(),
        "--panel", panel.toString(), "--out", dir.resolve("expert-answers.csv").toString());
    assertThat(s.err()).isEmpty();
    Path expert = dir.resolve("expert.jsonl");
    Cli i = Cli.run("queue", "import", "--answers", dir.resolve("expert-answers.csv").toString(), "--queue",
        dir.resolve("expert").toString(), "--out", expert.toString());
    assertThat(i.err()).isEmpty();
    assertThat(Files.readAllLines(expert)).hasSize(2 * drawn);

    Cli c = Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
        gold.toString(), "--expert", expert.toString(), "--out", dir.resolve("report").toString());
    assertThat(c.err()).isEmpty();
    assertThat(c.code()).isEqualTo(ExitCode.OK);
    JsonNode report = Json.mapper().readTree(dir.resolve("report/report.json").toFile());
    assertThat(report.toString()).contains("gold corrected by the expert tier in " + expert)
        .doesNotContain("no error_model was found");
    Cli plain = Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
        gold.toString(), "--out", dir.resolve("report-plain").toString());
    assertThat(plain.code()).isEqualTo(ExitCode.OK);
    JsonNode before = Json.mapper().readTree(dir.resolve("report-plain/report.json").toFile());
    assertThat(report.toString()).isNotEqualTo(before.toString());
  }

  @Test
  void should_refuse_a_share_outside_zero_to_one_with_one_line() throws IOException {
    for (String share : List.of("0", "1.5")) {
      Cli x = expertExport(share, "expert-" + share);
      assertThat(x.code()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(x.err().strip()).isEqualTo("--expert-negatives: " + Double.parseDouble(share)
          + " is not in (0, 1]; it is the share of each review stratum's consensus-negative units the experts review");
      assertThat(dir.resolve("expert-" + share)).doesNotExist();
    }
  }

  @Test
  void should_refuse_expert_answers_for_units_outside_the_expert_draw() throws IOException {
    assertThat(expertExport("0.2", "expert").code()).isEqualTo(ExitCode.OK);
    JsonNode manifest = Json.mapper().readTree(dir.resolve("expert/queue.json").toFile());
    Set<String> drawn = new HashSet<>();
    manifest.get("items").forEach(it -> drawn.add(it.get("unit").asText()));
    String outside = null;
    for (String line : Files.readAllLines(gold)) {
      String u = Json.mapper().readTree(line).get("unit").asText();
      if (!drawn.contains(u)) {
        outside = u;
        break;
      }
    }
    // at import: a unit-keyed answer for a reviewed unit the experts were not given
    Path answers = f.write("expert-bad.csv", "unit,policy,rater,decision\n" + outside + ",self_harm@1,expert-a,safe\n");
    Cli i = Cli.run("queue", "import", "--answers", answers.toString(), "--queue", dir.resolve("expert").toString(),
        "--out", dir.resolve("expert.jsonl").toString());
    assertThat(i.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(i.err().strip()).isEqualTo(answers + ":2: unit: unknown unit \"" + outside + "\": not in the queue");
    assertThat(dir.resolve("expert.jsonl")).doesNotExist();
    // at calibrate: an expert record whose unit the vendor gold never reviewed, one in another cell,
    // and too few expert answers for a cell reviewed in part
    Set<String> reviewed = new HashSet<>();
    String inPositiveStratum = null;
    for (String line : Files.readAllLines(gold)) {
      JsonNode g = Json.mapper().readTree(line);
      reviewed.add(g.get("unit").asText());
      if (g.get("phase2").get("stratum").asText().equals("llm_positive")) {
        inPositiveStratum = g.get("unit").asText();
      }
    }
    String never = null;
    for (int k = 1; never == null; k++) {
      never = reviewed.contains("u-" + k) ? null : "u-" + k;
    }
    String record = "{\"unit\":\"%s\",\"policy\":\"self_harm@1\",\"decision\":\"safe\",\"positive\":false,"
        + "\"phase2\":{\"stratum\":\"llm_negative/consensus_negative\",\"pi\":0.2}}\n";
    Map<Path, String> expected = new java.util.LinkedHashMap<>();
    expected.put(f.write("never.jsonl", String.format(record, never)), ":1: unit: unit \"" + never + "\" has no gold in "
        + gold + ", so it was not in the expert draw; answer only the expert queue drawn from this gold");
    expected.put(f.write("moved.jsonl", String.format(record, inPositiveStratum)), ":1: phase2.stratum: unit \""
        + inPositiveStratum + "\" is in expert cell llm_positive/consensus_");
    expected.put(f.write("few.jsonl", ""), ": policy harassment@1: cell ");
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      Cli c = Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
          gold.toString(), "--expert", e.getKey().toString(), "--out", dir.resolve("report").toString());
      assertThat(c.code()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(c.err().strip()).startsWith(e.getKey() + e.getValue()).doesNotContain("\n");
    }
    assertThat(dir.resolve("report")).doesNotExist();
  }
}
