package dev.plumb.units.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.units.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogGeneratorTest {
  static final Path FIXTURE = Path.of("..", "fixtures", "logs");

  @TempDir Path tmp;

  @Test
  void committed_fixture_is_what_the_generator_writes_for_seed_7() throws IOException {
    LogGenerator.generate(LogGenerator.Options.of(tmp, 10_000, 7));
    Map<String, String> generated = files(tmp);
    Map<String, String> committed = files(FIXTURE);
    committed.keySet().retainAll(generated.keySet()); // the fixture directory may hold more (units.jsonl)
    assertThat(committed).isEqualTo(generated);
  }

  @Test
  void reviewed_texts_come_from_another_population_and_leave_the_measured_tables_unchanged() throws IOException {
    LogGenerator.Result r = LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("a"), 3000, 7).withReviewed(3000));
    LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("b"), 3000, 7));
    Map<String, String> a = files(tmp.resolve("a"));
    String reviewed = a.remove(LogGenerator.REVIEWED);
    assertThat(a).isEqualTo(files(tmp.resolve("b"))); // the measured population does not depend on it
    LogGenerator.Result again = LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("c"), 3000, 7).withReviewed(3000));
    assertThat(Files.readString(tmp.resolve("c").resolve(LogGenerator.REVIEWED))).isEqualTo(reviewed);

    Set<String> texts = new HashSet<>();
    long[] positives = new long[LogGenerator.POLICIES.size()];
    Jsonl.forEach(tmp.resolve("a").resolve(LogGenerator.REVIEWED), line -> {
      assertThat(texts.add(line.node().get("text").asText())).isTrue(); // each text once
      for (int p = 0; p < positives.length; p++) {
        int v = line.node().get(LogGenerator.POLICIES.get(p)).asInt();
        assertThat(v).isIn(0, 1);
        positives[p] += v;
      }
    });
    assertThat(texts).hasSize((int) r.reviewedTexts());
    for (int p = 0; p < positives.length; p++) {
      assertThat(positives[p]).isPositive().isEqualTo(r.reviewedPositives().get(p));
    }
    // another population: its violating pins are not the measured ones (same templates, other draws)
    Set<String> measuredPins = new HashSet<>();
    Csv.read(tmp.resolve("a/pins.csv")).forEach(row -> measuredPins.add(row.get("title") + "\n" + row.get("description")));
    assertThat(texts.stream().filter(measuredPins::contains).count()).isLessThan(texts.size());
  }

  @Test
  void same_seed_gives_identical_files_and_another_seed_different_ones() throws IOException {
    LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("a"), 2000, 11));
    LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("b"), 2000, 11));
    LogGenerator.generate(LogGenerator.Options.of(tmp.resolve("c"), 2000, 12));
    assertThat(files(tmp.resolve("a"))).isEqualTo(files(tmp.resolve("b")));
    assertThat(Files.readString(tmp.resolve("a/pins.csv"))).isNotEqualTo(Files.readString(tmp.resolve("c/pins.csv")));
  }

  @Test
  void fixture_truth_is_rare_consistent_and_uses_the_starter_policies_decisions() throws IOException {
    JsonNode truth = Json.mapper().readTree(FIXTURE.resolve("truth.json").toFile());
    Map<String, Long> weight = new HashMap<>();
    for (Map<String, String> row : Csv.read(FIXTURE.resolve("impressions/2026-11-25.csv"))) {
      weight.merge(row.get("interaction_id"), Long.parseLong(row.get("impressions")), Long::sum);
    }
    long total = weight.values().stream().mapToLong(Long::longValue).sum();
    Map<String, long[]> counted = new TreeMap<>();
    Map<String, Set<String>> categories = new HashMap<>();
    for (String p : LogGenerator.POLICIES) {
      categories.put(p, policyCategories(p));
    }
    Set<String> pairs = new HashSet<>();
    Jsonl.forEach(FIXTURE.resolve("truth.jsonl"), line -> {
      JsonNode n = line.node();
      String policy = n.get("policy").asText();
      assertThat(LogGenerator.POLICIES).contains(policy);
      assertThat(pairs.add(n.get("unit").asText() + " " + policy)).isTrue();
      String decision = n.get("decision").asText();
      assertThat(decision).isIn("violating", "borderline", "safe");
      assertThat(n.get("positive").asBoolean()).isEqualTo(decision.equals("violating"));
      if (decision.equals("violating")) {
        assertThat(categories.get(policy)).contains(n.get("category").asText());
      } else {
        assertThat(n.get("category").isNull()).isTrue();
      }
      long[] c = counted.computeIfAbsent(policy, k -> new long[3]);
      c[0]++;
      if (n.get("positive").asBoolean()) {
        c[1]++;
        c[2] += weight.get(n.get("unit").asText());
      }
    });
    assertThat(counted.keySet()).containsExactlyElementsOf(LogGenerator.POLICIES);
    for (String p : LogGenerator.POLICIES) {
      JsonNode t = truth.get("policies").get(p);
      long[] c = counted.get(p);
      assertThat(t.get("units").asLong()).isEqualTo(10_000).isEqualTo(c[0]);
      assertThat(t.get("positive_units").asLong()).isEqualTo(c[1]);
      assertThat(t.get("positive_weight").asLong()).isEqualTo(c[2]);
      assertThat(t.get("weight").asLong()).isEqualTo(total);
      assertThat(t.get("prevalence").asDouble()).isEqualTo((double) c[2] / total).isBetween(0.001, 0.03);
    }
  }

  @Test
  void fixture_tables_fit_together_with_repeated_pins_and_zipf_impressions() {
    List<Map<String, String>> interactions = Csv.read(FIXTURE.resolve("interactions/2026-11-25.csv"));
    List<Map<String, String>> components = Csv.read(FIXTURE.resolve("components/2026-11-25.csv"));
    Set<String> pins = new HashSet<>();
    Csv.read(FIXTURE.resolve("pins.csv")).forEach(r -> assertThat(pins.add(r.get("pin_id"))).isTrue());
    Set<String> ids = new HashSet<>();
    Map<String, Long> surfaces = new TreeMap<>();
    for (Map<String, String> r : interactions) {
      assertThat(ids.add(r.get("interaction_id"))).isTrue();
      surfaces.merge(r.get("surface"), 1L, Long::sum);
    }
    assertThat(surfaces.keySet()).containsExactly("assistant", "home_feed", "related_pins", "search");
    Map<String, Integer> uses = new HashMap<>();
    Map<String, Integer> lastPosition = new HashMap<>();
    for (Map<String, String> c : components) {
      assertThat(ids).contains(c.get("interaction_id"));
      assertThat(pins).contains(c.get("pin_id"));
      uses.merge(c.get("pin_id"), 1, Integer::sum);
      int pos = Integer.parseInt(c.get("position"));
      assertThat(pos).isEqualTo(lastPosition.getOrDefault(c.get("interaction_id"), 0) + 1);
      lastPosition.put(c.get("interaction_id"), pos);
    }
    assertThat(lastPosition).hasSize(10_000);
    assertThat(uses.values().stream().filter(u -> u >= 2).count()).isGreaterThan(pins.size() / 2);
    assertThat(uses.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(50);
    List<Long> views = Csv.read(FIXTURE.resolve("impressions/2026-11-25.csv")).stream()
        .map(r -> Long.parseLong(r.get("impressions"))).sorted().toList();
    assertThat(views).hasSize(10_000);
    assertThat(views.get(views.size() / 2)).isLessThanOrEqualTo(2); // most interactions are seen once or twice
    assertThat(views.get(views.size() - 1)).isGreaterThan(200); // and a few very often
    long scored = Csv.read(FIXTURE.resolve("risk_scores.csv")).stream()
        .peek(r -> assertThat(Double.parseDouble(r.get("score"))).isBetween(0.0001, 0.9999))
        .count();
    assertThat(scored).isEqualTo(4L * (pins.size() + ids.size()));
  }

  @Test
  void several_days_split_into_daily_files_and_impressions_add_up_to_the_truth_weight() throws IOException {
    LogGenerator.generate(new LogGenerator.Options(tmp, 3000, 5, 3, LocalDate.of(2026, 1, 30),
        LogGenerator.Format.CSV));
    assertThat(tmp.resolve("interactions/2026-01-30.csv")).exists();
    assertThat(tmp.resolve("interactions/2026-02-01.csv")).exists();
    long rows = 0;
    long total = 0;
    Set<String> split = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (String day : List.of("2026-01-30", "2026-01-31", "2026-02-01")) {
      for (Map<String, String> r : Csv.read(tmp.resolve("impressions/" + day + ".csv"))) {
        rows++;
        total += Long.parseLong(r.get("impressions"));
        if (!seen.add(r.get("interaction_id"))) {
          split.add(r.get("interaction_id"));
        }
        assertThat(r.get("day")).isEqualTo(day);
      }
    }
    assertThat(seen).hasSize(3000);
    assertThat(split).isNotEmpty();
    assertThat(rows).isEqualTo(3000 + split.size());
    JsonNode truth = Json.mapper().readTree(tmp.resolve("truth.json").toFile());
    assertThat(truth.get("policies").get("self_harm").get("weight").asLong()).isEqualTo(total);
  }

  private static Set<String> policyCategories(String policy) {
    try (Stream<Path> versions = Files.list(Path.of("..", "policies", policy))) {
      Path latest = versions.filter(p -> p.getFileName().toString().matches("v\\d+\\.yaml"))
          .max((a, b) -> Integer.compare(version(a), version(b))).orElseThrow();
      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(latest.toFile());
      Set<String> ids = new HashSet<>();
      doc.get("categories").forEach(c -> ids.add(c.get("id").asText()));
      return ids;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int version(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(1, n.indexOf('.')));
  }

  /** Relative path → content of every file under dir. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }
}
