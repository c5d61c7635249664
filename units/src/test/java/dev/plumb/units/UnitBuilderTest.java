package dev.plumb.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.units.synthetic.LogGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitBuilderTest {
  @TempDir Path tmp;

  static UnitBuilder.Summary build(Path config, Path out, boolean strict) {
    return UnitBuilder.build(new UnitBuilder.Options(UnitsConfig.read(config), out, strict, "512MB", 2, "test"));
  }

  @Test
  void fixture_logs_become_one_unit_per_interaction_matching_the_ground_truth() throws IOException {
    Path fixture = Path.of("..", "fixtures", "logs");
    Path out = tmp.resolve("units.jsonl");
    UnitBuilder.Summary s = build(fixture.resolve("units.yaml"), out, true);
    assertThat(s.written()).isTrue();
    assertThat(s.problemCount()).isZero();
    assertThat(s.units()).isEqualTo(10_000);
    assertThat(s.policies()).containsExactlyElementsOf(LogGenerator.POLICIES);

    // independent reading of the tables
    Map<String, Map<String, String>> interactions = new HashMap<>();
    Csv.read(fixture.resolve("interactions/2026-11-25.csv")).forEach(r -> interactions.put(r.get("interaction_id"), r));
    Map<String, Map<String, String>> pins = new HashMap<>();
    Csv.read(fixture.resolve("pins.csv")).forEach(r -> pins.put(r.get("pin_id"), r));
    Map<String, List<String>> shown = new HashMap<>();
    Csv.read(fixture.resolve("components/2026-11-25.csv")).stream()
        .sorted((a, b) -> Integer.compare(Integer.parseInt(a.get("position")), Integer.parseInt(b.get("position"))))
        .forEach(r -> shown.computeIfAbsent(r.get("interaction_id"), k -> new ArrayList<>()).add(r.get("pin_id")));
    Map<String, Double> scores = new HashMap<>();
    Csv.read(fixture.resolve("risk_scores.csv"))
        .forEach(r -> scores.put(r.get("entity_id") + " " + r.get("policy"), Double.parseDouble(r.get("score"))));
    Map<String, Boolean> positive = new HashMap<>();
    Jsonl.forEach(fixture.resolve("truth.jsonl"), l -> positive.put(
        l.node().get("unit").asText() + " " + l.node().get("policy").asText(), l.node().get("positive").asBoolean()));

    Map<String, double[]> exposure = new LinkedHashMap<>();
    Map<String, List<double[]>> scored = new HashMap<>();
    String[] previous = {""};
    Jsonl.forEach(out, line -> {
      JsonNode u = line.node();
      String id = u.get("id").asText();
      assertThat(id.compareTo(previous[0])).isPositive(); // sorted by id, each once
      previous[0] = id;
      Map<String, String> row = interactions.get(id);
      assertThat(u.get("attributes").get("surface").asText()).isEqualTo(row.get("surface"));
      assertThat(u.get("attributes").get("platform").asText()).isEqualTo(row.get("platform"));
      assertThat(u.get("attributes").has("user")).isFalse();
      assertThat(u.toString()).doesNotContain("\"" + row.get("user_id") + "\"");
      List<String> expected = new ArrayList<>();
      if (row.get("query_text") != null) {
        expected.add("query:" + row.get("query_text"));
      }
      if (row.get("response_text") != null) {
        expected.add("response:" + row.get("response_text"));
      }
      for (String pin : shown.get(id)) {
        Map<String, String> p = pins.get(pin);
        expected.add(pin + ":" + p.get("title") + "\n" + p.get("description"));
      }
      List<String> actual = new ArrayList<>();
      u.get("components").forEach(c -> actual.add(c.get("id").asText() + ":" + c.get("text").asText()));
      assertThat(actual).containsExactlyElementsOf(expected);
      for (String policy : LogGenerator.POLICIES) {
        double max = scores.get(id + " " + policy);
        for (String pin : shown.get(id)) {
          max = Math.max(max, scores.get(pin + " " + policy));
        }
        assertThat(u.get("scores").get(policy).asDouble()).isEqualTo(max);
        boolean pos = positive.get(id + " " + policy);
        double[] e = exposure.computeIfAbsent(policy, k -> new double[2]);
        e[0] += u.get("weight").asDouble();
        e[1] += pos ? u.get("weight").asDouble() : 0;
        scored.computeIfAbsent(policy, k -> new ArrayList<>()).add(new double[] {max, pos ? 1 : 0});
      }
    });
    JsonNode truth = Json.mapper().readTree(fixture.resolve("truth.json").toFile());
    for (String policy : LogGenerator.POLICIES) {
      double[] e = exposure.get(policy);
      assertThat(e[1] / e[0]).isEqualTo(truth.get("policies").get(policy).get("prevalence").asDouble());
      // the logged risk scores are informative but imperfect
      assertThat(auc(scored.get(policy))).as(policy).isBetween(0.8, 0.99);
    }
    JsonNode manifest = Json.mapper().readTree(tmp.resolve("units.json").toFile());
    assertThat(manifest.get("units").asLong()).isEqualTo(10_000);
    assertThat(manifest.get("inputs").get("components").get("rows").asLong()).isEqualTo(Csv.read(fixture.resolve("components/2026-11-25.csv")).size());
    assertThat(manifest.get("problems").get("unknown_pins").asLong()).isZero();
  }

  /** ROC AUC by pair counting (ties count half). */
  private static double auc(List<double[]> points) {
    List<Double> pos = points.stream().filter(p -> p[1] == 1).map(p -> p[0]).sorted().toList();
    List<Double> neg = points.stream().filter(p -> p[1] == 0).map(p -> p[0]).sorted().toList();
    double wins = 0;
    int j = 0;
    int k = 0;
    for (double x : pos) {
      while (j < neg.size() && neg.get(j) < x) {
        j++;
      }
      k = j;
      while (k < neg.size() && neg.get(k) == x) {
        k++;
      }
      wins += j + (k - j) / 2.0;
    }
    return wins / ((double) pos.size() * neg.size());
  }

  @Test
  void every_data_problem_is_counted_and_resolved_by_its_documented_rule() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Path out = tmp.resolve("out/units.jsonl");
    UnitBuilder.Summary s = build(config, out, false);
    Map<String, Long> expected = new LinkedHashMap<>();
    for (String p : UnitBuilder.PROBLEMS) {
      expected.put(p, 1L);
    }
    expected.put("imputed_scores", 3L); // harassment for a2 and a4, self_harm for a4
    assertThat(s.problems()).containsExactlyEntriesOf(expected);
    assertThat(s.imputed()).isEqualTo(Map.of("harassment", 2L, "self_harm", 1L));
    assertThat(s.imputedValue()).isEqualTo(Map.of("harassment", 0.3, "self_harm", 0.7));
    String alice = Hashing.sha256("s3cret:alice").substring(7, 23);
    String bob = Hashing.sha256("s3cret:bob").substring(7, 23);
    String erin = Hashing.sha256("s3cret:erin").substring(7, 23);
    assertThat(Files.readString(out)).isEqualTo(
        "{\"id\":\"a1\",\"weight\":17,\"attributes\":{\"surface\":\"search\",\"day\":\"2026-11-25\",\"lang\":\"en\","
            + "\"user\":\"sha256:" + alice + "\"},\"scores\":{\"harassment\":0.3,\"self_harm\":0.9},\"components\":["
            + "{\"id\":\"query\",\"kind\":\"query\",\"text\":\"cozy nook\"},"
            + "{\"id\":\"response\",\"kind\":\"response\",\"text\":\"Pins for you\"},"
            + "{\"id\":\"p1\",\"kind\":\"pin\",\"text\":\"Title one\\nDesc one\",\"image\":\"https://img.example.com/1.jpg\"},"
            + "{\"id\":\"p2\",\"kind\":\"pin\",\"text\":\"Zed\"}]}\n"
            + "{\"id\":\"a2\",\"weight\":3,\"attributes\":{\"surface\":\"home_feed\",\"day\":\"2026-11-25\",\"lang\":\"en\","
            + "\"user\":\"sha256:" + bob + "\"},\"scores\":{\"harassment\":0.3,\"self_harm\":0.5},\"components\":["
            + "{\"id\":\"query\",\"kind\":\"query\",\"text\":\"zzz\"},"
            + "{\"id\":\"p2\",\"kind\":\"pin\",\"text\":\"Zed\"}]}\n"
            + "{\"id\":\"a4\",\"weight\":0,\"attributes\":{\"surface\":\"search\",\"day\":\"2026-11-26\",\"lang\":\"fr\","
            + "\"user\":\"sha256:" + erin + "\"},\"scores\":{\"harassment\":0.3,\"self_harm\":0.7},\"components\":["
            + "{\"id\":\"query\",\"kind\":\"query\",\"text\":\"hello\"}]}\n");
    assertThat(s.rows()).isEqualTo(Map.of("interactions", 6L, "pins", 6L, "components", 8L,
        "impressions", 6L, "risk_scores", 6L));
    JsonNode manifest = Json.mapper().readTree(tmp.resolve("out/units.json").toFile());
    assertThat(manifest.get("problems").get("unknown_pins").asLong()).isEqualTo(1);
    assertThat(manifest.get("scores").get("imputed").get("self_harm").get("value").asDouble()).isEqualTo(0.7);
    assertThat(manifest.get("inputs").get("interactions").get("files").toString())
        .isEqualTo("[\"logs/interactions-1.csv\",\"logs/interactions-2.csv\"]");
    assertThat(leftovers(tmp.resolve("out"))).containsExactlyInAnyOrder("units.jsonl", "units.json");
  }

  @Test
  void a_gz_output_is_gzip_compressed_with_the_same_units() throws IOException {
    Path config = ProblemLogs.write(tmp);
    build(config, tmp.resolve("plain/units.jsonl"), false);
    UnitBuilder.Summary s = build(config, tmp.resolve("gz/units.jsonl.gz"), false);
    assertThat(s.manifest()).isEqualTo(tmp.resolve("gz/units.json"));
    byte[] raw = Files.readAllBytes(tmp.resolve("gz/units.jsonl.gz"));
    assertThat(raw[0] & 0xff).isEqualTo(0x1f);
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(tmp.resolve("gz/units.jsonl.gz")))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(tmp.resolve("plain/units.jsonl")));
    }
  }

  @Test
  void strict_writes_nothing_when_the_data_have_problems() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Path out = tmp.resolve("out/units.jsonl");
    UnitBuilder.Summary s = build(config, out, true);
    assertThat(s.written()).isFalse();
    assertThat(s.problemCount()).isEqualTo(19);
    assertThat(leftovers(tmp.resolve("out"))).isEmpty();
  }

  @Test
  void mean_aggregate_fixed_imputation_and_no_impressions_table() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Files.writeString(config, ProblemLogs.CONFIG
        .replaceAll("(?s)  impressions:.*?count: n}\n", "")
        .replace("  user: hash\n  user_salt: s3cret\n", "")
        .replace("{aggregate: max, missing: mean}", "{aggregate: mean, missing: 0.05, policies: [self_harm]}"));
    Path out = tmp.resolve("units.jsonl");
    UnitBuilder.Summary s = build(config, out, false);
    List<JsonNode> units = new ArrayList<>();
    Jsonl.forEach(out, l -> units.add(l.node()));
    assertThat(units).extracting(u -> u.get("weight").asText()).containsExactly("1", "1", "1");
    assertThat(units).extracting(u -> u.get("scores").toString())
        .containsExactly("{\"self_harm\":0.533333}", "{\"self_harm\":0.5}", "{\"self_harm\":0.05}");
    assertThat(units).allSatisfy(u -> assertThat(u.get("attributes").has("user")).isFalse());
    assertThat(s.problems().get("invalid_scores")).isZero(); // the harassment rows are not selected
    assertThat(s.problems().get("imputed_scores")).isEqualTo(1);
  }

  @Test
  void parquet_tables_build_the_same_units_as_csv() throws IOException {
    LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("csv"), 400, 3));
    LogGenerator.generate(new LogGenerator.Options(tmp.resolve("pq"), 400, 3, 1,
        java.time.LocalDate.of(2026, 11, 25), LogGenerator.Format.PARQUET));
    assertThat(tmp.resolve("pq/pins.parquet")).exists();
    assertThat(tmp.resolve("pq/pins.csv")).doesNotExist();
    build(tmp.resolve("csv/units.yaml"), tmp.resolve("a.jsonl"), true);
    build(tmp.resolve("pq/units.yaml"), tmp.resolve("b.jsonl"), true);
    assertThat(Files.readString(tmp.resolve("b.jsonl"))).isEqualTo(Files.readString(tmp.resolve("a.jsonl")));
  }

  @Test
  void a_mapped_column_missing_from_the_files_names_the_units_yaml_line() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Files.writeString(config, ProblemLogs.CONFIG.replace("query: query,", "query: query_txt,"));
    Path out = tmp.resolve("out/units.jsonl");
    assertThatThrownBy(() -> build(config, out, false))
        .isInstanceOf(InputException.class)
        .hasMessage(config + ":4:70: tables.interactions.columns.query: no column \"query_txt\" in "
            + "logs/interactions-*.csv (its columns: id, user, day, surface, query, response, lang)");
    assertThat(leftovers(tmp.resolve("out"))).isEmpty();
  }

  @Test
  void a_table_that_cannot_be_parsed_is_a_located_input_error() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Files.writeString(tmp.resolve("logs/scores.jsonl"), "{\"entity\":\"a1\",\"policy\":\"self_harm\",\"score\":0.2}\n{not json\n");
    assertThatThrownBy(() -> build(config, tmp.resolve("units.jsonl"), false))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(config + ":15:11: tables.risk_scores.path: cannot read: ");
  }

  private static List<String> leftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
