package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.corrected.CalibrationInput;
import dev.plumb.calibration.corrected.PolicyData;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueCommandTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");

  @TempDir Path dir;

  private Cli export(ReviewFixture f, String... extra) {
    List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", REVIEW.resolve("review.yaml").toString(), "--out",
        dir.resolve("queue").toString(), "--raters", REVIEW.resolve("raters.txt").toString(), "--honeypots",
        REVIEW.resolve("honeypots.jsonl").toString(), "--seed", "5", "--policies",
        ReviewFixture.ROOT.resolve("policies").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void should_round_trip_export_simulate_import_into_gold_that_calibration_reads() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    Cli e = export(f);
    assertThat(e.err()).isEmpty();
    assertThat(e.code()).isEqualTo(ExitCode.OK);
    Path queue = dir.resolve("queue");
    Cli s = Cli.run("queue", "simulate", "--queue", queue.toString(), "--truth", f.truth.toString(), "--panel",
        REVIEW.resolve("panel.yaml").toString(), "--out", dir.resolve("answers.csv").toString());
    assertThat(s.err()).isEmpty();
    assertThat(s.code()).isEqualTo(ExitCode.OK);
    Path gold = dir.resolve("gold.jsonl");
    Cli i = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue",
        queue.toString(), "--out", gold.toString());
    assertThat(i.err()).isEmpty();
    assertThat(i.code()).isEqualTo(ExitCode.OK);

    Map<String, PolicyData> data = CalibrationInput.read(f.sample, f.manifest, f.labels, gold, Map.of());
    assertThat(data.keySet()).containsExactly("harassment@1", "self_harm@1");
    // 60 of the LLM-positive units and 60 of the rest: pi = 60/N_g, or (60 - ties)/N_g for a
    // policy whose ties in the stratum await adjudication.
    Map<String, Integer> units = Map.of("llm_positive", f.llmPositive, "llm_negative", 300 - f.llmPositive);
    Map<String, String> stratumOfItem = new HashMap<>();
    Json.mapper().readTree(queue.resolve("queue.json").toFile()).get("items").forEach(it -> {
      if (!it.path("honeypot").asBoolean()) {
        stratumOfItem.put(it.get("item").asText(), it.get("stratum").asText());
      }
    });
    Map<String, Integer> ties = new HashMap<>();
    List<String> adjudication = Files.readAllLines(dir.resolve("gold.adjudication.csv"));
    assertThat(adjudication.get(0)).isEqualTo("item,unit,policy,candidates,votes,rater,decision,category");
    for (String row : adjudication.subList(1, adjudication.size())) {
      String[] cells = row.split(",");
      ties.merge(cells[2] + " " + stratumOfItem.get(cells[0]), 1, Integer::sum);
    }
    Map<String, Integer> perStratum = new HashMap<>();
    Jsonl.forEach(gold, line -> {
      JsonNode g = line.node();
      String key = g.get("policy").asText() + " " + g.get("phase2").get("stratum").asText();
      String stratum = g.get("phase2").get("stratum").asText();
      int reviewed = 60 - ties.getOrDefault(key, 0);
      assertThat(g.get("phase2").get("pi").asDouble()).isEqualTo(reviewed / (double) units.get(stratum));
      assertThat(stratumOfItem.get(g.get("item").asText())).isEqualTo(stratum);
      perStratum.merge(key, 1, Integer::sum);
    });
    for (String key : perStratum.keySet()) {
      assertThat(perStratum.get(key) + ties.getOrDefault(key, 0)).as(key).isEqualTo(60);
    }
    assertThat(perStratum).hasSize(4);
    int goldSelfHarm = perStratum.get("self_harm@1 llm_positive") + perStratum.get("self_harm@1 llm_negative");
    assertThat(data.get("self_harm@1").sample().goldSize()).isEqualTo(goldSelfHarm);
    JsonNode raters = Json.mapper().readTree(dir.resolve("gold.raters.json").toFile());
    assertThat(raters.get("raters")).hasSize(5);
  }
}
