package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb sample} in-process on small frames written here: every design type, the contents of
 * sample.jsonl and sample.json (inclusion probabilities recomputed by hand), determinism, and every
 * bad-input path (one located line, exit code 2, nothing written).
 *
 * <p>The random numbers are the documented ones ({@link UnitRandom}: u = uniform(seed, id), checked
 * against the xxHash64 reference in UnitRandomTest), so which units a design selects is recomputed
 * here from the ids alone.
 */
class SampleCommandTest {
  @TempDir Path dir;

  /**
   * 22 units in three surfaces: a = 10 units of weight 3 and self_harm score 0.1; b = 8 units of
   * weight 2 and score 0.5; c = 4 units of weight 2 and score 0. N = 22, total weight 54.
   */
  private List<String> strataLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 22; i++) {
      String surface = i <= 10 ? "a" : i <= 18 ? "b" : "c";
      int weight = i <= 10 ? 3 : 2;
      String score = i <= 10 ? "0.1" : i <= 18 ? "0.5" : "0";
      lines.add(String.format(Locale.ROOT,
          "{\"id\":\"u%02d\",\"weight\":%d,\"attributes\":{\"surface\":\"%s\"},\"scores\":{\"self_harm\":%s},"
              + "\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"query %d\"}]}",
          i, weight, surface, score, i));
    }
    return lines;
  }

  /** Five units p1..p5 of weights 1, 2, 3, 4, 10 (total 20). */
  private static List<String> tinyLines() {
    int[] w = {1, 2, 3, 4, 10};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      lines.add("{\"id\":\"p" + (i + 1) + "\",\"weight\":" + w[i] + "}");
    }
    return lines;
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private Path design(String name, String yaml) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  private Cli sample(Path frame, Path design, Path out, long seed) {
    return Cli.run("sample", "--frame", frame.toString(), "--design", design.toString(), "--out", out.toString(),
        "--seed", Long.toString(seed));
  }

  /** The sample file's lines as JSON, in file order. */
  private static List<JsonNode> units(Path out) throws IOException {
    List<JsonNode> out2 = new ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      out2.add(Json.mapper().readTree(l));
    }
    return out2;
  }

  private static JsonNode manifest(Path out) throws IOException {
    return Json.mapper().readTree(out.resolveSibling(out.getFileName().toString().replace(".jsonl", ".json")).toFile());
  }

  private static List<String> ids(List<JsonNode> units) {
    return units.stream().map(u -> u.get("id").asText()).toList();
  }

  /** The ids of the k units with the smallest u among {@code ids}, sorted by id. */
  private static List<String> bottom(long seed, List<String> ids, int k) {
    return ids.stream().sorted(Comparator.comparingDouble(id -> UnitRandom.uniform(seed, id))).limit(k).sorted().toList();
  }

  private List<String> idsOf(List<String> lines, String surface) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (l.contains("\"surface\":\"" + surface + "\"")) {
        out.add(l.substring(7, 10));
      }
    }
    return out;
  }

  @Test
  void srs_keeps_the_n_units_with_the_smallest_u_each_with_pi_n_over_N_and_its_frame_text() throws IOException {
    List<String> lines = strataLines();
    Path frame = write("units.jsonl", lines);
    Path design = design("srs.yaml", "type: srs\nn: 5\n");
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design, out, 7);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    List<String> all = lines.stream().map(l -> l.substring(7, 10)).toList();
    List<JsonNode> units = units(out);
    assertThat(ids(units)).containsExactlyElementsOf(bottom(7, all, 5));
    List<String> text = Files.readAllLines(out);
    for (int i = 0; i < units.size(); i++) {
      JsonNode u = units.get(i);
      assertThat(u.get("design").toString()).isEqualTo("{\"stratum\":\"all\",\"pi\":" + (5.0 / 22) + "}");
      // the unit exactly as in the frame, then its design record
      String original = lines.get(Integer.parseInt(u.get("id").asText().substring(1)) - 1);
      assertThat(text.get(i)).isEqualTo(original.substring(0, original.length() - 1) + ",\"design\":"
          + u.get("design") + "}");
    }
    JsonNode m = manifest(out);
    assertThat(m.get("format").asText()).isEqualTo("plumb.sample/1");
    assertThat(m.get("design").toString()).isEqualTo("{\"type\":\"srs\",\"n\":5}");
    assertThat(m.get("seed").asLong()).isEqualTo(7);
    assertThat(m.get("frame").get("path").asText()).isEqualTo(frame.toString());
    assertThat(m.get("frame").get("sha256").asText()).isEqualTo(Hashing.sha256(frame));
    assertThat(m.get("frame").get("units").asLong()).isEqualTo(22);
    assertThat(m.get("frame").get("weight").asLong()).isEqualTo(54);
    assertThat(m.get("strata").toString())
        .isEqualTo("[{\"id\":\"all\",\"units\":22,\"weight\":54,\"n\":5,\"pi\":" + (5.0 / 22) + "}]");
    assertThat(m.get("n").asInt()).isEqualTo(5);
    assertThat(m.get("draws").asInt()).isEqualTo(5);
    assertThat(m.has("tau")).isFalse();
    assertThat(m.get("certainty").asInt()).isZero();
    assertThat(m.get("order").asText()).isEqualTo("id");
    assertThat(m.get("created_by").asText()).startsWith("plumb ");

    assertThat(r.out().replace(dir.toString(), "DIR")).isEqualTo("""
        srs sample of 5 units from DIR/units.jsonl (22 units, weight 54), seed 7
        frame %s
        stratum        units         weight        n           pi
        all               22             54        5       0.2273
        wrote DIR/sample.jsonl and DIR/sample.json
        """.formatted(Hashing.sha256(frame)));
  }

  /**
   * Proportional to exposure, M = 30, 16, 8 (total 54), n = 10, at least 2 per stratum: λ·M gives
   * c 1.48 < 2, so c = 2 and a, b share 8 in 30:16 → 5.217, 2.783 → floors 5 + 2 + 2 = 9, the
   * largest remainder (b, .783) gets the last unit: a 5, b 3, c 2; π = 5/10, 3/8, 2/4.
   */
  @Test
  void stratified_proportional_allocation_and_pi_per_stratum_as_computed_by_hand() throws IOException {
    List<String> lines = strataLines();
    Path frame = write("units.jsonl", lines);
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("d.yaml", "type: stratified\nn: 10\nby: surface\n"), out, 11);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertStrata(out, 11, lines, Map.of("a", 5, "b", 3, "c", 2));
    JsonNode m = manifest(out);
    assertThat(m.get("design").toString()).isEqualTo("{\"type\":\"stratified\",\"n\":10,\"by\":[\"surface\"],"
        + "\"allocation\":\"proportional\",\"basis\":\"weight\",\"min_per_stratum\":2}");
    assertThat(m.get("strata").toString()).isEqualTo("["
        + "{\"id\":\"a\",\"units\":10,\"weight\":30,\"n\":5,\"pi\":0.5,\"attributes\":{\"surface\":\"a\"}},"
        + "{\"id\":\"b\",\"units\":8,\"weight\":16,\"n\":3,\"pi\":0.375,\"attributes\":{\"surface\":\"b\"}},"
        + "{\"id\":\"c\",\"units\":4,\"weight\":8,\"n\":2,\"pi\":0.5,\"attributes\":{\"surface\":\"c\"}}]");
    assertThat(r.out().replace(dir.toString(), "DIR")).isEqualTo("""
        stratified sample of 10 units from DIR/units.jsonl (22 units, weight 54), seed 11
        frame %s
        stratum        units         weight        n           pi
        a                 10             30        5          0.5
        b                  8             16        3        0.375
        c                  4              8        2          0.5
        wrote DIR/sample.jsonl and DIR/sample.json
        """.formatted(Hashing.sha256(frame)));
  }

  /**
   * Neyman: a_h = M_h · mean sqrt(s(1-s)) = 30·0.3 = 9, 16·0.5 = 8, 8·0 = 0 → c gets its minimum 2,
   * a and b share 8 in 9:8 → 4.235, 3.765 → 4 + 3 + 2 = 9, the last unit to b: a 4, b 4, c 2.
   * With basis: units and min_per_stratum 1 (a_h = N_h·S_h = 3, 4, 0): a, b share 9 in 3:4 → 3.857,
   * 5.143 → 3 + 5 + 1 = 9, the last to a: a 4, b 5, c 1.
   */
  @Test
  void stratified_neyman_allocation_uses_the_scores_implied_standard_deviation() throws IOException {
    List<String> lines = strataLines();
    Path frame = write("units.jsonl", lines);
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("d.yaml", "type: stratified\nn: 10\nby: surface\npolicy: self_harm\nallocation: neyman\n"),
        out, 11);
    assertThat(r.err()).isEmpty();
    assertStrata(out, 11, lines, Map.of("a", 4, "b", 4, "c", 2));
    JsonNode strata = manifest(out).get("strata");
    assertThat(strata.get(0).get("score_sd").asDouble()).isCloseTo(0.3, within(1e-15));
    assertThat(strata.get(1).get("score_sd").asDouble()).isEqualTo(0.5);
    assertThat(strata.get(2).get("score_sd").asDouble()).isEqualTo(0.0);

    Cli units = sample(frame, design("u.yaml", "type: stratified\nn: 10\nby: surface\npolicy: self_harm\n"
        + "allocation: neyman\nbasis: units\nmin_per_stratum: 1\n"), out, 11);
    assertThat(units.err()).isEmpty();
    assertStrata(out, 11, lines, Map.of("a", 4, "b", 5, "c", 1));
  }

  @Test
  void stratified_fixed_sizes_and_score_bins_record_their_bins() throws IOException {
    List<String> lines = strataLines();
    Path frame = write("units.jsonl", lines);
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("d.yaml", "type: stratified\nallocation: fixed\nby: surface\n"
        + "sizes: {a: 1, b: 2, c: 3}\n"), out, 5);
    assertThat(r.err()).isEmpty();
    assertStrata(out, 5, lines, Map.of("a", 1, "b", 2, "c", 3));
    assertThat(manifest(out).get("design").get("n").asInt()).isEqualTo(6);

    // bins [0, 0.3, 1] on self_harm within surfaces: a and c are "low", b is "high"
    Cli bins = sample(frame, design("b.yaml", "type: stratified\nn: 6\npolicy: self_harm\nbins: [0, 0.3, 1]\n"
        + "labels: [low, high]\nallocation: fixed\nsizes: {low: 4, high: 2}\n"), out, 5);
    assertThat(bins.err()).isEmpty();
    JsonNode m = manifest(out);
    // low: 10 units of a (sqrt(0.1 * 0.9) = 0.3) and 4 of c (score 0): mean 3/14
    assertThat(m.get("strata").get(0).get("score_sd").asDouble()).isCloseTo(3.0 / 14, within(1e-15));
    ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("strata").get(0)).remove("score_sd");
    assertThat(m.get("strata").toString()).isEqualTo("["
        + "{\"id\":\"low\",\"units\":14,\"weight\":38,\"n\":4,\"pi\":" + (4.0 / 14)
        + ",\"bin\":{\"policy\":\"self_harm\",\"label\":\"low\",\"from\":0,\"to\":0.3,\"closed\":false}},"
        + "{\"id\":\"high\",\"units\":8,\"weight\":16,\"n\":2,\"pi\":0.25,\"score_sd\":0.5,"
        + "\"bin\":{\"policy\":\"self_harm\",\"label\":\"high\",\"from\":0.3,\"to\":1,\"closed\":true}}]");
    List<String> low = new ArrayList<>(idsOf(lines, "a"));
    low.addAll(idsOf(lines, "c"));
    List<String> expected = new ArrayList<>(bottom(5, low, 4));
    expected.addAll(bottom(5, idsOf(lines, "b"), 2));
    Collections.sort(expected);
    assertThat(ids(units(out))).containsExactlyElementsOf(expected);
  }

  /** Each stratum's sample is its bottom-n_h by u, every unit recording its stratum and π_h = n_h/N_h. */
  private void assertStrata(Path out, long seed, List<String> lines, Map<String, Integer> nh) throws IOException {
    Map<String, Integer> size = Map.of("a", 10, "b", 8, "c", 4);
    List<String> expected = new ArrayList<>();
    for (String h : List.of("a", "b", "c")) {
      expected.addAll(bottom(seed, idsOf(lines, h), nh.get(h)));
    }
    Collections.sort(expected);
    List<JsonNode> units = units(out);
    assertThat(ids(units)).containsExactlyElementsOf(expected);
    for (JsonNode u : units) {
      String h = u.get("attributes").get("surface").asText();
      assertThat(u.get("design").toString())
          .isEqualTo("{\"stratum\":\"" + h + "\",\"pi\":" + ((double) nh.get(h) / size.get(h)) + "}");
    }
  }

  /**
   * Poisson PPS by weight, sizes 1, 2, 3, 4, 10 (S = 20), n = 2: τ_0 = 20/2 = 10 and the largest size
   * 10 is not below it, so it is certain; τ_1 = (20 − 10)/1 = 10 > 4: τ = 10, π = .1, .2, .3, .4, 1
   * (Σ π = 2). Unit i is selected iff u_i < π_i.
   */
  @Test
  void poisson_pps_selects_u_below_pi_with_tau_solved_for_the_expected_size() throws IOException {
    Path frame = write("tiny.jsonl", tinyLines());
    Path out = dir.resolve("sample.jsonl");
    double[] pi = {0.1, 0.2, 0.3, 0.4, 1};
    for (long seed : new long[] {1, 2, 3, 4}) {
      Cli r = sample(frame, design("p.yaml", "type: poisson\nn: 2\n"), out, seed);
      assertThat(r.err()).isEmpty();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        if (UnitRandom.uniform(seed, "p" + (i + 1)) < pi[i]) {
          expected.add("p" + (i + 1));
        }
      }
      List<JsonNode> units = units(out);
      assertThat(ids(units)).as("seed " + seed).containsExactlyElementsOf(expected);
      for (JsonNode u : units) {
        int i = Integer.parseInt(u.get("id").asText().substring(1)) - 1;
        assertThat(u.get("design").get("pi").asDouble()).isCloseTo(pi[i], within(1e-15));
        assertThat(u.get("design").get("size").asDouble()).isEqualTo(u.get("weight").asDouble());
      }
      JsonNode m = manifest(out);
      assertThat(m.get("tau").asDouble()).isEqualTo(10.0);
      assertThat(m.get("expected_n").asInt()).isEqualTo(2);
      assertThat(m.get("n").asInt()).isEqualTo(expected.size());
      assertThat(m.get("certainty").asInt()).isEqualTo(1); // p5, pi = 1
      assertThat(m.get("size").toString()).isEqualTo("{\"measure\":\"weight\",\"total\":20}");
    }
  }

  /**
   * PPS with replacement: n = 6 draws, p_i = size_i / 20. The draws are summed per unit; which
   * units win is the race of PpswrSketchTest (its distribution is checked there against R).
   */
  @Test
  void ppswr_records_the_per_draw_probability_and_the_draws_of_each_unit() throws IOException {
    Path frame = write("tiny.jsonl", tinyLines());
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("w.yaml", "type: ppswr\nn: 6\n"), out, 3);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("ppswr sample of 6 draws (" + units(out).size() + " distinct units) from ");
    int draws = 0;
    for (JsonNode u : units(out)) {
      double w = u.get("weight").asDouble();
      JsonNode d = u.get("design");
      assertThat(d.get("stratum").asText()).isEqualTo("all");
      assertThat(d.get("p").asDouble()).isEqualTo(w / 20);
      assertThat(d.get("size").asDouble()).isEqualTo(w);
      assertThat(d.get("draws").asInt()).isPositive();
      draws += d.get("draws").asInt();
    }
    assertThat(draws).isEqualTo(6);
    JsonNode m = manifest(out);
    assertThat(m.get("draws").asInt()).isEqualTo(6);
    assertThat(m.get("n").asInt()).isEqualTo(units(out).size());
    assertThat(m.get("strata").get(0).get("draws").asInt()).isEqualTo(6);
    assertThat(m.has("tau")).isFalse();
  }

  /** With replacement, more draws than units is a valid design (units drawn several times), as plumb plan says. */
  @Test
  void ppswr_may_draw_more_often_than_the_frame_has_units() throws IOException {
    Path frame = write("tiny.jsonl", tinyLines());
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("w.yaml", "type: ppswr\nn: 12\n"), out, 3);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(units(out).stream().mapToInt(u -> u.get("design").get("draws").asInt()).sum()).isEqualTo(12);
    assertThat(manifest(out).get("draws").asInt()).isEqualTo(12);
  }

  /**
   * Priority sampling: priorities q_i = w_i/u_i; the sample is the n largest, τ the (n+1)-th and
   * π_i = min(1, w_i/τ) — recomputed here from the ids.
   */
  @Test
  void priority_keeps_the_largest_priorities_with_pi_from_the_next_one() throws IOException {
    Path frame = write("tiny.jsonl", tinyLines());
    Path out = dir.resolve("sample.jsonl");
    int[] w = {1, 2, 3, 4, 10};
    for (long seed : new long[] {1, 2, 3}) {
      Cli r = sample(frame, design("q.yaml", "type: priority\nn: 2\n"), out, seed);
      assertThat(r.err()).isEmpty();
      Integer[] order = {0, 1, 2, 3, 4};
      double[] q = new double[5];
      for (int i = 0; i < 5; i++) {
        q[i] = w[i] / UnitRandom.uniform(seed, "p" + (i + 1));
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(q[b], q[a]));
      double tau = q[order[2]];
      TreeSet<String> expected = new TreeSet<>(List.of("p" + (order[0] + 1), "p" + (order[1] + 1)));
      List<JsonNode> units = units(out);
      assertThat(ids(units)).containsExactlyElementsOf(expected);
      for (JsonNode u : units) {
        int i = Integer.parseInt(u.get("id").asText().substring(1)) - 1;
        assertThat(u.get("design").get("pi").asDouble()).isEqualTo(Math.min(1, w[i] / tau));
      }
      assertThat(manifest(out).get("tau").asDouble()).isEqualTo(tau);
    }
  }

  /**
   * Nearly every unit scores below the floor: the floor sets their size, they are drawn by weight alone
   * (here equal weights: simple random sampling), and a note on stderr says so and how to check it.
   */
  @Test
  void a_floor_that_raises_nearly_every_unit_is_noted() throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      double score = i <= 19 ? 0.001 * i : 0.5;
      lines.add(String.format(java.util.Locale.ROOT,
          "{\"id\":\"u%02d\",\"weight\":1,\"components\":[{\"id\":\"c\",\"kind\":\"response\",\"text\":\"t\"}],"
              + "\"scores\":{\"a\":%s,\"b\":0.9}}", i, score));
    }
    Path frame = write("low.jsonl", lines);
    Cli r = sample(frame, design("p.yaml", "type: priority\nn: 5\nsize: weight * score(a)\n"), dir.resolve("s.jsonl"), 3);
    assertThat(r.code()).isZero();
    // floored size 19 x 0.05 = 0.95 of the total 0.95 + 0.5 = 1.45: 66%
    assertThat(r.err()).isEqualTo("note: the floor 0.05 set the size of 19 of 20 units (95%; 66% of the total size):"
        + " they are drawn in proportion to weight alone, the rest by their scores; if scores below 0.05 still rank"
        + " violations, compare lower floors with plumb plan (docs/sampling.md)\n");
    // b is above the floor everywhere: max(a, b) is never raised, and nothing is said
    Cli quiet = sample(frame, design("q.yaml", "type: priority\nn: 5\nsize: weight * max(score(a), score(b))\n"),
        dir.resolve("t.jsonl"), 3);
    assertThat(quiet.err()).isEmpty();
    assertThat(manifest(dir.resolve("t.jsonl")).get("size").get("floored").get("units").asInt()).isZero();
  }

  /**
   * A size formula that reads a score: c's four units score 0 and are raised to the floor, size
   * 2 × 0.05 = 0.1 each. Total size 30·0.1 + 16·0.5 + 4·0.1 = 11.4.
   */
  @Test
  void a_score_lensed_size_records_what_the_floor_raised() throws IOException {
    Path frame = write("units.jsonl", strataLines());
    Path out = dir.resolve("sample.jsonl");
    Cli r = sample(frame, design("q.yaml", "type: priority\nn: 4\nsize: weight * score(self_harm)\n"), out, 9);
    assertThat(r.err()).isEmpty();
    JsonNode size = manifest(out).get("size");
    assertThat(size.get("measure").asText()).isEqualTo("weight * score(self_harm)");
    assertThat(size.get("total").asDouble()).isCloseTo(11.4, within(1e-12));
    assertThat(size.get("floor").asDouble()).isEqualTo(0.05);
    assertThat(size.get("floored").get("units").asInt()).isEqualTo(4);
    assertThat(size.get("floored").get("size").asDouble()).isCloseTo(0.4, within(1e-15));
    assertThat(manifest(out).get("design").toString())
        .isEqualTo("{\"type\":\"priority\",\"n\":4,\"size\":\"weight * score(self_harm)\",\"floor\":0.05}");
    assertThat(r.out()).contains("size weight * score(self_harm), total 11.4; floor 0.05 raised 4 units, 3.5% of the total size\n");
    for (JsonNode u : units(out)) {
      double s = u.get("scores").get("self_harm").asDouble();
      assertThat(u.get("design").get("size").asDouble())
          .isCloseTo(u.get("weight").asDouble() * Math.max(0.05, s), within(1e-15));
    }
  }

  @Test
  void same_seed_is_byte_identical_whatever_the_frame_order_and_another_seed_draws_another_sample() throws IOException {
    List<String> lines = strataLines();
    Path frame = write("units.jsonl", lines);
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(1));
    Path other = write("shuffled.jsonl", shuffled);
    Path gz = dir.resolve("units.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }
    Map<String, String> designs = new LinkedHashMap<>();
    designs.put("srs", "type: srs\nn: 6\n");
    designs.put("stratified", "type: stratified\nn: 8\nby: surface\npolicy: self_harm\nallocation: neyman\n");
    designs.put("poisson", "type: poisson\nn: 6\nsize: weight * score(self_harm)\n");
    designs.put("ppswr", "type: ppswr\nn: 6\nsize: weight * score(self_harm)\n");
    designs.put("priority", "type: priority\nn: 6\nsize: weight * score(self_harm)\n");
    for (Map.Entry<String, String> e : designs.entrySet()) {
      Path design = design(e.getKey() + ".yaml", e.getValue());
      Path a = dir.resolve(e.getKey() + "-a/sample.jsonl");
      Path c = dir.resolve(e.getKey() + "-c/sample.jsonl");
      Path g = dir.resolve(e.getKey() + "-g/sample.jsonl");
      Path s = dir.resolve(e.getKey() + "-s/sample.jsonl");
      assertThat(sample(frame, design, a, 42).code()).isEqualTo(ExitCode.OK);
      assertThat(sample(other, design, c, 42).code()).isEqualTo(ExitCode.OK);
      assertThat(sample(gz, design, g, 42).code()).isEqualTo(ExitCode.OK);
      assertThat(sample(frame, design, s, 43).code()).isEqualTo(ExitCode.OK);
      assertThat(Files.readAllBytes(c)).as(e.getKey() + " shuffled").isEqualTo(Files.readAllBytes(a));
      assertThat(Files.readAllBytes(g)).as(e.getKey() + " gzip, CRLF").isEqualTo(Files.readAllBytes(a));
      // the manifests are the same but for the frame's path and digest
      JsonNode ma = manifest(a);
      JsonNode mc = manifest(c);
      assertThat(ma.get("frame").get("sha256").asText()).isEqualTo(Hashing.sha256(frame));
      assertThat(mc.get("frame").get("path").asText()).isEqualTo(other.toString());
      for (JsonNode m : List.of(ma, mc)) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("frame")).remove(List.of("path", "sha256"));
      }
      assertThat(mc).as(e.getKey() + " manifest").isEqualTo(ma);
      assertThat(Files.readString(s)).as(e.getKey() + " seed 43").isNotEqualTo(Files.readString(a));
    }
    // the same command twice: both files byte for byte
    Path again = dir.resolve("again/sample.jsonl");
    assertThat(sample(frame, dir.resolve("priority.yaml"), again, 42).code()).isEqualTo(ExitCode.OK);
    Path first = dir.resolve("priority-a/sample.jsonl");
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(first));
    assertThat(Files.readAllBytes(again.resolveSibling("sample.json"))).isEqualTo(Files.readAllBytes(first.resolveSibling("sample.json")));
  }

  @Test
  void the_seed_comes_from_the_design_file_unless_given_and_is_drawn_and_printed_otherwise() throws IOException {
    Path frame = write("units.jsonl", strataLines());
    Path withSeed = design("s.yaml", "type: srs\nn: 3\nseed: 99\n");
    Path out = dir.resolve("sample.jsonl");
    Cli r = Cli.run("sample", "--frame", frame.toString(), "--design", withSeed.toString(), "--out", out.toString());
    assertThat(r.out()).contains(", seed 99\n");
    assertThat(manifest(out).get("seed").asLong()).isEqualTo(99);
    Cli over = Cli.run("sample", "--frame", frame.toString(), "--design", withSeed.toString(), "--out", out.toString(),
        "--seed", "5");
    assertThat(over.out()).contains(", seed 5\n");
    Cli drawn = Cli.run("sample", "--frame", frame.toString(), "--design", design("n.yaml", "type: srs\nn: 3\n").toString(),
        "--out", out.toString());
    assertThat(drawn.code()).isEqualTo(ExitCode.OK);
    long seed = manifest(out).get("seed").asLong();
    assertThat(drawn.out()).contains(", seed " + seed + " (drawn; pass --seed to repeat)\n");
  }

  @Test
  void a_gz_out_is_gzip_with_the_manifest_beside_it() throws IOException {
    Path frame = write("units.jsonl", strataLines());
    Path design = design("s.yaml", "type: srs\nn: 3\n");
    Path plain = dir.resolve("p/sample.jsonl");
    Path gz = dir.resolve("g/sample.jsonl.gz");
    sample(frame, design, plain, 1);
    Cli r = sample(frame, design, gz, 1);
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(dir.resolve("g/sample.json")).exists();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(plain));
    }
  }

  // ---- bad input: one line, exit code 2, nothing written ----

  private void assertBad(Path frame, Path design, String line) throws IOException {
    Path out = dir.resolve("out/sample.jsonl");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "previous\n");
    Cli r = sample(frame, design, out, 1);
    assertThat(r.err()).as(line).isEqualTo(line + System.lineSeparator());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    // the previous sample is untouched, no manifest, no temporary file left behind
    assertThat(Files.readString(out)).isEqualTo("previous\n");
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sample.jsonl");
    }
  }

  private Path frameWith(String name, String... extra) throws IOException {
    List<String> lines = new ArrayList<>(strataLines().subList(0, 3));
    lines.addAll(List.of(extra));
    return write(name, lines);
  }

  @Test
  void every_bad_unit_is_one_located_line_and_nothing_is_written() throws IOException {
    Path srs = design("srs.yaml", "type: srs\nn: 2\n");
    Path f;
    f = frameWith("json.jsonl", "{\"id\":\"x\",\"weight\":3");
    assertBad(f, srs, f + ":4:21: invalid JSON: Unexpected end-of-input: expected close marker for Object"
        + " (start marker at column 1)");
    f = frameWith("array.jsonl", "[1]");
    assertBad(f, srs, f + ":4: expected a JSON object, found an array");
    f = frameWith("noid.jsonl", "{\"weight\":3}");
    assertBad(f, srs, f + ":4: id: missing");
    f = frameWith("emptyid.jsonl", "{\"id\":\"\"}");
    assertBad(f, srs, f + ":4: id: expected a non-empty string");
    f = frameWith("numid.jsonl", "{\"id\":7}");
    assertBad(f, srs, f + ":4: id: expected a non-empty string");
    f = frameWith("dup.jsonl", "{\"id\":\"u05\"}", "{\"id\":\"u02\"}");
    assertBad(f, srs, f + ":5: id: duplicate unit id \"u02\" (first on line 2)");
    f = frameWith("neg.jsonl", "{\"id\":\"x\",\"weight\":-1}");
    assertBad(f, srs, f + ":4: weight: must be a finite number >= 0, found -1");
    f = frameWith("text.jsonl", "{\"id\":\"x\",\"weight\":\"3\"}");
    assertBad(f, srs, f + ":4: weight: must be a finite number >= 0, found \"3\"");
    f = frameWith("score.jsonl", "{\"id\":\"x\",\"scores\":{\"self_harm\":1.5}}");
    assertBad(f, srs, f + ":4: scores.self_harm: must be a number in [0, 1], found 1.5");
    f = frameWith("sample.jsonl", "{\"id\":\"x\",\"design\":{\"stratum\":\"all\",\"pi\":0.1}}");
    assertBad(f, srs, f + ":4: design: a frame unit must not have a design record (this looks like a sample, not a frame)");
    f = frameWith("nos.jsonl", "{\"id\":\"x\",\"weight\":3}");
    assertBad(f, design("lens.yaml", "type: poisson\nn: 2\nsize: weight * score(self_harm)\n"),
        f + ":4: scores.self_harm: missing; the design's size measure uses score(self_harm)");
    assertBad(f, design("bins.yaml", "type: stratified\nn: 2\npolicy: self_harm\nbins: [0, 0.3, 1]\n"),
        f + ":4: scores.self_harm: missing; the design stratifies by the self_harm score");
    f = frameWith("noattr.jsonl", "{\"id\":\"x\",\"attributes\":{\"surface\":[\"a\"]}}");
    assertBad(f, design("by.yaml", "type: stratified\nn: 2\nby: surface\n"),
        f + ":4: attributes.surface: missing (or not a string); the design stratifies by it");
    Path missing = dir.resolve("nope.jsonl");
    assertBad(missing, srs, missing + ": file not found");
  }

  @Test
  void every_bad_design_or_impossible_sample_is_one_located_line_and_nothing_is_written() throws IOException {
    List<String> lines = strataLines();
    Path f = write("units.jsonl", lines);
    assertBad(f, design("typo.yaml", "type: poisson\nn: 2\nsise: weight\n"),
        dir.resolve("typo.yaml") + ":3:1: sise: unknown option; did you mean \"size\"?");
    assertBad(f, design("other.yaml", "type: srs\nn: 2\nfloor: 0.1\n"),
        dir.resolve("other.yaml") + ":3:1: floor: not an option of a srs design (its options: type, n, seed)");
    assertBad(f, design("zero.yaml", "type: priority\nn: 0\n"),
        dir.resolve("zero.yaml") + ":2:4: n: expected a whole number from 1 to 2147483639, got 0");
    assertBad(f, design("zeroh.yaml", "type: stratified\nallocation: fixed\nby: surface\nsizes: {a: 1, b: 0, c: 1}\n"),
        dir.resolve("zeroh.yaml") + ":4:18: sizes.b: expected a whole number from 1 to 2147483647, got 0");
    assertBad(f, design("big.yaml", "type: srs\nn: 23\n"),
        dir.resolve("big.yaml") + ":2:4: n: sample size 23 is larger than the frame (" + f + " has 22 units)");
    assertBad(f, design("bigp.yaml", "type: priority\nn: 30\n"),
        dir.resolve("bigp.yaml") + ":2:4: n: sample size 30 is larger than the frame (" + f + " has 22 units)");
    assertBad(f, design("bigs.yaml", "type: stratified\nn: 23\nby: surface\n"),
        dir.resolve("bigs.yaml") + ":2:4: n: sample size 23 is larger than the frame (" + f + " has 22 units)");
    assertBad(f, design("small.yaml", "type: stratified\nn: 5\nby: surface\n"),
        dir.resolve("small.yaml") + ":2:4: n: sample size 5 is too small for 3 strata with min_per_stratum 2 (needs at least 6)");
    assertBad(f, design("emptybin.yaml", "type: stratified\nn: 6\npolicy: self_harm\nbins: [0, 0.2, 0.4, 1]\n"),
        dir.resolve("emptybin.yaml") + ":4:7: bins: stratum \"s2\" is empty: no unit has self_harm score in [0.2, 0.4); merge bins");
    assertBad(f, design("nosize.yaml", "type: stratified\nallocation: fixed\nby: surface\nsizes: {a: 1, b: 2}\n"),
        dir.resolve("nosize.yaml") + ":4:8: sizes: no size for stratum \"c\" (4 units; the first on " + f + " line 19)");
    assertBad(f, design("ghost.yaml", "type: stratified\nallocation: fixed\nby: surface\nsizes: {a: 1, b: 2, c: 1, d: 1}\n"),
        dir.resolve("ghost.yaml") + ":4:30: sizes.d: stratum \"d\" is empty: no unit of " + f + " falls in it");
    assertBad(f, design("over.yaml", "type: stratified\nallocation: fixed\nby: surface\nsizes: {a: 1, b: 2, c: 5}\n"),
        dir.resolve("over.yaml") + ":4:24: sizes.c: sample size 5 is larger than the stratum (4 units)");
    // units of weight 0 have size 0: fewer positive sizes than n
    List<String> zeros = new ArrayList<>(lines.subList(0, 2));
    zeros.add("{\"id\":\"z1\",\"weight\":0}");
    zeros.add("{\"id\":\"z2\",\"weight\":0}");
    Path z = write("zeros.jsonl", zeros);
    assertBad(z, design("pz.yaml", "type: poisson\nn: 3\n"), dir.resolve("pz.yaml")
        + ":2:4: n: expected sample size 3 is larger than the number of units with a positive size (2 of 4 in " + z + ")");
    assertBad(z, design("qz.yaml", "type: priority\nn: 3\n"), dir.resolve("qz.yaml")
        + ":2:4: n: sample size 3 is larger than the number of units with a positive size (2 of 4 in " + z + ")");
    Path allZero = write("allzero.jsonl", List.of("{\"id\":\"z1\",\"weight\":0}", "{\"id\":\"z2\",\"weight\":0}"));
    assertBad(allZero, design("wz.yaml", "type: ppswr\nn: 2\n"), dir.resolve("wz.yaml")
        + ": size: every unit of " + allZero + " has size 0; PPS needs units with a positive size");
    Path missing = dir.resolve("nope.yaml");
    assertBad(f, missing, missing + ": file not found");
  }

  @Test
  void an_empty_frame_is_one_line_for_every_design() throws IOException {
    Path empty = write("empty.jsonl", List.of("", "  "));
    for (String yaml : List.of("type: srs\nn: 1\n", "type: stratified\nn: 1\nby: surface\n", "type: poisson\nn: 1\n",
        "type: ppswr\nn: 1\n", "type: priority\nn: 1\n")) {
      assertBad(empty, design("d.yaml", yaml), empty + ": no units (the frame is empty)");
    }
  }
}
