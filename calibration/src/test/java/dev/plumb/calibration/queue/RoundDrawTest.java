package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.calibration.files.GoldFile;
import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code queue export --round K} ({@link RoundDraw}) and {@code queue merge-rounds} ({@link RoundGold}). */
class RoundDrawTest {
  @TempDir Path dir;

  /** 40 units: u1..u10 LLM-positive, u11..u40 negative; review 8 + 12 in 4 rounds. */
  private QueueExport.Request request(int round, List<Path> reviewed) throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t")
          .append(i).append("\"}]}\n");
      boolean positive = i <= 10;
      l.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"a@1\",\"decision\":\"")
          .append(positive ? "violating" : "safe").append("\",\"positive\":").append(positive)
          .append(",\"status\":\"ok\"}\n");
    }
    Path sample = dir.resolve("sample.jsonl");
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(sample, s);
    Files.writeString(labels, l);
    GoldDesign d = new GoldDesign("stratified", GoldDesign.ANY_POSITIVE,
        Map.of(GoldDesign.POSITIVE, 8, GoldDesign.NEGATIVE, 12), 1, GoldDesign.BY_WEIGHT, 1, 0, 0.8,
        OptionalLong.empty(), ReviewAllocation.FIXED, new GoldDesign.Rounds(4, 0.3), Double.NaN);
    return new QueueExport.Request(sample, labels, d, List.of(), null, false, 5, dir.resolve("q" + round), "test",
        k -> Optional.empty(), null, null, round, reviewed);
  }

  /** Gold for a round's items, every unit clean except u1; π2 as import writes it (the stratum's). */
  private Path gold(Queue q, int round) throws IOException {
    StringBuilder g = new StringBuilder();
    for (Queue.Item item : q.items()) {
      boolean positive = item.unit().equals("u1");
      g.append("{\"unit\":\"").append(item.unit()).append("\",\"policy\":\"a@1\",\"decision\":\"")
          .append(positive ? "violating" : "safe").append("\",\"positive\":").append(positive)
          .append(",\"phase2\":{\"stratum\":\"").append(item.stratum()).append("\",\"pi\":").append(item.pi())
          .append("}}\n");
    }
    Path p = dir.resolve("gold" + round + ".jsonl");
    Files.writeString(p, g);
    return p;
  }

  /**
   * Rounds 1–4 take 2+3, 4+6, 6+9, 8+12 cumulative units (⌈n·k/4⌉, at least 2): each round only new
   * units, together exactly the one-go draw with the same seed, π2 the cumulative n/N; the merged gold
   * of rounds 1–2 carries round 2's π2.
   */
  @Test
  void rounds_add_new_units_until_the_whole_review_and_never_draw_one_twice() throws IOException {
    Set<String> all = new HashSet<>();
    List<Path> golds = new ArrayList<>();
    int[][] cumulative = {{2, 3}, {4, 6}, {6, 9}, {8, 12}};
    for (int k = 1; k <= 4; k++) {
      QueueExport.Drawn d = QueueExport.draw(request(k, golds));
      Queue q = d.queue();
      for (Queue.Item item : q.items()) {
        assertThat(all.add(item.unit())).as("round %d drew %s again", k, item.unit()).isTrue();
      }
      Map<String, Double> pi = new HashMap<>();
      q.strata().forEach(st -> pi.put(st.id(), st.pi()));
      assertThat(pi).containsEntry(GoldDesign.POSITIVE, cumulative[k - 1][0] / 10.0)
          .containsEntry(GoldDesign.NEGATIVE, cumulative[k - 1][1] / 30.0);
      assertThat(d.round().path("next_round_units").asInt()).isEqualTo(k < 4 ? 5 : 0);
      golds.add(gold(q, k));
    }
    QueueExport.Request once = request(0, List.of());
    GoldDesign oneGo = new GoldDesign("stratified", GoldDesign.ANY_POSITIVE, once.design().n(), 1, 0, 0.8,
        OptionalLong.empty());
    Set<String> whole = new HashSet<>();
    QueueExport.draw(new QueueExport.Request(once.sample(), once.labels(), oneGo, List.of(), null, false, 5,
        dir.resolve("one"), "test", k -> Optional.empty())).queue().items().forEach(i -> whole.add(i.unit()));
    assertThat(all).isEqualTo(whole);

    Path merged = dir.resolve("merged.jsonl");
    RoundGold.Result r = RoundGold.merge(golds.subList(0, 2), List.of(), merged);
    assertThat(r.records()).isEqualTo(10);
    List<GoldFile.Gold> records = new ArrayList<>();
    GoldFile.forEach(merged, records::add);
    for (GoldFile.Gold g : records) {
      assertThat(g.pi()).isEqualTo(g.stratum().equals(GoldDesign.POSITIVE) ? 0.4 : 0.2);
    }
    // each record says its round: round 1's 5 records first, then round 2's 5
    List<Integer> rounds = new ArrayList<>();
    for (String line : Files.readAllLines(merged)) {
      rounds.add(dev.plumb.core.Json.mapper().readTree(line).path("round").asInt());
    }
    assertThat(rounds).containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2);
  }

  @Test
  void a_round_needs_the_gold_before_it_and_refuses_a_unit_it_did_not_draw() throws IOException {
    assertThatThrownBy(() -> QueueExport.draw(request(2, List.of()))).isInstanceOf(InputException.class)
        .hasMessage("--reviewed: round 2 needs the gold of the rounds before it (what was reviewed), to draw the next"
            + " units without drawing a reviewed one again");
    assertThatThrownBy(() -> QueueExport.draw(request(5, List.of()))).isInstanceOf(InputException.class)
        .hasMessage("--round: 5 is not a round of the design's 4");
    Path bad = dir.resolve("bad.jsonl");
    Queue q1 = QueueExport.draw(request(1, List.of())).queue();
    Set<String> first = new HashSet<>();
    q1.items().forEach(i -> first.add(i.unit()));
    String other = java.util.stream.IntStream.rangeClosed(11, 40).mapToObj(i -> "u" + i)
        .filter(u -> !first.contains(u)).findFirst().orElseThrow();
    Files.writeString(bad, "{\"unit\":\"" + other + "\",\"policy\":\"a@1\",\"decision\":\"safe\",\"positive\":false,"
        + "\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.1}}\n");
    assertThatThrownBy(() -> QueueExport.draw(request(2, List.of(bad)))).isInstanceOf(InputException.class)
        .hasMessage(bad + ":1: unit: unit \"" + other + "\" was reviewed but is not among the units rounds 1-1 of this"
            + " design drew (stratum llm_negative); every round needs the same sample, labels, review design and seed");
  }
}
