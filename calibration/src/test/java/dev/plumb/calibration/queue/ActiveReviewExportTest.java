package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: active} in {@code plumb queue export}: the confidence-driven Poisson draw. */
class ActiveReviewExportTest {
  @TempDir Path dir;

  /**
   * 12 units with π1 = 0.5 and exposure 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 8, 20 (weights w = 2m); one
   * policy; the LLM calls u1..u3 positive with confidence 0.9 and the rest negative with confidence
   * 0.99, except u6 (0.6) and u12 (0.7); u9 has a risk score 0.5, which takes precedence.
   */
  private QueueExport.Request request(GoldDesign design, long seed) throws IOException {
    int[] m = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 8, 20};
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"weight\":").append(m[i - 1])
          .append(",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t").append(i)
          .append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":0.5}")
          .append(i == 9 ? ",\"scores\":{\"a\":0.5}" : "").append("}\n");
      boolean positive = i <= 3;
      double confidence = positive ? 0.9 : i == 6 ? 0.6 : i == 12 ? 0.7 : 0.99;
      l.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"a@1\",\"decision\":\"")
          .append(positive ? "violating" : "safe").append("\",\"positive\":").append(positive)
          .append(",\"confidence\":").append(confidence).append(",\"status\":\"ok\"}\n");
    }
    Path sample = dir.resolve("sample.jsonl");
    Files.writeString(sample, s);
    Files.writeString(dir.resolve("sample.json"), "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"poisson\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":24,\"n\":12}]}");
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(labels, l);
    return new QueueExport.Request(sample, labels, design, List.of(), null, false, seed, dir.resolve("q"), "test",
        key -> Optional.empty());
  }

  private static GoldDesign active(int n, double floor) {
    return new GoldDesign(GoldDesign.ACTIVE, null, Map.of(GoldDesign.ACTIVE, n), 1, GoldDesign.BY_WEIGHT, 1, 0, 0.8,
        OptionalLong.empty(), floor);
  }

  /**
   * Sizes w·√(q(1−q)): u1..u3 2·0.3 = 0.6; u4, u5, u7, u8 2·√0.0099 ≈ 0.199; u6 2·√0.24 ≈ 0.980;
   * u9 4·0.5 = 2 (its score); u10 6·0.0995, u11 16·0.0995; u12 40·√0.21 ≈ 18.3. With n = 5 and
   * floor 0.1, π2 = min(1, max(0.1, c·size)) sums to 5 (checked against {@link ActiveInclusion});
   * over 2 000 seeds each unit's inclusion frequency is its recorded π2 within 4 binomial SEs, and a
   * pair is drawn together with probability π2_k π2_l: independent, as Poisson sampling is.
   */
  @Test
  void should_draw_each_unit_independently_with_its_recorded_probability() throws IOException {
    int runs = 2000;
    QueueExport.Request base = request(active(5, 0.1), 0);
    Map<String, Integer> hits = new HashMap<>();
    Map<String, Double> recorded = new HashMap<>();
    int pair = 0;
    double items = 0;
    for (int seed = 0; seed < runs; seed++) {
      QueueExport.Request r = new QueueExport.Request(base.sample(), base.labels(), base.design(), List.of(), null,
          false, seed, base.out(), "test", base.policies());
      Queue q = QueueExport.draw(r).queue();
      Set<String> in = new HashSet<>();
      for (Queue.Item item : q.items()) {
        assertThat(item.stratum()).isEqualTo(GoldDesign.ACTIVE);
        in.add(item.unit());
        hits.merge(item.unit(), 1, Integer::sum);
        recorded.put(item.unit(), item.pi());
      }
      items += q.items().size();
      pair += in.contains("u6") && in.contains("u9") ? 1 : 0;
    }
    double[] expected = ActiveInclusion.of(new double[] {0.6, 0.6, 0.6, 2 * Math.sqrt(0.0099), 2 * Math.sqrt(0.0099),
        2 * Math.sqrt(0.24), 2 * Math.sqrt(0.0099), 2 * Math.sqrt(0.0099), 2, 6 * Math.sqrt(0.0099),
        16 * Math.sqrt(0.0099), 40 * Math.sqrt(0.21)}, 5, 0.1);
    assertThat(recorded.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(5, within(1e-9));
    for (int i = 1; i <= 12; i++) {
      String u = "u" + i;
      double pi = expected[i - 1];
      assertThat(recorded.get(u)).as(u).isCloseTo(pi, within(1e-9));
      assertThat(pi).isGreaterThanOrEqualTo(0.1);
      double se = Math.sqrt(pi * (1 - pi) / runs);
      assertThat(hits.get(u) / (double) runs).as(u).isCloseTo(pi, within(4 * se + 1e-12));
    }
    assertThat(recorded.get("u12")).isEqualTo(1.0);
    assertThat(items / runs).isCloseTo(5, within(0.1));
    double joint = expected[5] * expected[8];
    assertThat(pair / (double) runs).isCloseTo(joint, within(4 * Math.sqrt(joint * (1 - joint) / runs)));
  }

  @Test
  void should_say_what_budget_the_floor_needs() throws IOException {
    QueueExport.Request r = request(active(2, 0.25), 1);
    assertThatThrownBy(() -> QueueExport.draw(r)).isInstanceOf(InputException.class)
        .hasMessage("n: 2 is below floor × sampled units = 0.25 × 12; the smallest workable budget is 3 (or lower floor)");
  }

  @Test
  void should_read_an_active_design_and_refuse_its_misplaced_options() throws IOException {
    Path ok = dir.resolve("review.yaml");
    Files.writeString(ok, "type: active\nn: 300\nfloor: 0.02\n");
    GoldDesign d = GoldDesign.read(ok);
    assertThat(d.type()).isEqualTo("active");
    assertThat(d.n()).containsExactly(Map.entry("active", 300));
    assertThat(d.floor()).isEqualTo(0.02);
    assertThat(d.toJson().toString()).contains("\"type\":\"active\"", "\"n\":300", "\"floor\":0.02");
    Files.writeString(ok, "type: stratified\nn: {llm_positive: 1, llm_negative: 1}\nfloor: 0.02\n");
    assertThatThrownBy(() -> GoldDesign.read(ok)).isInstanceOf(InputException.class)
        .hasMessage(ok + ":3:8: floor: only an active review design has a floor on inclusion probabilities");
    Files.writeString(ok, "type: active\nn: 30\nweight_classes: 3\n");
    assertThatThrownBy(() -> GoldDesign.read(ok)).isInstanceOf(InputException.class)
        .hasMessage(ok + ":3:17: weight_classes: an active review design has no strata to split; its inclusion"
            + " probabilities already follow the weights");
    Files.writeString(ok, "type: active\nn: 30\nfloor: 0\n");
    assertThatThrownBy(() -> GoldDesign.read(ok)).isInstanceOf(InputException.class)
        .hasMessage(ok + ":3:8: floor: must be above 0: every unit needs a chance to be reviewed");
  }
}
