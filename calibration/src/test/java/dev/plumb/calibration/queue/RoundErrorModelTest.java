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

  /** Rounds 1 and 2 written and imported with the error model: their gold files. */
  private List<Path> twoRounds() throws IOException {
    List<Queue.Item> union = new ArrayList<>();
    StringBuilder unionAnswers = new StringBuilder();
    return List.of(importRound(round(1, union, unionAnswers)), importRound(round(2, union, unionAnswers)));
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
    RoundGold.Result merged = RoundGold.merge(List.of(g1, g2), List.of(), dir.resolve("merged.jsonl"));
    assertThat(merged.errorModel()).isTrue();
    assertThat(merged.records()).isEqualTo(60);

    Path all = dir.resolve("all");
    Files.createDirectories(all);
    write(all, union, 30, 0.5);
    Files.writeString(all.resolve("answers.csv"), unionAnswers);
    Path one = importRound(all.resolve("answers.csv"));

    // the merge names each item as its round's queue does, with the round: rK-ITEM in the union
    assertThat(unionIds(dir.resolve("merged.jsonl"))).isEqualTo(Files.readString(one));
    assertThat(unionIds(dir.resolve("merged.answers.jsonl"))).isEqualTo(Files.readString(
        all.resolve("gold.answers.jsonl")));
    assertThat(Files.readAllLines(dir.resolve("merged.jsonl"))).first().asString()
        .endsWith("\"item\":\"q-0001\",\"round\":1}");
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

  /** A merged file with every {@code "item":"q-0001","round":2} written {@code "item":"r2-q-0001"}. */
  private static String unionIds(Path merged) throws IOException {
    return Files.readString(merged).replaceAll("\"item\":\"(q-\\d+)\",\"round\":(\\d+)", "\"item\":\"r$2-$1\"");
  }

  @Test
  void should_say_which_rounds_answers_file_is_missing() throws IOException {
    List<Path> golds = twoRounds();
    Path g1 = golds.get(0);
    Path g2 = golds.get(1);
    Files.delete(dir.resolve("r2/gold.answers.jsonl"));
    assertThatThrownBy(() -> RoundGold.merge(List.of(g1, g2), List.of(), dir.resolve("merged.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(g2 + ": error-model gold of a sequential review is merged from every round's answers, but "
            + dir.resolve("r2/gold.answers.jsonl") + " (written by its queue import) is not there");
    assertThat(dir.resolve("merged.jsonl")).doesNotExist();
  }

  /** Round 1's gold as {@code queue import --adjudicated} writes it when item {@code q-0003}'s tie was decided. */
  private static String adjudicate(Path gold, String decision) throws IOException {
    // an error-model posterior is practically never exactly 0.5, so no small panel gives a real tie:
    // the record is rewritten as the re-import with the filled-in file writes a decided tie
    List<String> lines = new ArrayList<>();
    String unit = null;
    for (String line : Files.readAllLines(gold)) {
      if (line.contains("\"item\":\"q-0003\"")) {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.mapper().readTree(line);
        o.put("decision", decision).put("positive", decision.equals("violating")).put("adjudicated", true);
        unit = o.path("unit").asText();
        line = Json.line(o);
      }
      lines.add(line);
    }
    Files.write(gold, lines);
    return unit;
  }

  private JsonNode record(Path gold, String unit) throws IOException {
    for (String line : Files.readAllLines(gold)) {
      JsonNode o = Json.mapper().readTree(line);
      if (o.path("unit").asText().equals(unit)) {
        return o;
      }
    }
    throw new AssertionError("no record of " + unit + " in " + gold);
  }

  @Test
  void should_keep_a_round_1_adjudication_in_the_merge_of_two_rounds() throws IOException {
    List<Path> golds = twoRounds();
    Path g1 = golds.get(0);
    Path g2 = golds.get(1);
    Path before = dir.resolve("before.jsonl");
    RoundGold.merge(List.of(g1, g2), List.of(), before);
    // q-0003 of round 1 is unit u2, violating by every rater; the adjudicator said safe
    assertThat(record(before, "u2").path("decision").asText()).isEqualTo("violating");
    String unit = adjudicate(g1, "safe");
    assertThat(unit).isEqualTo("u2");

    Path merged = dir.resolve("merged.jsonl");
    RoundGold.merge(List.of(g1, g2), List.of(), merged);
    JsonNode kept = record(merged, "u2");
    assertThat(kept.path("decision").asText()).isEqualTo("safe");
    assertThat(kept.path("positive").asBoolean()).isFalse();
    assertThat(kept.path("adjudicated").asBoolean()).isTrue();
    assertThat(kept.path("item").asText()).isEqualTo("q-0003");
    assertThat(kept.path("round").asInt()).isEqualTo(1);
    // the model still scores it (the estimators read y_unbiased); only the call is the adjudicator's
    assertThat(kept.path("y_unbiased").asDouble()).isEqualTo(record(before, "u2").path("y_unbiased").asDouble());
    // every other record is the merge without the adjudication
    assertThat(Files.readAllLines(merged)).hasSize(60);
    List<String> others = Files.readAllLines(merged).stream().filter(l -> !l.contains("\"unit\":\"u2\"")).toList();
    assertThat(others).isEqualTo(Files.readAllLines(before).stream().filter(l -> !l.contains("\"unit\":\"u2\"")).toList());
  }

  @Test
  void should_decide_a_unit_from_the_merges_adjudication_file_found_by_unit() throws IOException {
    List<Path> golds = twoRounds();
    // the merged adjudication file's columns; q-0001 is in both rounds, its unit (u34) in round 2 only
    Path adj = dir.resolve("merged.decided.csv");
    Files.writeString(adj, "item,unit,policy,candidates,votes,rater,decision,category,round\n"
        + "q-0001,u34,self_harm@1,safe|violating,safe=1 violating=2,expert1,safe,,2\n");
    Path merged = dir.resolve("merged.jsonl");
    RoundGold.merge(golds, List.of(adj), merged);
    JsonNode decided = record(merged, "u34");
    assertThat(decided.path("decision").asText()).isEqualTo("safe");
    assertThat(decided.path("adjudicated").asBoolean()).isTrue();
    assertThat(decided.path("round").asInt()).isEqualTo(2);
    assertThat(record(merged, "u0").has("adjudicated")).isFalse();
  }

  @Test
  void should_name_file_line_and_field_of_an_adjudication_whose_unit_no_round_reviewed() throws IOException {
    List<Path> golds = twoRounds();
    Path adj = dir.resolve("decided.csv");
    // u999 was never drawn
    Files.writeString(adj, "item,unit,policy,candidates,votes,rater,decision,category\n"
        + "q-0001,u34,self_harm@1,safe|violating,,expert1,safe,\n"
        + "q-0009,u999,self_harm@1,safe|violating,,expert1,safe,\n");
    Path merged = dir.resolve("merged.jsonl");
    assertThatThrownBy(() -> RoundGold.merge(golds, List.of(adj), merged))
        .isInstanceOf(InputException.class)
        .hasMessage(adj + ":3: unit: unit \"u999\" is in no round's queue (rounds 1-2)");
    // hp-30, a honeypot of round 1, is never adjudicated (honeypot units may repeat from round to round)
    Files.writeString(adj, "item,unit,policy,candidates,votes,rater,decision,category\nq-0031,hp-30,self_harm@1,,,e,safe,\n");
    assertThatThrownBy(() -> RoundGold.merge(golds, List.of(adj), merged))
        .hasMessage(adj + ":2: unit: unit \"hp-30\" is in no round's queue (rounds 1-2)");
    assertThat(merged).doesNotExist();
    assertThat(dir.resolve("merged.raters.json")).doesNotExist();
  }

  @Test
  void should_name_the_round_gold_line_of_an_adjudicated_item_not_in_its_queue() throws IOException {
    List<Path> golds = twoRounds();
    Path g1 = golds.get(0);
    Path g2 = golds.get(1);
    adjudicate(g2, "safe");
    Files.writeString(g2, Files.readString(g2).replace("\"item\":\"q-0003\"", "\"item\":\"q-0099\""));
    assertThatThrownBy(() -> RoundGold.merge(List.of(g1, g2), List.of(), dir.resolve("merged.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessage(g2 + ":3: item: adjudicated item \"q-0099\" is not a reviewed item of round 2's queue "
            + dir.resolve("r2") + "; the gold and the queue its raters file names must be the same round's");
  }

  @Test
  void should_refuse_rounds_imported_with_different_consensus_naming_each() throws IOException {
    List<Queue.Item> union = new ArrayList<>();
    StringBuilder unionAnswers = new StringBuilder();
    Path a1 = round(1, union, unionAnswers);
    Path a2 = round(2, union, unionAnswers);
    Path g1 = a1.resolveSibling("gold.jsonl");
    QueueImport.run(new QueueImport.Request(List.of(a1), a1.getParent(), g1, ConsensusMethod.MAJORITY, null, 0.95));
    Path g2 = importRound(a2);
    assertThatThrownBy(() -> RoundGold.merge(List.of(g1, g2), List.of(), dir.resolve("merged.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessage(g2 + ": the rounds were imported with different consensus (round 1 majority, round 2"
            + " error-model); error-model gold is merged by one model over every round's answers, so import every"
            + " round with --consensus error-model, or none");
    // the reverse: round 1 error-model, round 2 majority
    importRound(a1);
    QueueImport.run(new QueueImport.Request(List.of(a2), a2.getParent(), g2, ConsensusMethod.MAJORITY, null, 0.95));
    assertThatThrownBy(() -> RoundGold.merge(List.of(g1, g2), List.of(), dir.resolve("merged.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(g2 + ": the rounds were imported with different consensus (round 1 error-model,"
            + " round 2 majority)");
    assertThat(dir.resolve("merged.jsonl")).doesNotExist();
  }
}
