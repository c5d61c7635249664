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

/**
 * {@code queue merge-rounds} of error-model gold ({@link RoundGold#rounds}, {@link RoundErrorModel}):
 * the merge of two rounds' imports is what one import of both rounds' items gives (one rater-error
 * model over every answer), each unit with the cumulative π2.
 */
class RoundErrorModelTest {
  @TempDir Path dir;

  private static final ReviewPolicy POLICY = new ReviewPolicy("self_harm@1",
      Map.of("violating", true, "safe", false), List.of());
  private static final List<String> RATERS = List.of("r1", "r2", "r3");

  /**
   * Round k (1 or 2) of a review of N_h = 60 units per stratum, 15 more per stratum each round (π2
   * 0.25 then 0.5), three raters an item and 4 honeypots a round; r3 misses the violations of every
   * fifth item. Writes the round's queue (ids {@code q-0001} … in every round, as export writes them)
   * under {@code dir/rk} and returns its answers; {@code union} gets the round's items as {@code rk-q-…}
   * and its answers.
   */
  private Path round(int k, List<Queue.Item> union, StringBuilder unionAnswers) throws IOException {
    List<Queue.Item> items = new ArrayList<>();
    StringBuilder answers = new StringBuilder("item,policy,rater,decision\n");
    for (int i = 0; i < 34; i++) {
      boolean pot = i >= 30;
      int u = (k - 1) * 34 + i;
      boolean truth = pot ? i % 2 == 0 : i < 15 ? u % 3 != 0 : u % 11 == 0;
      String id = String.format("q-%04d", i + 1);
      Queue.Item item = new Queue.Item(id, pot ? "hp-" + u : "u" + u, pot, pot ? null : i < 15 ? "llm_positive"
          : "llm_negative", pot ? 0 : 0.25 * k, RATERS, pot ? Map.of(POLICY.key(),
              new Queue.Known(truth ? "violating" : "safe", null)) : Map.of());
      items.add(item);
      union.add(new Queue.Item("r" + k + "-" + id, item.unit(), pot, item.stratum(), 0.5, RATERS, item.known()));
      for (String r : RATERS) {
        boolean says = r.equals("r3") && truth && u % 5 == 0 ? false : truth;
        String line = ",self_harm@1," + r + "," + (says ? "violating" : "safe") + "\n";
        answers.append(id).append(line);
        unionAnswers.append("r").append(k).append('-').append(id).append(line);
      }
    }
    Path q = dir.resolve("r" + k);
    Files.createDirectories(q);
    write(q, items, 15, 0.25 * k);
    Path file = q.resolve("answers.csv");
    Files.writeString(file, answers.toString());
    return file;
  }

  private static void write(Path queueDir, List<Queue.Item> items, int n, double pi) throws IOException {
    Queue q = new Queue(7, Json.object(), List.of(POLICY), List.of(new Queue.Stratum("llm_positive", 60, n, pi),
        new Queue.Stratum("llm_negative", 60, n, pi)), RATERS, 3, 0.5, items);
    Files.writeString(queueDir.resolve(Queue.MANIFEST), Json.pretty(q.toJson("test", Json.object())));
  }

  private Path importRound(Path answers) {
    Path gold = answers.resolveSibling("gold.jsonl");
    QueueImport.run(new QueueImport.Request(List.of(answers), answers.getParent(), gold, ConsensusMethod.ERROR_MODEL,
        null, 0.95));
    return gold;
  }

  @Test
  void should_merge_error_model_rounds_into_what_one_import_of_every_rounds_items_gives() throws IOException {
    List<Queue.Item> union = new ArrayList<>();
    StringBuilder unionAnswers = new StringBuilder("item,policy,rater,decision\n");
    Path g1 = importRound(round(1, union, unionAnswers));
    Path g2 = importRound(round(2, union, unionAnswers));
    RoundGold.Result merged = RoundGold.merge(List.of(g1, g2), dir.resolve("merged.jsonl"));
    assertThat(merged.errorModel()).isTrue();
    assertThat(merged.records()).isEqualTo(60);

    Path all = dir.resolve("all");
    Files.createDirectories(all);
    write(all, union, 30, 0.5);
    Files.writeString(all.resolve("answers.csv"), unionAnswers);
    Path one = importRound(all.resolve("answers.csv"));

    assertThat(Files.readString(dir.resolve("merged.jsonl"))).isEqualTo(Files.readString(one));
    assertThat(Files.readString(dir.resolve("merged.answers.jsonl"))).isEqualTo(Files.readString(
        all.resolve("gold.answers.jsonl")));
    JsonNode model = Json.read(dir.resolve("merged.raters.json")).path("error_model");
    assertThat(model).isEqualTo(Json.read(all.resolve("gold.raters.json")).path("error_model"));
    // one model over both rounds: 8 honeypots and 60 overlapped units, not one round's 4 and 30
    assertThat(model.path("self_harm@1").path("honeypots").asInt()).isEqualTo(8);
    assertThat(model.path("self_harm@1").path("overlapped").asInt()).isEqualTo(60);
    assertThat(Json.read(g1.resolveSibling("gold.raters.json")).path("error_model").path("self_harm@1")
        .path("honeypots").asInt()).isEqualTo(4);
    // every unit with the cumulative π2 = 30/60
    assertThat(Files.readAllLines(dir.resolve("merged.jsonl"))).allMatch(l -> l.contains("\"pi\":0.5}"));
  }

  @Test
  void should_say_which_rounds_answers_file_is_missing() throws IOException {
    List<Queue.Item> union = new ArrayList<>();
    StringBuilder unionAnswers = new StringBuilder();
    Path g1 = importRound(round(1, union, unionAnswers));
    Path g2 = importRound(round(2, union, unionAnswers));
    Files.delete(dir.resolve("r2/gold.answers.jsonl"));
    assertThatThrownBy(() -> RoundGold.merge(List.of(g1, g2), dir.resolve("merged.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(g2 + ": error-model gold of a sequential review is merged from every round's answers, but "
            + dir.resolve("r2/gold.answers.jsonl") + " (written by its queue import) is not there");
    assertThat(dir.resolve("merged.jsonl")).doesNotExist();
  }
}
