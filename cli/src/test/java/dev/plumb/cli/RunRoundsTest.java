package dev.plumb.cli;

import static dev.plumb.cli.RunCommandTest.copyTree;
import static dev.plumb.cli.RunCommandTest.stages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequential review inside {@code plumb run} (docs/run.md, "A review in rounds"): it stops at the
 * first round that meets the target and runs every round when none does, with the numbers that
 * {@code queue export --round}, {@code queue simulate}, {@code queue import}, {@code queue
 * merge-rounds} and {@code calibrate --round-queue} give by hand on the same files; with the vendor's
 * answers it pauses in each round and resumes there; a bad run file is one located line.
 */
class RunRoundsTest {
  @TempDir Path dir;
  Path run;
  Path out;

  // the run of fixtures/rounds/run.yaml (seconds): adult_sexual, the generator's most frequent policy. Without the
  // score floor (report.score_floor: false, calibrate --no-score-floor by hand): its labels call nothing, so the whole
  // review is one class whose gold holds enough violations for the guarded floor, which would widen round 2 past any
  // target this small example can meet (±130.6%; the last test checks that run)
  static final String RUN = """
      output: out
      input:
        generate: {interactions: 1500, seed: 3}
      policies:
        use: [adult_sexual]
      scoring:
        from: logs
      sampling:
        seed: 1
        design: {type: priority, n: 300, size: "weight * score(adult_sexual)"}
      review:
        design:
          type: stratified
          stratify_by: any_positive
          n: {llm_positive: 60, llm_negative: 240}
          overlap: 3
          rounds: 3
          target_half_width: TARGET
        seed: 5
        raters: review/raters.txt
        answers:
          simulate:
            panel: review/panel.yaml
      report:
        score_floor: false
      """;

  @BeforeEach
  void setUp() throws IOException {
    copyTree(Path.of("..", "policies"), dir.resolve("policies"));
    copyTree(Path.of("..", "prompts"), dir.resolve("prompts"));
    copyTree(Path.of("..", "fixtures", "review"), dir.resolve("review"));
    run = dir.resolve("run.yaml");
    out = dir.resolve("out");
  }

  @Test
  void should_stop_at_the_first_round_that_meets_the_target_and_run_every_round_when_none_does() throws IOException {
    Files.writeString(run, RUN.replace("TARGET", "0.9"));
    Cli easy = Cli.run("run", run.toString());
    assertThat(easy.code()).as(easy.err()).isEqualTo(ExitCode.OK);
    Map<String, String> s = stages(easy);
    assertThat(s.keySet()).containsSubsequence("label", "queue-r1", "answers-r1", "gold-r1", "look-r1", "queue-r2",
        "answers-r2", "gold-r2", "look-r2", "queue-r3", "answers-r3", "gold-r3", "look-r3", "report");
    assertThat(s).containsEntry("look-r2", "ran").containsEntry("queue-r3", "skipped").containsEntry("look-r3", "skipped");
    assertThat(easy.err()).contains("look-r3             skipped: not needed: round 2 met the target");
    assertThat(out.resolve("rounds/r3")).doesNotExist();
    String stop = "Sequential review, round 2 of 3: intervals at 98.33% (5% spread over 3 looks, Bonferroni"
        + " alpha-spending); worst relative half-width ±86.4% (adult_sexual@1); target ±90.0% met: stop here";
    String summary = stop + ". Reviewed 160 of the design's 240 units in 2 of 3 rounds.";
    assertThat(easy.out()).contains("98.33% interval", summary);
    JsonNode report = Json.read(out.resolve("report.json"));
    assertThat(report.path("settings").path("confidence").asDouble()).isEqualTo(1 - 0.05 * (4 / 9.0 - 1 / 9.0), offset());
    assertThat(report.path("notes").toString()).contains(summary);
    assertThat(byHand(2, "0.9")).contains(stop);
    sameNumbers(2);

    // nothing changed: nothing runs, and round 3 is still not needed
    Cli again = Cli.run("run", run.toString());
    assertThat(stages(again)).doesNotContainValue("ran");
    assertThat(again.out()).contains(summary);

    Files.writeString(run, RUN.replace("TARGET", "0.05"));
    Cli hard = Cli.run("run", run.toString());
    assertThat(hard.code()).as(hard.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(hard)).containsEntry("look-r3", "ran").containsEntry("report", "ran");
    String last = "Sequential review, round 3 of 3: intervals at 97.22% (5% spread over 3 looks, Bonferroni"
        + " alpha-spending); worst relative half-width ±71.0% (adult_sexual@1); target ±5.0% not met: that was the last round";
    assertThat(hard.out()).contains("97.22% interval", last + ". Reviewed 240 of the design's 240 units in 3 of 3 rounds.");
    assertThat(byHand(3, "0.05")).contains(last);
    sameNumbers(3);

    // back to the easy target: round 3 is not needed again, and nothing of it stays on disk
    Files.writeString(run, RUN.replace("TARGET", "0.9"));
    Cli back = Cli.run("run", run.toString());
    assertThat(back.code()).as(back.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(back)).containsEntry("look-r3", "skipped");
    assertThat(back.out()).contains(summary);
    assertThat(out.resolve("rounds/r3")).doesNotExist();
  }

  @Test
  void with_error_model_gold_each_look_fits_one_rater_model_over_every_rounds_answers() throws IOException {
    Files.writeString(run, RUN.replace("TARGET", "0.05").replace("  seed: 5\n", "  seed: 5\n  consensus: error-model\n"));
    Cli c = Cli.run("run", run.toString());
    assertThat(c.code()).as(c.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(c)).containsEntry("look-r3", "ran");
    for (int k = 1; k <= 3; k++) {
      // one model over rounds 1 … k: every reviewed unit so far overlapped (three raters each)
      JsonNode model = Json.read(out.resolve("rounds/r" + k + "/merged.raters.json")).path("error_model")
          .path("adult_sexual@1");
      assertThat(model.path("overlapped").asInt()).as("look %d", k).isEqualTo(80 * k);
      assertThat(Json.read(out.resolve("rounds/r" + k + "/gold.raters.json")).path("error_model").path("adult_sexual@1")
          .path("overlapped").asInt()).isEqualTo(80);
    }
    // the report reads the raters' Se/Sp from the merged raters file: no "no error_model was found" warning
    String report = Files.readString(out.resolve("report.json"));
    assertThat(report).doesNotContain("no error_model was found").contains("sensitivity");
    assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("no error_model was found");

    // a resumed run redoes what is missing, however little: look 2's merged raters file, look 3's
    // merged adjudication file, round 1's raters file (which look 1 … 3 read)
    String raters2 = Files.readString(out.resolve("rounds/r2/merged.raters.json"));
    String raters1 = Files.readString(out.resolve("rounds/r1/gold.raters.json"));
    Files.delete(out.resolve("rounds/r2/merged.raters.json"));
    Files.delete(out.resolve("rounds/r3/merged.adjudication.csv"));
    Files.delete(out.resolve("rounds/r1/gold.raters.json"));
    Cli again = Cli.run("run", run.toString());
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(again)).containsEntry("gold-r1", "ran").containsEntry("gold-r2", "skipped")
        .containsEntry("look-r1", "skipped").containsEntry("look-r2", "ran").containsEntry("look-r3", "ran");
    assertThat(out.resolve("rounds/r2/merged.raters.json")).hasContent(raters2);
    assertThat(out.resolve("rounds/r1/gold.raters.json")).hasContent(raters1);
    assertThat(out.resolve("rounds/r3/merged.adjudication.csv")).exists();
    // each record names its item as its round's queue does, with the round
    JsonNode last = Json.mapper().readTree(Files.readAllLines(out.resolve("rounds/r3/merged.jsonl")).get(0));
    assertThat(last.path("item").asText()).matches("q-\\d{4}");
    assertThat(last.path("round").asInt()).isBetween(1, 3);
  }

  @Test
  void an_active_design_is_refused_in_rounds_and_with_error_model_gold_is_one_import() throws IOException {
    String active = RUN.replace("    type: stratified\n    stratify_by: any_positive\n"
        + "    n: {llm_positive: 60, llm_negative: 240}\n", "    type: active\n    n: 90\n").replace("  seed: 5\n", "  seed: 5\n  consensus: error-model\n");
    Files.writeString(run, active.replace("TARGET", "0.3"));
    Cli rounds = Cli.run("run", run.toString());
    assertThat(rounds.code()).isEqualTo(ExitCode.BAD_INPUT);
    // h34 thought an active design in rounds went through the round code; it never gets that far
    assertThat(rounds.err()).isEqualTo(run + ":16:13: review.design.rounds: an active review design is drawn in one"
        + " round (Poisson sampling); review in rounds with a srs or stratified design\n");
    assertThat(out.resolve("rounds")).doesNotExist();

    // without rounds: one import, its error-model gold keeping each unit's own π2
    Files.writeString(run, active.replace("    rounds: 3\n    target_half_width: TARGET\n", ""));
    Cli once = Cli.run("run", run.toString());
    assertThat(once.code()).as(once.err()).isEqualTo(ExitCode.OK);
    List<String> gold = Files.readAllLines(out.resolve("gold.jsonl"));
    assertThat(gold).isNotEmpty().allMatch(l -> l.contains("\"stratum\":\"active\"") && l.contains("\"y_unbiased\""));
    assertThat(Json.read(out.resolve("gold.raters.json")).path("error_model").path("adult_sexual@1")
        .path("overlapped").asInt()).isEqualTo(gold.size());
  }

  @Test
  void with_the_vendors_answers_it_pauses_in_each_round_and_resumes_where_it_was() throws IOException {
    Files.writeString(run, RUN.replace("TARGET", "0.9").replace("    simulate:\n      panel: review/panel.yaml\n",
        "    files: [\"vendor/r{round}.csv\"]\n"));
    Cli first = Cli.run("run", run.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(first)).containsEntry("queue-r1", "ran").containsEntry("answers-r1", "ran")
        .doesNotContainKey("gold-r1");
    assertThat(first.out()).contains("paused: round 1 of 3: the review queue is ready in " + out.resolve("rounds/r1/queue")
        + "; send it to the reviewers and put their answers at " + dir.resolve("vendor/r1.csv")
        + ", then run the same command again to import them and go on from there");

    answer(1);
    Cli second = Cli.run("run", run.toString());
    assertThat(second.code()).as(second.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(second)).containsEntry("queue-r1", "skipped").containsEntry("gold-r1", "ran")
        .containsEntry("look-r1", "ran").containsEntry("queue-r2", "ran").doesNotContainKey("gold-r2");
    assertThat(second.out()).contains("paused: round 2 of 3: the review queue is ready in "
        + out.resolve("rounds/r2/queue") + "; send it to the reviewers and put their answers at "
        + dir.resolve("vendor/r2.csv"));

    // round 2's file arrives broken: the import fails, and what rounds 1 and 2 finished stays recorded
    Path r2 = dir.resolve("vendor/r2.csv");
    answer(2);
    List<String> good = Files.readAllLines(r2);
    List<String> broken = new ArrayList<>(good);
    broken.set(1, "q-9999" + broken.get(1).substring(broken.get(1).indexOf(',')));
    Files.write(r2, broken);
    Cli failed = Cli.run("run", run.toString());
    assertThat(failed.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(failed.err()).contains(r2 + ":2: item: ");
    assertThat(stages(failed)).containsEntry("answers-r2", "ran").containsEntry("gold-r2", "ran");
    Files.write(r2, good);
    Cli resumed = Cli.run("run", run.toString());
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(ExitCode.OK);
    assertThat(stages(resumed)).containsEntry("queue-r1", "skipped").containsEntry("gold-r1", "skipped")
        .containsEntry("look-r1", "skipped").containsEntry("queue-r2", "skipped").containsEntry("gold-r2", "ran")
        .containsEntry("look-r2", "ran").containsEntry("queue-r3", "skipped").containsEntry("report", "ran");
    // the vendor answered as the simulated panel does: the same numbers as the simulated run
    assertThat(resumed.out()).contains("Reviewed 160 of the design's 240 units in 2 of 3 rounds.",
        "target ±90.0% met: stop here");
  }

  /**
   * The same run with the guarded score floor (the default, h48): the review's one class holds enough gold violations
   * for its model to floor V2, so round 2's interval is ±130.6% instead of ±86.4% and the run goes on to round 3,
   * which meets ±90% at ±89.9%.
   */
  @Test
  void with_the_score_floor_round_two_is_wider_and_the_run_stops_a_round_later() throws IOException {
    Files.writeString(run, RUN.replace("TARGET", "0.9").replace("report:\n  score_floor: false\n", ""));
    Cli floored = Cli.run("run", run.toString());
    assertThat(floored.code()).as(floored.err()).isEqualTo(ExitCode.OK);
    assertThat(Json.read(out.resolve("rounds/r2/look.json")).path("status").asText())
        .contains("worst relative half-width ±130.6% (adult_sexual@1); target ±90.0% not met");
    assertThat(floored.out()).contains("worst relative half-width ±89.9% (adult_sexual@1); target ±90.0% met: stop"
        + " here. Reviewed 240 of the design's 240 units in 3 of 3 rounds.");
    JsonNode details = null;
    for (JsonNode e : Json.read(out.resolve("report.json")).path("policies").get(0).path("estimators")) {
      details = e.path("estimator").asText().equals("human-only") ? e.path("details") : details;
    }
    assertThat(details.path("phase2_floor_trusted.llm_negative").asDouble()).isEqualTo(1.0);
    assertThat(details.path("phase2_floored").asDouble()).isEqualTo(1.0);
  }

  @Test
  void a_run_file_with_rounds_and_no_target_or_a_vendor_file_for_all_rounds_is_one_line_each() throws IOException {
    Files.writeString(run, RUN.replace("    target_half_width: TARGET\n", "").replace(
        "    simulate:\n      panel: review/panel.yaml\n", "    files: [vendor/answers.csv]\n"));
    Cli r = Cli.run("run", run.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(run + ":17:13: review.design.rounds: plumb run reviews in rounds to stop once the numbers"
        + " are good enough: add target_half_width: (e.g. 0.3 stops once every policy's interval is within ±30% of its"
        + " estimate)\n"
        + run + ":21:13: review.answers.files[0]: the review design has 3 rounds, each answered in a file of its own: put"
        + " {round} in the name (e.g. answers/day1-r{round}.csv)\n");
    assertThat(out).doesNotExist();

    Files.writeString(run, RUN.replace("rounds: 3", "rounds: 0"));
    Cli zero = Cli.run("run", run.toString());
    assertThat(zero.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(zero.err()).isEqualTo(run + ":17:13: review.design.rounds: expected a whole number from 1 to 20, got 0\n");

    Files.writeString(run, RUN.replace("TARGET", "0.9").replace("  seed: 5\n", ""));
    Cli unseeded = Cli.run("run", run.toString());
    assertThat(unseeded.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(unseeded.err()).isEqualTo(run + ":17:13: review.design.rounds: every round must be drawn with the same"
        + " seed: give seed: here or review.seed:\n");

    Files.writeString(run, RUN.replace("TARGET", "0.9").replace("  seed: 5\n", "  seed: 5\n  adjudicated: review/raters.txt\n"));
    Cli adjudicated = Cli.run("run", run.toString());
    assertThat(adjudicated.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(adjudicated.err()).isEqualTo(run + ":20:16: review.adjudicated: a review in rounds imports each round on"
        + " its own; adjudicate a round's ties with plumb queue import --adjudicated, or leave them out (missing at random"
        + " within their stratum)\n");

    Files.writeString(run, RUN.replace("    rounds: 3\n    target_half_width: TARGET\n", "").replace(
        "    simulate:\n      panel: review/panel.yaml\n", "    files: [\"vendor/r{round}.csv\"]\n"));
    Cli once = Cli.run("run", run.toString());
    assertThat(once.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(once.err()).isEqualTo(run + ":20:13: review.answers.files[0]: {round} stands for a round, but the review"
        + " design has no rounds:\n");
  }

  /** Answers round k's queue as the panel would, into the vendor's file (with the time of each answer). */
  private void answer(int k) throws IOException {
    Path csv = dir.resolve("vendor/r" + k + ".csv");
    Files.createDirectories(csv.getParent());
    Cli s = Cli.run("queue", "simulate", "--queue", out.resolve("rounds/r" + k + "/queue").toString(), "--truth",
        out.resolve("logs/truth.jsonl").toString(), "--panel", dir.resolve("review/panel.yaml").toString(), "--out",
        csv.toString());
    assertThat(s.code()).as(s.err()).isEqualTo(ExitCode.OK);
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    for (int i = 1; i < lines.size(); i++) {
      lines.set(i, lines.get(i) + "2026-12-02T10:00:00Z");
    }
    Files.write(csv, lines);
  }

  /**
   * Rounds 1 … k by hand with the commands, on the run's sample, labels and review design: each
   * round's queue items, answers and gold are the run's, and so is the merged gold; returns what
   * {@code calibrate --round-queue} printed for round k.
   */
  private String byHand(int k, String target) throws IOException {
    Path hand = dir.resolve("hand-" + target);
    List<Path> golds = new ArrayList<>();
    StringBuilder answers = new StringBuilder();
    Path merged = null;
    for (int j = 1; j <= k; j++) {
      Path q = hand.resolve("q" + j);
      List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", out.resolve("sample.jsonl").toString(),
          "--labels", out.resolve("labels.jsonl").toString(), "--gold-design", out.resolve("config/review.yaml").toString(),
          "--raters", dir.resolve("review/raters.txt").toString(), "--policies", dir.resolve("policies").toString(),
          "--seed", "5", "--round", Integer.toString(j), "--out", q.toString()));
      if (j > 1) {
        args.add("--reviewed");
        golds.forEach(g -> args.add(g.toString()));
      }
      Cli e = Cli.run(args.toArray(String[]::new));
      assertThat(e.code()).as(e.err()).isEqualTo(ExitCode.OK);
      Path round = out.resolve("rounds/r" + j);
      assertThat(Json.read(q.resolve("queue.json")).path("items"))
          .isEqualTo(Json.read(round.resolve("queue/queue.json")).path("items"));
      Path a = hand.resolve("answers" + j + ".csv");
      Cli s = Cli.run("queue", "simulate", "--queue", q.toString(), "--truth", out.resolve("logs/truth.jsonl").toString(),
          "--panel", dir.resolve("review/panel.yaml").toString(), "--out", a.toString());
      assertThat(s.code()).as(s.err()).isEqualTo(ExitCode.OK);
      assertThat(a).hasSameTextualContentAs(round.resolve("answers.csv"));
      Path g = hand.resolve("gold" + j + ".jsonl");
      Cli i = Cli.run("queue", "import", "--answers", a.toString(), "--queue", q.toString(), "--out", g.toString());
      assertThat(i.code()).as(i.err()).isEqualTo(ExitCode.OK);
      assertThat(g).hasSameTextualContentAs(round.resolve("gold.jsonl"));
      golds.add(g);
      answers.append(Files.readString(hand.resolve("gold" + j + ".answers.jsonl")));
      merged = g;
    }
    if (k > 1) {
      merged = hand.resolve("gold.jsonl");
      List<String> args = new ArrayList<>(List.of("queue", "merge-rounds", "--out", merged.toString(), "--gold"));
      golds.forEach(g -> args.add(g.toString()));
      Cli m = Cli.run(args.toArray(String[]::new));
      assertThat(m.code()).as(m.err()).isEqualTo(ExitCode.OK);
      assertThat(merged).hasSameTextualContentAs(out.resolve("rounds/r" + k + "/merged.jsonl"));
    }
    Path all = hand.resolve("answers.jsonl");
    Files.writeString(all, answers);
    Cli c = Cli.run("calibrate", "--sample", out.resolve("sample.jsonl").toString(), "--labels",
        out.resolve("labels.jsonl").toString(), "--gold", merged.toString(), "--answers", all.toString(), "--truth",
        out.resolve("logs/truth.json").toString(), "--policies", dir.resolve("policies").toString(), "--out",
        hand.resolve("report").toString(), "--round-queue", hand.resolve("q" + k).toString(), "--no-score-floor");
    assertThat(c.code()).as(c.err()).isEqualTo(ExitCode.OK);
    return c.out();
  }

  /** The run's headline is {@code calibrate --round-queue}'s on the hand-made files, number for number. */
  private void sameNumbers(int k) {
    JsonNode run = Json.read(out.resolve("report.json")).path("policies").get(0).path("headline");
    JsonNode hand = Json.read(dir.resolve("hand-" + (k == 2 ? "0.9" : "0.05")).resolve("report/report.json"))
        .path("policies").get(0).path("headline");
    assertThat(run.path("estimate").asDouble()).isEqualTo(hand.path("estimate").asDouble());
    assertThat(run.path("interval")).isEqualTo(hand.path("interval"));
    assertThat(run.path("estimator")).isEqualTo(hand.path("estimator"));
  }

  private static org.assertj.core.data.Offset<Double> offset() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
