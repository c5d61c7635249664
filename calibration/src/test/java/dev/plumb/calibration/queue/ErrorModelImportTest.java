package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plumb queue import --consensus error-model} on a hand-made queue. */
class ErrorModelImportTest {
  @TempDir Path dir;

  private static final ReviewPolicy POLICY = new ReviewPolicy("self_harm@1",
      Map.of("violating", true, "borderline", true, "safe", false), List.of("promotion"));

  /**
   * 60 reviewed items (20 of 30 in {@code llm_positive} violating, 2 of 30 in {@code llm_negative})
   * and 10 honeypots, three raters each; rater r3 misses every violation on items 0, 5, 10, …
   */
  private Path queue(int perItem, int honeypots) throws IOException {
    return queue(perItem, honeypots, Json.object());
  }

  /** @param inputs queue.json's inputs (e.g. the {@code sample} it was drawn from) */
  private Path queue(int perItem, int honeypots, com.fasterxml.jackson.databind.node.ObjectNode inputs)
      throws IOException {
    List<Queue.Item> items = new ArrayList<>();
    StringBuilder answers = new StringBuilder("item,policy,rater,decision\n");
    List<String> raters = List.of("r1", "r2", "r3");
    for (int i = 0; i < 60 + honeypots; i++) {
      boolean pot = i >= 60;
      boolean truth = pot ? i % 2 == 0 : i < 30 ? i % 3 != 0 : i == 31 || i == 47;
      String id = String.format("q-%04d", i + 1);
      List<String> assigned = raters.subList(0, perItem);
      items.add(new Queue.Item(id, pot ? "hp-" + i : "u" + i, pot, pot ? null : i < 30 ? "llm_positive" : "llm_negative",
          pot ? 0 : 0.5, assigned, pot ? Map.of(POLICY.key(), new Queue.Known(truth ? "violating" : "safe", null))
              : Map.of()));
      for (String r : assigned) {
        boolean says = r.equals("r3") && truth && i % 5 == 0 ? false : truth;
        answers.append(id).append(",self_harm@1,").append(r).append(',').append(says ? "violating" : "safe").append('\n');
      }
    }
    Queue q = new Queue(7, Json.object(), List.of(POLICY), List.of(new Queue.Stratum("llm_positive", 60, 30, 0.5),
        new Queue.Stratum("llm_negative", 60, 30, 0.5)), raters, perItem, 0.5, items);
    Files.writeString(dir.resolve(Queue.MANIFEST), Json.pretty(q.toJson("test", inputs)));
    Path file = dir.resolve("answers.csv");
    Files.writeString(file, answers.toString());
    return file;
  }

  @Test
  void should_write_each_units_probability_and_the_error_model() throws IOException {
    Path answers = queue(3, 10);
    QueueImport.run(new QueueImport.Request(List.of(answers), dir, dir.resolve("gold.jsonl"),
        ConsensusMethod.ERROR_MODEL, null, 0.95));
    List<String> lines = Files.readAllLines(dir.resolve("gold.jsonl"));
    assertThat(lines).hasSize(60);
    JsonNode first = Json.mapper().readTree(lines.get(0));
    assertThat(first.get("method").asText()).isEqualTo("error-model");
    assertThat(first.get("positive").asBoolean()).isFalse();
    assertThat(first.get("p_positive").asDouble()).isLessThan(0.5);
    assertThat(first.get("p_replicates")).hasSize(200);
    // item 1 of llm_positive is violating and all three raters said so
    JsonNode second = Json.mapper().readTree(lines.get(1));
    assertThat(second.get("decision").asText()).isEqualTo("violating");
    assertThat(second.get("p_positive").asDouble()).isGreaterThan(0.99);
    // the unbiased gold beside the posterior: E[g] is the true class, so a unanimous positive sits near
    // or above 1 and a unit read as clean near or below 0; each bootstrap replicate has its own
    assertThat(second.get("y_unbiased").asDouble()).isGreaterThan(0.99);
    assertThat(first.get("y_unbiased").asDouble()).isLessThan(0.5);
    assertThat(first.get("y_replicates")).hasSize(200);
    JsonNode model = Json.mapper().readTree(Files.readString(dir.resolve("gold.raters.json")))
        .path("error_model").path("self_harm@1");
    assertThat(model.path("honeypots").asInt()).isEqualTo(10);
    assertThat(model.path("overlapped").asInt()).isEqualTo(60);
    assertThat(model.path("panel").path("specificity").asDouble()).isGreaterThan(0.99);
    // r3 missed 5 of the 22 reviewed violations and 1 of 5 violating honeypots
    JsonNode r3 = model.path("raters").get(2);
    assertThat(r3.path("rater").asText()).isEqualTo("r3");
    assertThat(r3.path("sensitivity").asDouble()).isBetween(0.7, 0.85);
    // this queue names no sample, so the units' design weights are unknown: said, not silently assumed
    assertThat(model.path("warnings").get(model.path("warnings").size() - 1).asText()).isEqualTo("the error model's "
        + "prior weighs every reviewed unit of a stratum alike because queue.json names no sample; where violations "
        + "are rarer than the raters' errors its estimate runs high (docs/calibration.md, \"Gold error\")");
  }

  /**
   * The units u0..u59 as a Poisson sample with π1 = 0.5: exposure 1, but 20 for the clean units of
   * {@code llm_negative} from u50 on, so m·d1 is 2 or 40.
   */
  private com.fasterxml.jackson.databind.node.ObjectNode sample() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"weight\":").append(i >= 50 ? 20 : 1)
          .append(",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t").append(i)
          .append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":0.5}}\n");
    }
    Path sample = dir.resolve("sample.jsonl");
    Files.writeString(sample, s);
    Files.writeString(dir.resolve("sample.json"), "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"poisson\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":120,\"n\":60}]}");
    com.fasterxml.jackson.databind.node.ObjectNode inputs = Json.object();
    inputs.putObject("sample").put("path", sample.toString()).put("sha256", dev.plumb.core.Hashing.sha256(sample));
    return inputs;
  }

  @Test
  void should_fit_the_prior_on_the_units_design_weights_from_the_queues_sample() throws IOException {
    Path answers = queue(3, 10, sample());
    QueueImport.run(new QueueImport.Request(List.of(answers), dir, dir.resolve("gold.jsonl"),
        ConsensusMethod.ERROR_MODEL, null, 0.95));
    JsonNode model = Json.mapper().readTree(Files.readString(dir.resolve("gold.raters.json")))
        .path("error_model").path("self_harm@1");
    assertThat(model.path("warnings").toString()).doesNotContain("weighs every reviewed unit");
    // the heavy units of llm_negative are clean: its prior at the typical unit (0.0545 observed) is
    // below the constant prior, (2 + 0.01)/(30 + 0.02) = 0.067 for 2 violating units of 30
    assertThat(model.path("priors").path("llm_negative").asDouble()).isLessThan(0.06);
  }

  @Test
  void should_say_when_the_queues_sample_changed_since_it_was_drawn() throws IOException {
    Path answers = queue(3, 10, sample());
    Files.writeString(dir.resolve("sample.jsonl"), "\n", java.nio.file.StandardOpenOption.APPEND);
    QueueImport.run(new QueueImport.Request(List.of(answers), dir, dir.resolve("gold.jsonl"),
        ConsensusMethod.ERROR_MODEL, null, 0.95));
    JsonNode model = Json.mapper().readTree(Files.readString(dir.resolve("gold.raters.json")))
        .path("error_model").path("self_harm@1");
    assertThat(model.path("warnings").get(model.path("warnings").size() - 1).asText()).isEqualTo("the error model's "
        + "prior weighs every reviewed unit of a stratum alike because the sample " + dir.resolve("sample.jsonl")
        + " changed since the queue was drawn; where violations are rarer than the raters' errors its estimate runs "
        + "high (docs/calibration.md, \"Gold error\")");
  }

  @Test
  void should_refuse_answers_that_cannot_identify_rater_error() throws IOException {
    Path answers = queue(1, 0);
    assertThatThrownBy(() -> QueueImport.run(new QueueImport.Request(List.of(answers), dir, dir.resolve("gold.jsonl"),
        ConsensusMethod.ERROR_MODEL, null, 0.95)))
        .isInstanceOf(InputException.class)
        .hasMessage(answers + ": policy self_harm@1: rater error cannot be estimated: every reviewed item has one "
            + "answer and there is no honeypot; give items to two or more raters (overlap) or add honeypots");
    assertThat(dir.resolve("gold.jsonl")).doesNotExist();
  }

  @Test
  void should_weigh_an_active_reviews_units_by_their_phase2_weight_in_the_prior() {
    Queue.Item active = new Queue.Item("q-0001", "u1", false, "active", 0.04, List.of("r1"), Map.of());
    Queue.Item stratified = new Queue.Item("q-0002", "u2", false, "llm_negative", 0.04, List.of("r1"), Map.of());
    // m·d1 = 3: over π2 = 0.04 in the one active stratum; a stratified review's constant π2 cancels
    assertThat(ErrorModelConsensus.priorWeight(active, 3.0)).isEqualTo(75.0);
    assertThat(ErrorModelConsensus.priorWeight(stratified, 3.0)).isEqualTo(3.0);
    assertThat(ErrorModelConsensus.priorWeight(active, null)).isNull();
  }
}
