package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading run files: defaults, paths, inline configurations and where their problems are reported. */
class RunFileTest {
  @TempDir Path dir;

  static final String RUN = """
      output: out
      input:
        units: data/units.jsonl
      sampling:
        seed: 3
        design: designs/srs.yaml
      review:
        design:
          type: stratified
          n: {llm_positive: 10}
        answers:
          files: [answers/a.csv, answers/b.csv]
      """;

  @Test
  void paths_are_relative_to_the_run_file_and_defaults_are_filled_in() {
    RunFile.Parsed p = RunFile.parse(RUN, "run.yaml", dir);
    RunFile r = p.run();
    assertThat(r.output()).isEqualTo(dir.resolve("out"));
    assertThat(r.input()).isEqualTo(new RunFile.UnitsFile(dir.resolve("data/units.jsonl")));
    assertThat(r.policies().dir()).isEqualTo(dir.resolve("policies"));
    assertThat(r.scoring().from()).isEqualTo("local");
    assertThat(r.labeler().backend()).isEqualTo("local");
    assertThat(r.sampling().design().file()).isEqualTo(dir.resolve("designs/srs.yaml"));
    assertThat(r.review().answers()).isEqualTo(
        new RunFile.Vendor(java.util.List.of(dir.resolve("answers/a.csv"), dir.resolve("answers/b.csv"))));
    assertThat(r.review().consensus()).isEqualTo("majority");
    // calibrate's defaults when report.interval and report.score_floor are not given
    assertThat(r.report().interval()).isEqualTo("kg-gamma");
    assertThat(r.report().scoreFloor()).isTrue();
    assertThat(p.truth().truthLabels()).isNull();
  }

  @Test
  void the_label_studio_image_mode_is_a_review_key_checked_at_load_and_slots_by_default() {
    // slots by default: list blanks or drops the images in every npm frontend build (docs/review.md)
    assertThat(RunFile.parse(RUN, "run.yaml", dir).run().review().labelStudioImages())
        .isEqualTo(dev.plumb.calibration.queue.LabelStudioImages.SLOTS);
    String list = RUN.replace("review:\n", "review:\n  label_studio_images: list\n");
    assertThat(RunFile.parse(list, "run.yaml", dir).run().review().labelStudioImages())
        .isEqualTo(dev.plumb.calibration.queue.LabelStudioImages.LIST);
    String grid = RUN.replace("review:\n", "review:\n  label_studio_images: grid\n");
    assertThatThrownBy(() -> RunFile.parse(grid, "run.yaml", dir))
        .hasMessage("run.yaml:8:24: review.label_studio_images: expected one of list, slots, got \"grid\"");
  }

  @Test
  void report_score_floor_false_is_calibrates_no_score_floor() {
    assertThat(RunFile.parse(RUN + "report:\n  score_floor: false\n", "run.yaml", dir).run().report().scoreFloor())
        .isFalse();
    assertThatThrownBy(() -> RunFile.parse(RUN + "report:\n  score_floor: maybe\n", "run.yaml", dir))
        .hasMessageStartingWith("run.yaml:14:16: report.score_floor:");
  }

  @Test
  void report_interval_is_one_of_calibrates_methods() {
    assertThat(RunFile.parse(RUN + "report:\n  interval: mover-wilson\n", "run.yaml", dir).run().report().interval())
        .isEqualTo("mover-wilson");
    assertThatThrownBy(() -> RunFile.parse(RUN + "report:\n  interval: mover\n", "run.yaml", dir))
        .hasMessage("run.yaml:14:13: report.interval: expected one of korn-graubard, logit, wilson, wald,"
            + " mover-wilson, gamma, kg-gamma, got \"mover\"");
  }

  @Test
  void an_inline_configuration_keeps_its_line_numbers_and_its_problems_move_back_into_the_run_file() throws Exception {
    SubConfig review = RunFile.parse(RUN, "run.yaml", dir).run().review().design();
    assertThat(review.isInline()).isTrue();
    Path file = review.materialize(dir.resolve("config"), "review");
    java.util.List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(8)).isEqualTo("type: stratified"); // line 9, as in the run file
    assertThat(lines.get(9)).isEqualTo("n: {llm_positive: 10}");
    assertThat(lines).hasSize(10);
    String said = file + ":10:4: n.llm_negative: missing\nsomething else\n";
    assertThat(review.relocate(said, file))
        .isEqualTo("run.yaml:10:8: review.design.n.llm_negative: missing\nsomething else\n");
    InputException moved = review.relocate(new InputException(
        dev.plumb.core.Problem.at(file.toString(), 9, 1, "type", "unknown design")), file);
    assertThat(moved.getMessage()).isEqualTo("run.yaml:9:5: review.design.type: unknown design");
  }

  @Test
  void moving_an_inline_configuration_in_the_run_file_does_not_change_its_fingerprint() {
    SubConfig before = RunFile.parse(RUN, "run.yaml", dir).run().review().design();
    SubConfig after = RunFile.parse("# a comment\n\n" + RUN, "run.yaml", dir).run().review().design();
    assertThat(after.inline()).isNotEqualTo(before.inline());
    assertThat(after.fingerprint()).isEqualTo(before.fingerprint());
    SubConfig edited = RunFile.parse(RUN.replace("llm_positive: 10", "llm_positive: 11"), "run.yaml", dir)
        .run().review().design();
    assertThat(edited.fingerprint()).isNotEqualTo(before.fingerprint());
  }

  @Test
  void vendor_answers_and_a_simulated_panel_exclude_each_other() {
    String both = RUN.replace("    files: [answers/a.csv, answers/b.csv]\n",
        "    files: [answers/a.csv]\n    simulate: {panel: p.yaml}\n");
    assertThatThrownBy(() -> RunFile.parse(both, "run.yaml", dir))
        .hasMessage("run.yaml:12:5: review.answers: needs exactly one of simulate: or files:");
  }

  @Test
  void a_wrong_type_and_a_bad_choice_name_the_value() {
    String bad = RUN + "labeler:\n  backend: opnai\n  rpm: fast\n";
    assertThatThrownBy(() -> RunFile.parse(bad, "run.yaml", dir))
        .hasMessage("run.yaml:14:12: labeler.backend: expected one of local, openai, langchain4j, got \"opnai\";"
            + " did you mean \"openai\"?\n"
            + "run.yaml:15:8: labeler.rpm: expected a number, got the string \"fast\"");
  }

  @Test
  void prompt_caching_is_on_unless_the_labeler_turns_it_off() {
    assertThat(RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: gpt-4.1-mini\n", "run.yaml", dir)
        .run().labeler().promptCache()).isTrue();
    assertThat(RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: gpt-4.1-mini\n  prompt_cache: false\n",
        "run.yaml", dir).run().labeler().promptCache()).isFalse();
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n  prompt_cache: sometimes\n",
        "run.yaml", dir))
        .hasMessageStartingWith("run.yaml:16:17: labeler.prompt_cache: expected true or false");
  }

  @Test
  void a_duplicate_key_is_an_error_not_a_silent_overwrite() {
    assertThatThrownBy(() -> RunFile.parse("output: a\noutput: b\n", "run.yaml", dir))
        .hasMessage("run.yaml:2:1: output: written twice (first at line 1)");
  }

  @Test
  void a_training_file_for_the_local_classifier_maps_keys_to_policies_and_a_bare_key_to_itself() {
    String run = RUN + "scoring:\n  train: past/reviewed.jsonl\n  map: [self_harm, SH=self_harm, S3=adult_sexual:minors]\n"
        + "labeler:\n  train: past/reviewed.jsonl\n  map: [self_harm]\n";
    RunFile r = RunFile.parse(run, "run.yaml", dir).run();
    assertThat(r.scoring().train()).isEqualTo(new RunFile.Training(dir.resolve("past/reviewed.jsonl"),
        java.util.List.of("self_harm=self_harm", "SH=self_harm", "S3=adult_sexual:minors")));
    assertThat(r.labeler().train().map()).containsExactly("self_harm=self_harm");
    assertThat(RunFile.parse(RUN, "run.yaml", dir).run().scoring().train()).isNull();
  }

  @Test
  void a_training_file_needs_a_map_the_local_classifier_and_well_formed_mappings() {
    assertThatThrownBy(() -> RunFile.parse(RUN + "scoring:\n  train: t.jsonl\n", "run.yaml", dir))
        .hasMessage("run.yaml:14:3: scoring.map: missing; train: needs the file's label keys and the policies they"
            + " label, e.g. [SH=self_harm]");
    assertThatThrownBy(() -> RunFile.parse(RUN + "scoring:\n  from: logs\n  train: t.jsonl\n  map: [SH=Self Harm]\n",
        "run.yaml", dir))
        .hasMessage("run.yaml:16:8: scoring.map: \"SH=Self Harm\" is not KEY=POLICY, KEY=POLICY:CATEGORY or KEY"
            + " (= KEY=KEY)\n"
            + "run.yaml:15:10: scoring.train: trains the local classifier, which scores only with from: local");
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n  map: [a]\n",
        "run.yaml", dir))
        .hasMessage("run.yaml:16:8: labeler.map: applies to train:, which is not given");
  }

  @Test
  void batch_labeling_is_read_for_openai_and_refused_where_plumb_has_no_batch_endpoint() {
    RunFile.Labeler l = RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n  batch: true\n", "run.yaml", dir)
        .run().labeler();
    assertThat(l.batch()).isTrue();
    assertThat(RunFile.parse(RUN, "run.yaml", dir).run().labeler().batch()).isFalse();
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  batch: true\n", "run.yaml", dir))
        .hasMessage("run.yaml:14:10: labeler.batch: --batch is not supported with --backend local: it has no batch"
            + " endpoint; label without --batch");
  }

  @Test
  void a_model_profile_and_scores_are_read_for_an_llm_backend_and_refused_for_local() {
    RunFile.Labeler l = RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n  profile: gpt-oss-safeguard:high\n"
        + "  scores: true\n", "run.yaml", dir).run().labeler();
    assertThat(l.profile().toString()).isEqualTo("gpt-oss-safeguard:high");
    assertThat(l.scores()).isTrue();
    RunFile.Labeler plain = RunFile.parse(RUN, "run.yaml", dir).run().labeler();
    assertThat(plain.profile()).isEqualTo(dev.plumb.labeler.profile.Profile.Choice.DEFAULT);
    assertThat(plain.scores()).isFalse();
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n  profile: llamaguard\n",
        "run.yaml", dir))
        .hasMessage("run.yaml:16:12: labeler.profile: unknown profile \"llamaguard\"; choose one of plumb,"
            + " gpt-oss-safeguard, llama-guard, shieldgemma");
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  profile: shieldgemma\n", "run.yaml", dir))
        .hasMessage("run.yaml:14:12: labeler.profile: the local backend answers in plumb's own format; a profile is for"
            + " an LLM backend");
  }

  @Test
  void score_recalibration_is_read_for_scored_labels_and_refused_without_them() {
    String scored = RUN + "labeler:\n  backend: openai\n  model: m\n  scores: true\n";
    assertThat(RunFile.parse(scored + "report:\n  recalibrate_scores: platt\n", "run.yaml", dir).run().report()
        .recalibrateScores()).isEqualTo(dev.plumb.calibration.scores.Recalibration.PLATT);
    assertThat(RunFile.parse(scored + "report:\n  recalibrate_scores: isotonic\n", "run.yaml", dir).run().report()
        .recalibrateScores()).isEqualTo(dev.plumb.calibration.scores.Recalibration.ISOTONIC);
    assertThat(RunFile.parse(RUN, "run.yaml", dir).run().report().recalibrateScores()).isNull();
    assertThatThrownBy(() -> RunFile.parse(scored + "report:\n  recalibrate_scores: isotonc\n", "run.yaml", dir))
        .hasMessage("run.yaml:18:23: report.recalibrate_scores: expected one of isotonic, platt, got \"isotonc\";"
            + " did you mean \"isotonic\"?");
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  backend: openai\n  model: m\n"
        + "report:\n  recalibrate_scores: platt\n", "run.yaml", dir))
        .hasMessage("run.yaml:17:23: report.recalibrate_scores: needs scores on the labels: set labeler.scores: true"
            + " (an LLM backend whose server returns log-probabilities)");
    assertThatThrownBy(() -> RunFile.parse(RUN + "labeler:\n  scores: true\n", "run.yaml", dir))
        .hasMessage("run.yaml:14:11: labeler.scores: the local backend gives no log-probabilities; scores are for an"
            + " LLM backend");
  }
}
