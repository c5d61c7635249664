package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.core.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb run} end to end on the stages every build has (policies, prompt, score, sample,
 * label), with the local backend: what a rerun skips and what it redoes.
 */
class RunCommandTest {
  @TempDir Path dir;
  Path run;

  private static final String[] TEXTS = {
    "cozy reading nook ideas", "chocolate chip cookie recipe", "how to repot a fiddle leaf fig",
    "hiking trails near the lake", "you are worthless and everyone hates you, just disappear",
    "tips to hide cuts on your arms so nobody asks", "weeknight pasta dinner", "diy bookshelf from pallets",
    "best running shoes for beginners", "nobody would miss you if you were gone",
  };

  @BeforeEach
  void setUp() throws IOException {
    copyTree(Path.of("..", "policies"), dir.resolve("policies"));
    copyTree(Path.of("..", "prompts"), dir.resolve("prompts"));
    StringBuilder units = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      units.append(String.format(Locale.ROOT,
          "{\"id\":\"u-%d\",\"weight\":%d,\"attributes\":{\"surface\":\"%s\"},\"components\":["
              + "{\"id\":\"query\",\"kind\":\"query\",\"text\":\"%s\"},"
              + "{\"id\":\"pin-%d\",\"kind\":\"pin\",\"text\":\"%s\"}]}%n",
          i, 1 + i % 7, i % 2 == 0 ? "search" : "home", TEXTS[i % TEXTS.length], i % 5, TEXTS[(i * 3 + 1) % TEXTS.length]));
    }
    Files.writeString(dir.resolve("units.jsonl"), units);
    run = dir.resolve("run.yaml");
    Files.writeString(run, """
        name: test
        output: out
        input:
          units: units.jsonl
        policies:
          use: [self_harm, harassment]
        sampling:
          seed: 7
          design:
            type: stratified
            n: 12
            policy: self_harm
            bins: [0, 0.5, 1]
        labeler:
          backend: local
        """);
  }

  @Test
  void a_first_run_does_every_stage_and_a_rerun_skips_them_all() throws IOException {
    Cli first = Cli.run("run", run.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(first)).containsExactly(
        Map.entry("policies", "ran"), Map.entry("prompt", "ran"), Map.entry("score", "ran"),
        Map.entry("sample", "ran"), Map.entry("label", "ran"));
    Path out = dir.resolve("out");
    assertThat(Files.readAllLines(out.resolve("sample.jsonl"))).hasSize(12);
    assertThat(Files.readAllLines(out.resolve("labels.jsonl"))).hasSize(24);
    assertThat(Files.readAllLines(out.resolve("scored.jsonl"))).hasSize(40);
    assertThat(first.out()).startsWith("5 stages ran, 0 skipped (unchanged), in ");
    Map<String, String> before = digests(out);

    Cli second = Cli.run("run", run.toString());
    assertThat(second.code()).as(second.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(second).values()).containsOnly("skipped");
    assertThat(second.out()).startsWith("0 stages ran, 5 skipped (unchanged), in ");
    assertThat(digests(out)).isEqualTo(before);
  }

  @Test
  void editing_the_training_file_retrains_and_relabels_from_scratch() throws IOException {
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < TEXTS.length; i++) {
      boolean sh = TEXTS[i].contains("cuts") || TEXTS[i].contains("miss you");
      train.append("{\"text\":\"").append(TEXTS[i]).append("\",\"SH\":").append(sh ? 1 : 0).append("}\n");
    }
    Files.writeString(dir.resolve("train.jsonl"), train);
    Files.writeString(run, Files.readString(run).replace("labeler:\n  backend: local\n",
        "scoring:\n  train: train.jsonl\n  map: [SH=self_harm]\nlabeler:\n  backend: local\n  train: train.jsonl\n"
            + "  map: [SH=self_harm]\n"));
    Cli first = Cli.run("run", run.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(first).values()).containsOnly("ran");

    // one label flipped: the models retrain, and every label comes from the new classifier
    Files.writeString(dir.resolve("train.jsonl"), train.toString().replaceFirst("\"SH\":0", "\"SH\":1"));
    Cli second = Cli.run("run", run.toString());
    assertThat(second.code()).as(second.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(second)).containsEntry("policies", "skipped").containsEntry("prompt", "skipped")
        .containsEntry("score", "ran").containsEntry("label", "ran");
    Path fresh = dir.resolve("fresh.yaml");
    Files.writeString(fresh, Files.readString(run).replace("output: out\n", "output: out-fresh\n"));
    assertThat(Cli.run("run", fresh.toString()).code()).isEqualTo(ExitCode.OK);
    assertThat(decisions(dir.resolve("out/labels.jsonl"))).isEqualTo(decisions(dir.resolve("out-fresh/labels.jsonl")));
    // and every label is the new classifier's: its score is the unit's score in the new scored frame
    // (a cached answer of the first classifier would not be)
    Map<String, Double> scores = new java.util.HashMap<>();
    dev.plumb.core.Jsonl.forEach(dir.resolve("out/scored.jsonl"), l -> l.node().get("scores").fields()
        .forEachRemaining(e -> scores.put(l.node().get("id").asText() + " " + e.getKey(), e.getValue().asDouble())));
    dev.plumb.core.Jsonl.forEach(dir.resolve("out/labels.jsonl"), l -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^score ([0-9.]+)").matcher(l.node().get("rationale").asText());
      assertThat(m.find()).isTrue();
      String id = l.node().get("policy").asText().replaceFirst("@.*", "");
      assertThat(Double.parseDouble(m.group(1))).as(l.node().toString())
          .isCloseTo(scores.get(l.node().get("unit").asText() + " " + id), org.assertj.core.data.Offset.offset(0.011));
    });

    Files.writeString(run, Files.readString(run).replace("  train: train.jsonl\n  map: [SH=self_harm]\n", "  train: none.jsonl\n  map: [SH=self_harm]\n"));
    Cli missing = Cli.run("run", run.toString());
    assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(missing.err()).contains(run + ": train: file not found: " + dir.resolve("none.jsonl"));
  }

  /** unit + policy → decision and confidence, from a labels file. */
  private static Map<String, String> decisions(Path labels) {
    Map<String, String> out = new java.util.TreeMap<>();
    dev.plumb.core.Jsonl.forEach(labels, l -> out.put(l.node().get("unit").asText() + " " + l.node().get("policy").asText(),
        l.node().get("decision").asText() + " " + l.node().get("confidence").asText()));
    return out;
  }

  @Test
  void editing_the_design_redoes_the_sample_and_what_reads_it() throws IOException {
    assertThat(Cli.run("run", run.toString()).code()).isEqualTo(ExitCode.OK);
    Files.writeString(run, Files.readString(run).replace("n: 12", "n: 10"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(r)).containsExactly(
        Map.entry("policies", "skipped"), Map.entry("prompt", "skipped"), Map.entry("score", "skipped"),
        Map.entry("sample", "ran"), Map.entry("label", "ran"));
    assertThat(Files.readAllLines(dir.resolve("out/sample.jsonl"))).hasSize(10);
  }

  @Test
  void editing_one_policy_redoes_what_depends_on_the_policies_only() throws IOException {
    assertThat(Cli.run("run", run.toString()).code()).isEqualTo(ExitCode.OK);
    Path harassment = dir.resolve("policies/harassment/v1.yaml");
    String text = Files.readString(harassment);
    assertThat(text).contains("title: Harassment and bullying\n");
    Files.writeString(harassment, text.replace("title: Harassment and bullying\n", "title: Harassment and bullying (edited)\n"));
    String prompt = Files.readString(dir.resolve("out/prompt.json"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    // the summary is in the prompt, not in the classifier's training texts: the scores, and so the
    // sample, come out the same, and only the prompt and the labels are redone
    assertThat(stages(r)).containsExactly(
        Map.entry("policies", "ran"), Map.entry("prompt", "ran"), Map.entry("score", "ran"),
        Map.entry("sample", "skipped"), Map.entry("label", "ran"));
    assertThat(Files.readString(dir.resolve("out/prompt.json"))).isNotEqualTo(prompt);
  }

  @Test
  void a_deleted_output_is_made_again_and_an_identical_result_skips_the_rest() throws IOException {
    assertThat(Cli.run("run", run.toString()).code()).isEqualTo(ExitCode.OK);
    Files.delete(dir.resolve("out/sample.jsonl"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(r)).containsExactly(
        Map.entry("policies", "skipped"), Map.entry("prompt", "skipped"), Map.entry("score", "skipped"),
        Map.entry("sample", "ran"), Map.entry("label", "skipped"));
  }

  @Test
  void an_unknown_field_is_one_located_line_with_a_suggestion() throws IOException {
    Files.writeString(run, Files.readString(run).replace("  backend: local", "  backend: local\n  modle: x"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(run + ":16:3: labeler.modle: unknown field; did you mean \"model\"?\n");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void a_problem_in_an_inline_design_is_reported_at_its_place_in_the_run_file() throws IOException {
    Files.writeString(run, Files.readString(run).replace("    bins: [0, 0.5, 1]", "    bins: [0, 0.5, 1]\n    alocation: neyman"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err().lines().filter(l -> !l.startsWith("[") && !l.startsWith("plumb run ")).toList())
        .containsExactly(run + ":14:5: sampling.design.alocation: unknown option; did you mean \"allocation\"?");
  }

  @Test
  void a_problem_in_an_inline_review_design_is_reported_at_its_place_in_the_run_file() throws IOException {
    copyTree(Path.of("..", "fixtures", "review"), dir.resolve("review"));
    Files.writeString(run, """
        output: chain
        input:
          generate: {interactions: 300, seed: 3}
        scoring:
          from: logs
        sampling:
          seed: 1
          design: {type: srs, n: 60}
        review:
          design:
            type: stratified
            stratify_by: any_positive
            n: {llm_positive: 10, llm_negative: 10}
            overlapp: 3
          raters: review/raters.txt
          answers:
            simulate:
              panel: review/panel.yaml
        """);
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
    // the queue stage reads the block as its own file, config/review.yaml; the problem is moved back
    // (the column and wording are the review design reader's: at the value, naming the options)
    assertThat(r.err().lines().filter(l -> !l.startsWith("[") && !l.startsWith("plumb run ")).toList())
        .singleElement().asString().startsWith(run + ":14:15: review.design.overlapp: unknown ");
  }

  @Test
  void missing_sections_are_all_reported_at_once() throws IOException {
    Files.writeString(run, "name: x\nlabeler:\n  backend: openai\n");
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err().lines().toList()).containsExactly(
        run + ":1:1: output: missing",
        run + ":1:1: input: missing (generate:, units_config: or units:)",
        run + ":1:1: sampling: missing (design:, seed:)",
        run + ":3:3: labeler.model: missing; backend openai needs a model");
  }

  @Test
  void the_whole_chain_runs_and_with_vendor_answers_it_pauses_after_the_queue_and_resumes() throws IOException {
    copyTree(Path.of("..", "fixtures", "review"), dir.resolve("review"));
    String chain = """
        output: chain
        input:
          generate: {interactions: 600, seed: 3}
        scoring:
          from: logs
        sampling:
          seed: 1
          design: {type: priority, n: 200, size: "weight * max(score(self_harm), score(harassment))"}
        review:
          design:
            type: stratified
            stratify_by: any_positive
            n: {llm_positive: 40, llm_negative: 40}
            overlap: 3
          # a review seed that once crashed the report: every pair agreed, κ came out a few ulps above 1,
          # and the clipped interval [1.0000000000000775, 1.0] was refused (Interval.clamped)
          seed: -946670565859523998
          raters: review/raters.txt
          answers:
            simulate:
              panel: review/panel.yaml
        report:
          by: [surface]
        """;
    Files.writeString(run, chain);
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(r).keySet()).containsExactly(
        "generate", "units", "policies", "prompt", "sample", "label", "queue", "answers", "gold", "report");
    assertThat(stages(r).values()).containsOnly("ran");
    Path out = dir.resolve("chain");
    assertThat(out.resolve("report.html")).isRegularFile();
    assertThat(r.out()).contains("report: " + out.resolve("report.html")).contains("truth").contains("sign-off: ");
    // the run's summary table names every active policy with its verdict
    assertThat(r.out().lines().filter(l -> l.matches("^(adult_sexual|harassment|misinformation|self_harm)@\\d+ .*")))
        .hasSize(4);

    // the same run with the vendor's answers instead: they are not there yet
    Path vendor = dir.resolve("vendor/answers.csv");
    Files.writeString(run, chain.replace("    simulate:\n      panel: review/panel.yaml\n", "    files: [vendor/answers.csv]\n"));
    Cli paused = Cli.run("run", run.toString());
    assertThat(paused.code()).as(paused.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(paused)).containsEntry("queue", "skipped").containsEntry("answers", "ran").doesNotContainKey("gold");
    assertThat(paused.out()).contains("paused: the review queue is ready in " + out.resolve("queue")
        + "; send it to the reviewers and put their answers at " + vendor
        + ", then run the same command again to import them and write the report");

    // the vendor's file: what the panel answered, with the time of each answer filled in
    Files.createDirectories(vendor.getParent());
    List<String> answers = new ArrayList<>(Files.readAllLines(out.resolve("answers.csv")));
    for (int i = 1; i < answers.size(); i++) {
      assertThat(answers.get(i)).endsWith(",");
      answers.set(i, answers.get(i) + "2026-12-02T10:00:00Z");
    }
    Files.write(vendor, answers);
    Cli resumed = Cli.run("run", run.toString());
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(resumed)).containsEntry("sample", "skipped").containsEntry("label", "skipped")
        .containsEntry("answers", "ran");
    assertThat(stages(resumed)).containsEntry("gold", "ran").containsEntry("report", "ran");
    assertThat(resumed.out()).contains("report: " + out.resolve("report.html"));
    assertThat(stages(Cli.run("run", run.toString())).values()).containsOnly("skipped");
  }

  /** Stage name → "ran" or "skipped", from the progress lines on stderr. */
  static Map<String, String> stages(Cli r) {
    Map<String, String> out = new LinkedHashMap<>();
    Pattern p = Pattern.compile("^\\[\\s*\\d+/\\d+\\] (\\S+)\\s+(.*)$");
    for (String line : r.err().lines().toList()) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        out.put(m.group(1), m.group(2).startsWith("skipped") ? "skipped" : "ran");
      }
    }
    return out;
  }

  private static Map<String, String> digests(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        out.put(dir.relativize(p).toString(), Hashing.sha256(p));
      }
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(from)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      Path t = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(t);
      } else {
        Files.copy(p, t);
      }
    }
  }
}
