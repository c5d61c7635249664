package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.plumb.calibration.corrected.CalibrationInput;
import dev.plumb.calibration.corrected.PolicyData;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueCommandTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");

  @TempDir Path dir;

  private Cli export(ReviewFixture f, String... extra) {
    List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", REVIEW.resolve("review.yaml").toString(), "--out",
        dir.resolve("queue").toString(), "--raters", REVIEW.resolve("raters.txt").toString(), "--honeypots",
        REVIEW.resolve("honeypots.jsonl").toString(), "--seed", "5", "--policies",
        ReviewFixture.ROOT.resolve("policies").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void should_name_every_queue_command_when_none_is_given() {
    Cli missing = Cli.run("queue");
    assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
    // the list comes from the subcommands, so merge-rounds is named too
    assertThat(missing.err()).startsWith("plumb: missing command: export, simulate, import or merge-rounds\n");
  }

  @Test
  void should_name_the_option_of_a_value_it_cannot_read() {
    // the value is read before any file: Format.option turns the parser's complaint into one bad-input line
    Cli r = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue", dir.toString(),
        "--out", dir.resolve("gold.jsonl").toString(), "--consensus", "vote");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("--consensus: unknown consensus method \"vote\" (expected majority, dawid-skene or"
        + " error-model)\n");
  }

  @Test
  void should_round_trip_export_simulate_import_into_gold_that_calibration_reads() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    Cli e = export(f);
    assertThat(e.err()).isEmpty();
    assertThat(e.code()).isEqualTo(ExitCode.OK);
    Path queue = dir.resolve("queue");
    Cli s = Cli.run("queue", "simulate", "--queue", queue.toString(), "--truth", f.truth.toString(), "--panel",
        REVIEW.resolve("panel.yaml").toString(), "--out", dir.resolve("answers.csv").toString());
    assertThat(s.err()).isEmpty();
    assertThat(s.code()).isEqualTo(ExitCode.OK);
    Path gold = dir.resolve("gold.jsonl");
    Cli i = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue",
        queue.toString(), "--out", gold.toString());
    assertThat(i.err()).isEmpty();
    assertThat(i.code()).isEqualTo(ExitCode.OK);

    Map<String, PolicyData> data = CalibrationInput.read(f.sample, f.manifest, f.labels, gold, Map.of());
    assertThat(data.keySet()).containsExactly("harassment@1", "self_harm@1");
    // 60 of the LLM-positive units and 60 of the rest: pi = 60/N_g, or (60 - ties)/N_g for a
    // policy whose ties in the stratum await adjudication.
    Map<String, Integer> units = Map.of("llm_positive", f.llmPositive, "llm_negative", 300 - f.llmPositive);
    Map<String, String> stratumOfItem = new HashMap<>();
    Json.mapper().readTree(queue.resolve("queue.json").toFile()).get("items").forEach(it -> {
      if (!it.path("honeypot").asBoolean()) {
        stratumOfItem.put(it.get("item").asText(), it.get("stratum").asText());
      }
    });
    Map<String, Integer> ties = new HashMap<>();
    List<String> adjudication = Files.readAllLines(dir.resolve("gold.adjudication.csv"));
    assertThat(adjudication.get(0)).isEqualTo("item,unit,policy,candidates,votes,rater,decision,category");
    for (String row : adjudication.subList(1, adjudication.size())) {
      String[] cells = row.split(",");
      ties.merge(cells[2] + " " + stratumOfItem.get(cells[0]), 1, Integer::sum);
    }
    Map<String, Integer> perStratum = new HashMap<>();
    Jsonl.forEach(gold, line -> {
      JsonNode g = line.node();
      String key = g.get("policy").asText() + " " + g.get("phase2").get("stratum").asText();
      String stratum = g.get("phase2").get("stratum").asText();
      int reviewed = 60 - ties.getOrDefault(key, 0);
      assertThat(g.get("phase2").get("pi").asDouble()).isEqualTo(reviewed / (double) units.get(stratum));
      assertThat(stratumOfItem.get(g.get("item").asText())).isEqualTo(stratum);
      perStratum.merge(key, 1, Integer::sum);
    });
    for (String key : perStratum.keySet()) {
      assertThat(perStratum.get(key) + ties.getOrDefault(key, 0)).as(key).isEqualTo(60);
    }
    assertThat(perStratum).hasSize(4);
    int goldSelfHarm = perStratum.get("self_harm@1 llm_positive") + perStratum.get("self_harm@1 llm_negative");
    assertThat(data.get("self_harm@1").sample().goldSize()).isEqualTo(goldSelfHarm);
    JsonNode raters = Json.mapper().readTree(dir.resolve("gold.raters.json").toFile());
    assertThat(raters.get("raters")).hasSize(5);
    // The sloppy rater (sensitivity 0.55, specificity 0.70) is the one flagged on honeypots.
    List<String> flagged = new ArrayList<>();
    raters.get("raters").forEach(r -> {
      if (r.get("flagged").asBoolean()) {
        flagged.add(r.get("rater").asText());
      }
    });
    assertThat(flagged).containsExactly("r05");
    assertThat(raters.get("agreement").get("self_harm@1").get("gwet_ac1").asDouble()).isBetween(0.5, 1.0);
    // ... and its answers do not count: not in the consensus, not in the agreement the sign-off reads
    assertThat(raters.get("excluded")).containsExactly(TextNode.valueOf("r05"));
    assertThat(i.out()).contains("rater r05: honeypots", "FLAGGED", "; answers excluded",
        "excluded from consensus and agreement: r05 (all raters' fleiss: harassment@1 ");
    for (String policy : List.of("harassment@1", "self_harm@1")) {
      JsonNode retained = raters.get("agreement").get(policy);
      JsonNode all = raters.get("agreement_all").get(policy);
      assertThat(retained.get("raters").asInt()).isEqualTo(4);
      assertThat(all.get("raters").asInt()).isEqualTo(5);
      assertThat(retained.get("percent").asDouble()).as(policy).isGreaterThan(all.get("percent").asDouble());
      retained.get("pairs").forEach(pr -> assertThat(List.of(pr.get("a").asText(), pr.get("b").asText())).doesNotContain("r05"));
    }
    Jsonl.forEach(dir.resolve("gold.answers.jsonl"), line ->
        assertThat(line.node().path("excluded").asBoolean()).isEqualTo(line.node().get("rater").asText().equals("r05")));
    // three raters per item, two where r05 was one of them
    Jsonl.forEach(gold, line -> assertThat(line.node().get("raters").asInt()).isBetween(2, 3));
    Cli kept = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue",
        queue.toString(), "--out", dir.resolve("gold-kept.jsonl").toString(), "--keep-flagged");
    assertThat(kept.out()).contains("; answers kept (--keep-flagged)").doesNotContain("excluded from consensus");
    JsonNode keptRaters = Json.mapper().readTree(dir.resolve("gold-kept.raters.json").toFile());
    assertThat(keptRaters.get("excluded")).isEmpty();
    assertThat(keptRaters.has("agreement_all")).isFalse();
    assertThat(keptRaters.get("agreement").get("self_harm@1").get("raters").asInt()).isEqualTo(5);

    // Dawid-Skene on the same answers with r05 kept: every unit decided, and r05's estimated
    // sensitivity on self_harm (P(violating | violating)) is the lowest of the panel.
    Cli ds = Cli.run("queue", "import", "--answers", dir.resolve("answers.csv").toString(), "--queue",
        queue.toString(), "--out", dir.resolve("gold-ds.jsonl").toString(), "--consensus", "dawid-skene",
        "--keep-flagged");
    assertThat(ds.err()).isEmpty();
    assertThat(Files.readAllLines(dir.resolve("gold-ds.jsonl"))).allSatisfy(l ->
        assertThat(l).contains("\"method\":\"dawid-skene\"", "\"probability\":"));
    JsonNode confusion = Json.mapper().readTree(dir.resolve("gold-ds.raters.json").toFile())
        .get("dawid_skene").get("self_harm@1").get("confusion");
    double sloppy = confusion.get("r05").get("violating").get("violating").asDouble();
    for (String r : List.of("r01", "r02", "r03", "r04")) {
      assertThat(confusion.get(r).get("violating").get("violating").asDouble()).as(r).isGreaterThan(sloppy);
    }
    CalibrationInput.read(f.sample, f.manifest, f.labels, dir.resolve("gold-ds.jsonl"), Map.of());
  }

  @Test
  void should_say_when_the_honeypots_are_fewer_than_the_rate_asks_or_unused_without_a_rate() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    String design = Files.readString(REVIEW.resolve("review.yaml"));
    String pots = Files.readString(REVIEW.resolve("honeypots.jsonl"));
    Path file = dir.resolve("bad/honeypots.jsonl");

    Cli enough = exportWith(f, design, null, pots);
    assertThat(enough.out()).contains("120 sampled units, 12 honeypots").doesNotContain("notice");

    Cli few = exportWith(f, design.replace("honeypot_rate: 0.1 ", "honeypot_rate: 0.5 "), null, pots);
    assertThat(few.code()).isEqualTo(ExitCode.OK);
    assertThat(few.out()).contains("120 sampled units, 12 honeypots").contains(
        "notice: honeypot_rate 0.5 asks for 60 honeypots (120 reviewed units); " + file + " has 12: all 12 used\n");

    Cli unused = exportWith(f, design.replace("honeypot_rate: 0.1 ", ""), null, pots);
    assertThat(unused.code()).isEqualTo(ExitCode.OK);
    assertThat(unused.out()).contains("120 sampled units, 0 honeypots").contains("notice: honeypots " + file
        + " not used: the review design sets no honeypot_rate (honeypot_rate: 0.1 mixes in one per ten reviewed"
        + " units)\n");
  }

  @Test
  void should_export_label_studio_images_as_slots_by_default_since_the_list_tag_blanks_npm_frontends() throws Exception {
    // issue 18: <Image valueList="$images"/> blanks @heartexlabs/label-studio 1.4.0 and shows no image in
    // label-studio-frontend 1.7.1 (docs/review.md, "Label Studio setup"); slots render in both
    ReviewFixture f = new ReviewFixture(dir, 300);
    Cli r = export(f);
    assertThat(r.err()).isEmpty();
    org.w3c.dom.NodeList images = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve("queue/label-studio.xml").toFile()).getElementsByTagName("Image");
    assertThat(images.getLength()).isPositive();
    for (int i = 0; i < images.getLength(); i++) {
      org.w3c.dom.Element image = (org.w3c.dom.Element) images.item(i);
      assertThat(image.getAttribute("value")).isEqualTo("$image_" + (i + 1));
      assertThat(image.hasAttribute("valueList")).isFalse();
    }
    com.fasterxml.jackson.databind.JsonNode task = dev.plumb.core.Json.mapper()
        .readTree(dir.resolve("queue/label-studio.json").toFile()).get(0).get("data");
    assertThat(task.has("image_1")).isTrue();
    assertThat(task.has("images")).isTrue(); // the list is written in both modes
  }

  private Cli exportWith(ReviewFixture f, String design, String raters, String honeypots) throws IOException {
    Path d = f.write("bad/review.yaml", design);
    List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", d.toString(), "--out", dir.resolve("bad-queue").toString(), "--seed",
        "5", "--policies", ReviewFixture.ROOT.resolve("policies").toString()));
    if (raters != null) {
      args.addAll(List.of("--raters", f.write("bad/raters.txt", raters).toString()));
    }
    if (honeypots != null) {
      args.addAll(List.of("--honeypots", f.write("bad/honeypots.jsonl", honeypots).toString()));
    }
    return Cli.run(args.toArray(String[]::new));
  }

  private void assertBad(Cli r, String line) {
    assertThat(r.err()).isEqualTo(line.replace("DIR", dir.toString()) + "\n");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(dir.resolve("bad-queue")).doesNotExist();
  }

  @Test
  void should_reject_bad_export_input_with_one_line_each() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 30);
    String ok = "type: stratified\nn: {llm_positive: 3, llm_negative: 3}\n";
    assertBad(exportWith(f, "type: stratified\nn: {llm_positive: 3, llm_negative: 3}\noverlp: 2\n", null, null),
        "DIR/bad/review.yaml:3:9: overlp: unknown option (options: type, stratify_by, n, allocation, weight_classes,"
            + " classes_by, overlap, honeypot_rate, rater_bar, seed, rounds, target_half_width, floor)");
    assertBad(exportWith(f, "type: stratified\nn: {llm_positive: 3, llm_negative: 3}\nweight_classes: 0\n", null, null),
        "DIR/bad/review.yaml:3:17: weight_classes: expected a whole number from 1 (no weight classes) to 20, found 0");
    assertBad(exportWith(f, "type: stratified\nn: {llm_positive: 3, llm_negative: 0}\n", null, null),
        "n.llm_negative: stratum llm_negative has " + (30 - f.llmPositive) + " sampled units but n is 0; every unit"
            + " needs a phase-2 inclusion probability above 0, so review at least one");
    assertBad(exportWith(f, "type: srs\nn: 5\nstratify_by: self_harm\n", null, null),
        "DIR/bad/review.yaml:3:14: stratify_by: only a stratified review design has strata");
    assertBad(exportWith(f, "type: stratified\nstratify_by: spam\nn: {llm_positive: 3, llm_negative: 3}\n", null,
        null), "stratify_by: policy \"spam\" has no labels in DIR/labels.jsonl (policies: harassment@1, self_harm@1)");
    assertBad(exportWith(f, ok + "overlap: 3\n", "r1\nr2\n", null),
        "overlap: 3 raters per item, but the rater list has only 2");
    assertBad(exportWith(f, ok, "r1\n# lead\nr1\n", null), "DIR/bad/raters.txt:3: rater \"r1\" listed twice (first on line 1)");
    assertBad(exportWith(f, ok + "honeypot_rate: 0.5\n", null, null),
        "honeypot_rate: 0.5 needs honeypots; pass --honeypots FILE (or set honeypot_rate: 0)");
    String pot = "{\"id\":\"u-3\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"x\"}],"
        + "\"known\":{\"self_harm\":\"safe\",\"harassment\":\"safe\"}}\n";
    assertBad(exportWith(f, ok + "honeypot_rate: 0.5\n", null, pot),
        "DIR/bad/honeypots.jsonl:1: id: honeypot \"u-3\" is also a unit of the sample DIR/sample.jsonl");
    assertBad(exportWith(f, ok, null, pot.replace("u-3", "hp-1").replace(",\"harassment\":\"safe\"", "")),
        "DIR/bad/honeypots.jsonl:1: known: no known answer for policy harassment; a honeypot needs one for every"
            + " policy the queue reviews");
    assertBad(exportWith(f, ok, null, pot.replace("u-3", "hp-1").replace("\"harassment\":\"safe\"",
        "\"harassment\":\"mean\"")), "DIR/bad/honeypots.jsonl:1: known.harassment: \"mean\" is not a decision of"
            + " policy harassment@1 (violating, borderline, safe)");
    Files.writeString(f.labels, Files.readString(f.labels) + "{\"unit\":\"u-99\",\"policy\":\"self_harm@1\","
        + "\"status\":\"failed\",\"error\":\"timeout\"}\n");
    assertBad(exportWith(f, ok, null, null), "DIR/labels.jsonl:61: unit: unit \"u-99\" is not in the sample"
        + " DIR/sample.jsonl");
    List<String> labels = new ArrayList<>(Files.readAllLines(f.labels));
    labels.remove(labels.size() - 1);
    labels.set(2, "{\"unit\":\"u-2\",\"policy\":\"self_harm@1\",\"status\":\"failed\",\"error\":\"timeout\"}");
    Files.write(f.labels, labels);
    assertBad(exportWith(f, ok, null, null), "DIR/labels.jsonl: policy self_harm@1: 1 sampled unit has no ok label"
        + " (first: u-2); the review subsample is drawn given the LLM's call on every sampled unit");
  }

  @Test
  void should_reject_answers_from_raters_outside_the_queue_or_the_assignment() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 60);
    assertThat(export(f).code()).isEqualTo(ExitCode.OK);
    JsonNode first = Json.mapper().readTree(dir.resolve("queue/queue.json").toFile()).get("items").get(0);
    List<String> assigned = new ArrayList<>();
    first.get("raters").forEach(r -> assigned.add(r.asText()));
    String outsider = List.of("r01", "r02", "r03", "r04", "r05").stream().filter(r -> !assigned.contains(r))
        .findFirst().orElseThrow();
    String item = first.get("item").asText();
    Path answers = f.write("answers.csv", "item,policy,rater,decision\n" + item + ",self_harm@1,r09,safe\n");
    Cli r = Cli.run("queue", "import", "--answers", answers.toString(), "--queue", dir.resolve("queue").toString(),
        "--out", dir.resolve("gold.jsonl").toString());
    assertThat(r.err()).isEqualTo(answers + ":2: rater: unknown rater \"r09\" (the queue's raters: r01, r02, r03,"
        + " r04, r05)\n");
    Files.writeString(answers, "item,policy,rater,decision\n" + item + ",self_harm@1," + outsider + ",safe\n");
    r = Cli.run("queue", "import", "--answers", answers.toString(), "--queue", dir.resolve("queue").toString(),
        "--out", dir.resolve("gold.jsonl").toString());
    assertThat(r.err()).isEqualTo(answers + ":2: rater: rater \"" + outsider + "\" was not assigned item " + item
        + " (assigned: " + String.join(", ", assigned) + ")\n");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    Cli s = Cli.run("queue", "simulate", "--queue", dir.resolve("queue").toString(), "--truth",
        f.write("truth-empty.jsonl", "").toString(), "--panel", REVIEW.resolve("panel.yaml").toString(), "--out",
        dir.resolve("answers-sim.csv").toString());
    assertThat(s.err()).startsWith(dir.resolve("truth-empty.jsonl") + ": no truth for unit \"");
    assertThat(s.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(dir.resolve("answers-sim.csv")).doesNotExist();
  }
}
