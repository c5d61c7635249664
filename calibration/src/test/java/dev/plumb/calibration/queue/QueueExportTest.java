package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueExportTest {
  @TempDir Path dir;

  /** 12 sampled units: u1..u4 LLM-positive for one of two policies, the rest negative for both. */
  private QueueExport.Request request(GoldDesign design, List<String> raters, long seed) throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t")
          .append(i).append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":0.1}}\n");
      boolean a = i <= 2;
      boolean b = i == 3 || i == 4;
      l.append(label(i, "a@1", a)).append(label(i, "b@2", b));
    }
    Path sample = dir.resolve("sample.jsonl");
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(sample, s);
    Files.writeString(labels, l);
    return new QueueExport.Request(sample, labels, design, raters, null, false, seed, dir.resolve("q"), "test",
        key -> Optional.empty());
  }

  private static String label(int unit, String policy, boolean positive) {
    return "{\"unit\":\"u" + unit + "\",\"policy\":\"" + policy + "\",\"decision\":\""
        + (positive ? "violating" : "safe") + "\",\"positive\":" + positive + ",\"status\":\"ok\"}\n";
  }

  private static GoldDesign stratified(int positives, int negatives, int overlap) {
    return new GoldDesign("stratified", GoldDesign.ANY_POSITIVE,
        Map.of(GoldDesign.POSITIVE, positives, GoldDesign.NEGATIVE, negatives), overlap, 0, 0.8,
        java.util.OptionalLong.empty());
  }

  /**
   * Over 1 000 seeds, each unit's inclusion frequency matches its recorded π2 = n_g/N_g (2 of the 4
   * positives: 0.5; 3 of the 8 negatives: 0.375) within 4 binomial standard errors, and pairs
   * within a stratum match the SRS joint probability n(n−1)/(N(N−1)): the draw is a simple random
   * sample within each stratum, which is what the two-phase estimators assume.
   */
  @Test
  void should_include_each_unit_with_its_recorded_probability_over_seeds() throws IOException {
    int runs = 1000;
    Map<String, Integer> hits = new HashMap<>();
    Map<String, Double> recorded = new HashMap<>();
    int pairPositive = 0;
    int pairNegative = 0;
    QueueExport.Request base = request(stratified(2, 3, 1), List.of(), 0);
    for (int seed = 0; seed < runs; seed++) {
      QueueExport.Request r = new QueueExport.Request(base.sample(), base.labels(), base.design(), List.of(), null,
          false, seed, base.out(), "test", base.policies());
      Queue q = QueueExport.draw(r).queue();
      Set<String> in = new HashSet<>();
      int pos = 0;
      for (Queue.Item item : q.items()) {
        in.add(item.unit());
        hits.merge(item.unit(), 1, Integer::sum);
        recorded.put(item.unit(), item.pi());
        pos += item.stratum().equals(GoldDesign.POSITIVE) ? 1 : 0;
      }
      assertThat(pos).isEqualTo(2);
      assertThat(q.items()).hasSize(5);
      pairPositive += in.contains("u1") && in.contains("u3") ? 1 : 0;
      pairNegative += in.contains("u5") && in.contains("u12") ? 1 : 0;
    }
    for (int i = 1; i <= 12; i++) {
      String u = "u" + i;
      double pi = i <= 4 ? 0.5 : 0.375;
      assertThat(recorded.get(u)).isEqualTo(pi);
      double se = Math.sqrt(pi * (1 - pi) / runs);
      assertThat(hits.get(u) / (double) runs).as(u).isCloseTo(pi, org.assertj.core.data.Offset.offset(4 * se));
    }
    double jointPositive = 2.0 * 1 / (4 * 3);
    double jointNegative = 3.0 * 2 / (8 * 7);
    assertThat(pairPositive / (double) runs).isCloseTo(jointPositive,
        org.assertj.core.data.Offset.offset(4 * Math.sqrt(jointPositive * (1 - jointPositive) / runs)));
    assertThat(pairNegative / (double) runs).isCloseTo(jointNegative,
        org.assertj.core.data.Offset.offset(4 * Math.sqrt(jointNegative * (1 - jointNegative) / runs)));
  }

  @Test
  void should_give_every_item_distinct_raters_with_loads_within_one() throws IOException {
    List<String> raters = List.of("r1", "r2", "r3", "r4", "r5");
    Queue q = QueueExport.run(request(stratified(4, 7, 3), raters, 9)).queue();
    Map<String, Integer> load = new HashMap<>();
    for (Queue.Item item : q.items()) {
      assertThat(new HashSet<>(item.raters())).hasSize(3);
      item.raters().forEach(r -> load.merge(r, 1, Integer::sum));
    }
    assertThat(load.keySet()).containsExactlyInAnyOrderElementsOf(raters);
    int max = load.values().stream().max(Integer::compare).orElseThrow();
    int min = load.values().stream().min(Integer::compare).orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
    // Same seed, same queue, byte for byte.
    String first = Files.readString(dir.resolve("q/queue.json"));
    String csv = Files.readString(dir.resolve("q/queue.csv"));
    QueueExport.run(request(stratified(4, 7, 3), raters, 9));
    assertThat(Files.readString(dir.resolve("q/queue.json"))).isEqualTo(first);
    assertThat(Files.readString(dir.resolve("q/queue.csv"))).isEqualTo(csv);
  }

  @Test
  void should_review_everything_in_a_stratum_smaller_than_its_n_with_pi_one() throws IOException {
    Queue q = QueueExport.run(request(stratified(10, 2, 1), List.of(), 3)).queue();
    assertThat(q.strata()).containsExactly(new Queue.Stratum(GoldDesign.POSITIVE, 4, 4, 1.0),
        new Queue.Stratum(GoldDesign.NEGATIVE, 8, 2, 0.25));
  }

  /**
   * The weighted sample of the weight-class tests: u1..u4 LLM-positive with weight m = 1, u5..u12
   * negative with m = 1, 1, 1, 1, 2, 3, 8, 20; every unit has π1 = 0.5, so the contribution weights
   * m/π1 of the negatives are 2, 2, 2, 2, 4, 6, 16, 40 (total 74).
   */
  private QueueExport.Request weighted(GoldDesign design, long seed) throws IOException {
    QueueExport.Request base = request(design, List.of(), seed);
    int[] m = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 8, 20};
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"weight\":").append(m[i - 1])
          .append(",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t").append(i)
          .append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":0.5}}\n");
    }
    Files.writeString(base.sample(), s);
    Files.writeString(dir.resolve("sample.json"), "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"poisson\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":24,\"n\":12}]}");
    return base;
  }

  private static GoldDesign classes(int positives, int negatives, int k) {
    return new GoldDesign("stratified", GoldDesign.ANY_POSITIVE,
        Map.of(GoldDesign.POSITIVE, positives, GoldDesign.NEGATIVE, negatives), k, 1, 0, 0.8,
        java.util.OptionalLong.empty());
  }

  /**
   * Negatives, K = 3, n = 6. Cumulative-midpoint weights 1, 3, 5, 7, 10, 15, 26, 54 of 74 put u5..u10
   * in class 1 (W = 18), u11 (16) in class 2 and u12 (40) in class 3. Each gets min(2, N_h) = 2, 1, 1
   * first; the remaining 2 go ∝ √(N_h W_h) = 10.4, 4, 6.3, which fills classes 2 and 3 (share ≥ 1),
   * so class 1 gets 4 of its 6: π2 = 2/3, 1, 1. The positives' budget of 2 allows one class only.
   */
  @Test
  void should_review_the_heaviest_units_with_certainty_in_weight_classes() throws IOException {
    Queue q = QueueExport.draw(weighted(classes(2, 6, 3), 1)).queue();
    assertThat(q.strata()).containsExactly(
        new Queue.Stratum("llm_positive/w1", 4, 2, 0.5),
        new Queue.Stratum("llm_negative/w1", 6, 4, 4 / 6.0),
        new Queue.Stratum("llm_negative/w2", 1, 1, 1.0),
        new Queue.Stratum("llm_negative/w3", 1, 1, 1.0));
    assertThat(q.design().get("weight_classes").asInt()).isEqualTo(3);
  }

  /**
   * Over 1 000 seeds, with weight classes: each unit's inclusion frequency matches its recorded π2
   * (4 binomial SEs), the two certainty units are always in, and a pair within the light class
   * matches SRS's n(n−1)/(N(N−1)) = 4·3/(6·5): each class is a simple random sample.
   */
  @Test
  void should_include_each_unit_with_its_recorded_probability_with_weight_classes() throws IOException {
    int runs = 1000;
    Map<String, Integer> hits = new HashMap<>();
    Map<String, Double> recorded = new HashMap<>();
    int pair = 0;
    QueueExport.Request base = weighted(classes(2, 6, 3), 0);
    for (int seed = 0; seed < runs; seed++) {
      QueueExport.Request r = new QueueExport.Request(base.sample(), base.labels(), base.design(), List.of(), null,
          false, seed, base.out(), "test", base.policies());
      Queue q = QueueExport.draw(r).queue();
      assertThat(q.items()).hasSize(8);
      Set<String> in = new HashSet<>();
      for (Queue.Item item : q.items()) {
        in.add(item.unit());
        hits.merge(item.unit(), 1, Integer::sum);
        recorded.put(item.unit(), item.pi());
      }
      pair += in.contains("u5") && in.contains("u10") ? 1 : 0;
    }
    for (int i = 1; i <= 12; i++) {
      String u = "u" + i;
      double pi = i <= 4 ? 0.5 : i <= 10 ? 4 / 6.0 : 1.0;
      assertThat(recorded.get(u)).as(u).isEqualTo(pi);
      double se = Math.sqrt(pi * (1 - pi) / runs);
      assertThat(hits.get(u) / (double) runs).as(u).isCloseTo(pi, org.assertj.core.data.Offset.offset(4 * se + 1e-12));
    }
    double joint = 4.0 * 3 / (6 * 5);
    assertThat(pair / (double) runs).isCloseTo(joint,
        org.assertj.core.data.Offset.offset(4 * Math.sqrt(joint * (1 - joint) / runs)));
  }

  @Test
  void should_say_that_weight_classes_need_the_sample_manifest() throws IOException {
    QueueExport.Request r = request(classes(2, 6, 3), List.of(), 1);
    assertThatThrownBy(() -> QueueExport.draw(r)).isInstanceOf(dev.plumb.core.InputException.class)
        .hasMessage("weight_classes: needs the sample manifest " + dir.resolve("sample.json")
            + " (written beside the sample by plumb sample) for the phase-1 design weights");
  }

  /**
   * classes_by: weight_and_score on the weighted sample, scores a = 0.5 for u10 and 0.001 elsewhere
   * (b = 0.001): tilted weights m·d1·max(0.1, √(s(1−s))) of the negatives are 0.2 (u5..u8), 0.4 (u9),
   * 3.0 (u10: 6 × 0.5), 1.6 (u11: 16 × 0.1), 4.0 (u12); total 9.8. Cumulative midpoints 0.1, 0.3, 0.5,
   * 0.7, 1.0, 1.8 (u11), 4.1 (u10), 7.6 (u12) → classes {u5..u9, u11}, {u10}, {u12}; 2, 1, 1 first and
   * the other 2 to class 1 (the singletons are full): π2 = 4/6, 1, 1. By weight alone u11 was the
   * certain one; with the score, u10 — the unit the score says is uncertain — is.
   */
  @Test
  void should_tilt_weight_classes_towards_units_whose_score_is_uncertain() throws IOException {
    GoldDesign d = new GoldDesign("stratified", GoldDesign.ANY_POSITIVE,
        Map.of(GoldDesign.POSITIVE, 2, GoldDesign.NEGATIVE, 6), 3, GoldDesign.BY_WEIGHT_AND_SCORE, 1, 0, 0.8,
        java.util.OptionalLong.empty());
    QueueExport.Request base = weighted(d, 0);
    List<String> lines = Files.readAllLines(base.sample());
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      String line = lines.get(i - 1);
      s.append(line, 0, line.length() - 1).append(",\"scores\":{\"a\":").append(i == 10 ? 0.5 : 0.001)
          .append(",\"b\":0.001}}\n");
    }
    Files.writeString(base.sample(), s);
    for (int seed = 0; seed < 50; seed++) {
      QueueExport.Request r = new QueueExport.Request(base.sample(), base.labels(), d, List.of(), null,
          false, seed, base.out(), "test", base.policies());
      Queue q = QueueExport.draw(r).queue();
      assertThat(q.strata()).containsExactly(
          new Queue.Stratum("llm_positive/w1", 4, 2, 0.5),
          new Queue.Stratum("llm_negative/w1", 6, 4, 4 / 6.0),
          new Queue.Stratum("llm_negative/w2", 1, 1, 1.0),
          new Queue.Stratum("llm_negative/w3", 1, 1, 1.0));
      assertThat(q.items()).anySatisfy(item -> assertThat(item.unit()).isEqualTo("u10"));
      assertThat(q.items().stream().filter(item -> item.unit().equals("u11")).map(Queue.Item::pi))
          .allMatch(pi -> pi == 4 / 6.0);
      assertThat(q.design().get("classes_by").asText()).isEqualTo("weight_and_score");
    }

    // a unit without the score the tilt needs is one located line
    Files.writeString(base.sample(), String.join("\n", lines) + "\n");
    assertThatThrownBy(() -> QueueExport.draw(base)).isInstanceOf(dev.plumb.core.InputException.class)
        .hasMessage(base.sample() + ":1: scores.a: missing; classes_by: weight_and_score needs every sampled"
            + " unit's risk score (plumb score)");
  }
}
