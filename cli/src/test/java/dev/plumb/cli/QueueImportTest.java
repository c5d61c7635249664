package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import from Label Studio and CSV, adjudication, and every bad-input line, on a four-unit sample
 * reviewed by SRS (n = 3, so π2 = 3/4) for self_harm@1, without a rater list.
 */
class QueueImportTest {
  static final Path EXPORT = ReviewFixture.ROOT.resolve("cli/src/test/resources/review/label-studio-export.json");

  @TempDir Path dir;
  Path queue;
  Path gold;
  /** item → unit, from the manifest. */
  final Map<String, String> units = new HashMap<>();

  @BeforeEach
  void small_queue() throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"q")
          .append(i).append("\"},{\"id\":\"pin-1\",\"kind\":\"pin\",\"text\":\"a pin\"}],")
          .append("\"design\":{\"stratum\":\"all\",\"pi\":0.5}}\n");
      boolean v = i == 1;
      l.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"self_harm@1\",\"decision\":\"")
          .append(v ? "violating" : "safe").append("\",\"positive\":").append(v).append(",\"status\":\"ok\"}\n");
    }
    Files.writeString(dir.resolve("sample.jsonl"), s);
    Files.writeString(dir.resolve("labels.jsonl"), l);
    Files.writeString(dir.resolve("review.yaml"), "type: srs\nn: 3\n");
    queue = dir.resolve("queue");
    gold = dir.resolve("gold.jsonl");
    Cli e = Cli.run("queue", "export", "--sample", dir.resolve("sample.jsonl").toString(), "--labels",
        dir.resolve("labels.jsonl").toString(), "--gold-design", dir.resolve("review.yaml").toString(), "--out",
        queue.toString(), "--seed", "1", "--policies", ReviewFixture.ROOT.resolve("policies").toString());
    assertThat(e.err()).isEmpty();
    assertThat(e.code()).isEqualTo(ExitCode.OK);
    Json.mapper().readTree(queue.resolve("queue.json").toFile()).get("items")
        .forEach(it -> units.put(it.get("item").asText(), it.get("unit").asText()));
    assertThat(units).hasSize(3);
  }

  private Cli importing(String... answers) {
    List<String> args = new ArrayList<>(List.of("queue", "import", "--queue", queue.toString(), "--out",
        gold.toString(), "--answers"));
    args.addAll(List.of(answers));
    return Cli.run(args.toArray(String[]::new));
  }

  private List<JsonNode> gold() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(gold)) {
      out.add(Json.mapper().readTree(line));
    }
    return out;
  }

  @Test
  void should_hide_llm_answers_unless_asked_and_write_a_well_formed_labeling_config() throws Exception {
    JsonNode tasks = Json.mapper().readTree(queue.resolve("label-studio.json").toFile());
    assertThat(tasks).hasSize(3);
    assertThat(tasks.get(0).has("predictions")).isFalse();
    assertThat(tasks.get(0).get("data").get("content").asText()).isEqualTo(
        "[query query] q" + units.get("q-0001").substring(1) + "\n\n[pin pin-1] a pin");
    assertThat(Files.readAllLines(queue.resolve("queue.csv")).get(0))
        .isEqualTo("item,policy,rater,decision,category,at,choices,categories,content,images");
    org.w3c.dom.Document xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(queue.resolve("label-studio.xml").toFile());
    assertThat(xml.getElementsByTagName("Choices").getLength()).isEqualTo(2);
    assertThat(((org.w3c.dom.Element) xml.getElementsByTagName("Choices").item(1)).getAttribute("whenChoiceValue"))
        .isEqualTo("violating");

    Cli e = Cli.run("queue", "export", "--sample", dir.resolve("sample.jsonl").toString(), "--labels",
        dir.resolve("labels.jsonl").toString(), "--gold-design", dir.resolve("review.yaml").toString(), "--out",
        dir.resolve("shown").toString(), "--seed", "1", "--show-llm", "--policies",
        ReviewFixture.ROOT.resolve("policies").toString());
    assertThat(e.err()).isEmpty();
    JsonNode shown = Json.mapper().readTree(dir.resolve("shown/label-studio.json").toFile());
    for (JsonNode t : shown) {
      String unit = units.get(t.get("data").get("item").asText());
      assertThat(t.get("predictions").get(0).get("result").get(0).toString()).isEqualTo(
          "{\"from_name\":\"self_harm_1\",\"to_name\":\"content\",\"type\":\"choices\",\"value\":{\"choices\":[\""
              + (unit.equals("u1") ? "violating" : "safe") + "\"]}}");
    }
    assertThat(Files.readAllLines(dir.resolve("shown/queue.csv")).get(0)).endsWith(
        ",images,llm_decision,llm_category,llm_confidence");
  }

  @Test
  void should_read_a_label_studio_export_with_ids_emails_cancelled_and_foreign_controls() throws IOException {
    Cli r = importing(EXPORT.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    // q-0002 is a 1-1 tie (safe vs borderline; the third annotation was cancelled): adjudication.
    assertThat(Files.readAllLines(dir.resolve("gold.adjudication.csv"))).containsExactly(
        "item,unit,policy,candidates,votes,rater,decision,category",
        "q-0002," + units.get("q-0002") + ",self_harm@1,borderline|safe,borderline=1 safe=1,,,");
    // Until then q-0002 is left out, and the stratum's pi is the 2 resolved of 4 units.
    assertThat(Files.readAllLines(gold)).containsExactly(
        "{\"unit\":\"" + units.get("q-0001") + "\",\"policy\":\"self_harm@1\",\"decision\":\"violating\","
            + "\"positive\":true,\"category\":\"promotion\",\"method\":\"majority\",\"raters\":3,\"agreement\":0.666667,"
            + "\"phase2\":{\"stratum\":\"all\",\"pi\":0.5},\"item\":\"q-0001\"}",
        "{\"unit\":\"" + units.get("q-0003") + "\",\"policy\":\"self_harm@1\",\"decision\":\"safe\","
            + "\"positive\":false,\"method\":\"majority\",\"raters\":2,\"agreement\":1.0,"
            + "\"phase2\":{\"stratum\":\"all\",\"pi\":0.5},\"item\":\"q-0003\"}");
    List<String> answers = Files.readAllLines(dir.resolve("gold.answers.jsonl"));
    assertThat(answers).hasSize(7);
    assertThat(answers.get(1)).isEqualTo("{\"unit\":\"" + units.get("q-0001") + "\",\"policy\":\"self_harm@1\","
        + "\"rater\":\"ana@vendor.example\",\"decision\":\"violating\",\"category\":\"promotion\","
        + "\"at\":\"2026-11-30T10:02:00.000000Z\",\"honeypot\":false,\"item\":\"q-0001\"}");
    assertThat(r.out()).contains("1 ties left out of the gold until adjudicated");

    // The adjudicator decides the tie: all three units are gold, pi back to 3/4.
    Path adjudicated = dir.resolve("adjudicated.csv");
    Files.writeString(adjudicated, Files.readString(dir.resolve("gold.adjudication.csv"))
        .replace(",,,\r\n", ",lead,borderline,\r\n"));
    Cli a = Cli.run("queue", "import", "--queue", queue.toString(), "--out", gold.toString(), "--answers",
        EXPORT.toString(), "--adjudicated", adjudicated.toString());
    assertThat(a.err()).isEmpty();
    assertThat(gold()).hasSize(3).allSatisfy(g -> assertThat(g.get("phase2").get("pi").asDouble()).isEqualTo(0.75));
    assertThat(gold().get(1).toString()).contains("\"decision\":\"borderline\"", "\"adjudicated\":true",
        "\"agreement\":0.5");
  }

  @Test
  void should_read_the_returned_queue_csv_whose_content_spans_lines() throws IOException {
    String csv = Files.readString(queue.resolve("queue.csv"));
    // Every row's content has two components, i.e. three physical lines; fill in the decisions.
    String filled = csv.replace(",,,,,violating|borderline|safe", ",r1,safe,,,violating|borderline|safe");
    assertThat(filled).isNotEqualTo(csv);
    Path answers = dir.resolve("answers.csv");
    Files.writeString(answers, filled);
    Cli ok = importing(answers.toString());
    assertThat(ok.err()).isEmpty();
    assertThat(gold()).hasSize(3);
    // A bad decision on the third row: header line 1, rows start at lines 2, 5, 8.
    int third = filled.indexOf(",r1,safe,", filled.indexOf(",r1,safe,", filled.indexOf(",r1,safe,") + 1) + 1);
    Files.writeString(answers, filled.substring(0, third) + ",r1,maybe," + filled.substring(third + 9));
    Cli bad = importing(answers.toString());
    assertThat(bad.err()).isEqualTo(answers + ":8: decision: unknown decision \"maybe\" for policy self_harm@1"
        + " (decisions: violating, borderline, safe)\n");
  }

  private Cli csv(String... rows) throws IOException {
    Path answers = dir.resolve("answers.csv");
    Files.writeString(answers, String.join("\n", rows) + "\n");
    Files.deleteIfExists(gold);
    return importing(answers.toString());
  }

  private void assertError(Cli r, String line) {
    assertThat(r.err()).isEqualTo(line.replace("A:", dir.resolve("answers.csv") + ":") + "\n");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(gold).doesNotExist();
  }

  @Test
  void should_reject_bad_answers_with_one_line_each() throws IOException {
    assertError(csv("item,policy,rater,decision", "q-0099,self_harm@1,r1,safe"),
        "A:2: item: unknown item \"q-0099\": not in the queue");
    assertError(csv("unit,policy,rater,decision", "u77,self_harm,r1,safe"),
        "A:2: unit: unknown unit \"u77\": not in the queue");
    assertError(csv("item,policy,rater,decision", "q-0001,spam@1,r1,safe"),
        "A:2: policy: unknown policy \"spam@1\" (the queue reviews self_harm@1)");
    assertError(csv("item,policy,rater,decision", "q-0001,self_harm@1,r1,safe", "q-0002,self_harm@1,r1,maybe"),
        "A:3: decision: unknown decision \"maybe\" for policy self_harm@1 (decisions: violating, borderline, safe)");
    assertError(csv("item,policy,rater,decision,category", "q-0001,self_harm@1,r1,violating,spam"),
        "A:2: category: unknown category \"spam\" for policy self_harm@1 (categories: promotion, instructions,"
            + " graphic_depiction)");
    assertError(csv("item,policy,rater,decision", "q-0001,self_harm@1,r1,safe", "q-0002,self_harm@1,r1,safe",
        "q-0001,self_harm,r1,violating"),
        "A:4: rater: rater \"r1\" answered item q-0001 for policy self_harm@1 twice (first at A:2)");
    assertError(csv("item,policy,rater,decision", "q-0001,self_harm@1,r1,safe", "q-0002,self_harm@1,r1,"),
        "A: 2 answers are missing (first: item q-0002, policy self_harm@1); every item needs at least one answer"
            + " for every policy");
    assertError(csv("item,policy,decision", "q-0001,self_harm@1,safe"),
        "A:1: missing column \"rater\" (columns: item, policy, decision; needed: item or unit, policy, rater,"
            + " decision)");
    assertError(csv("item,policy,rater,decision", "q-0001,self_harm@1,,safe"), "A:2: rater: missing");
  }

  @Test
  void should_read_vendor_answers_given_as_0_1_or_true_false_through_a_decision_map() throws IOException {
    Path answers = dir.resolve("answers.csv");
    Files.writeString(answers, "item,policy,rater,decision\nq-0001,self_harm@1,r1,1\nq-0002,self_harm@1,r1,0\n"
        + "q-0003,self_harm@1,r1,FALSE\n");
    Cli unmapped = importing(answers.toString());
    assertError(unmapped, "A:2: decision: unknown decision \"1\" for policy self_harm@1 (decisions: violating,"
        + " borderline, safe); for answers given as 0/1 or true/false, map them: --decision-map 1=<decision>"
        + " --decision-map 0=<decision>");

    Cli mapped = importing(answers.toString(), "--decision-map", "1=violating", "--decision-map", "0=safe",
        "--decision-map", "false=safe");
    assertThat(mapped.err()).isEmpty();
    assertThat(mapped.code()).isEqualTo(ExitCode.OK);
    Map<String, String> decisions = new HashMap<>();
    for (JsonNode g : gold()) {
      decisions.put(g.get("unit").asText(), g.get("decision").asText());
    }
    assertThat(decisions).isEqualTo(Map.of(units.get("q-0001"), "violating", units.get("q-0002"), "safe",
        units.get("q-0003"), "safe"));

    Files.deleteIfExists(gold);
    Cli typo = importing(answers.toString(), "--decision-map", "1=violatng");
    assertThat(typo.err()).isEqualTo("--decision-map: 1=violatng: \"violatng\" is not a decision of the queue's"
        + " policies (decisions: violating, borderline, safe); did you mean \"violating\"?\n");
    assertThat(typo.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(importing(answers.toString(), "--decision-map", "1").err())
        .isEqualTo("--decision-map: expected VALUE=DECISION (e.g. 1=violating), found \"1\"\n");
  }

  @Test
  void should_locate_label_studio_problems_by_line_column_and_path() throws IOException {
    Path export = dir.resolve("export.json");
    Files.writeString(export, Files.readString(EXPORT).replace("\"choices\": [\"borderline\"]", "\"choices\": [\"meh\"]"));
    Cli r = importing(export.toString());
    assertThat(r.err()).isEqualTo(export + ":58:33: [1].annotations[2].result[1].value.choices: unknown decision"
        + " \"meh\" for policy self_harm@1 (decisions: violating, borderline, safe)\n");
    Files.writeString(export, Files.readString(EXPORT).replace("\"completed_by\": 9, \"was_cancelled\": false,"
        + " \"created_at\": \"2026-11-30T10:10", "\"was_cancelled\": false, \"created_at\": \"2026-11-30T10:10"));
    r = importing(export.toString());
    assertThat(r.err()).isEqualTo(export + ":74:7: [2].annotations[1].completed_by: missing; the rater who made the"
        + " annotation\n");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(gold).doesNotExist();
  }
}
