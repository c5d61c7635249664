package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.calibration.review.Answer;
import dev.plumb.calibration.review.Answers;
import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationInputTest {
  @TempDir Path dir;
  Path sample;
  Path manifest;
  Path labels;
  Path gold;

  private static final String LABELS = String.join("\n",
      "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"violating\",\"positive\":true,\"category\":\"promotion\",\"confidence\":0.9}",
      "{\"unit\":\"u2\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false,\"confidence\":0.8}",
      "{\"unit\":\"u3\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false}",
      "{\"unit\":\"u4\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"violating\",\"positive\":true}",
      "") ;

  private static final String GOLD = String.join("\n",
      "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"decision\":\"violating\",\"positive\":true,\"method\":\"majority\",\"raters\":3,\"agreement\":1,\"phase2\":{\"stratum\":\"llm_positive\",\"pi\":1}}",
      "{\"unit\":\"u2\",\"policy\":\"self_harm@3\",\"decision\":\"violating\",\"positive\":true,\"method\":\"majority\",\"raters\":3,\"agreement\":0.67,\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}}",
      "{\"unit\":\"u4\",\"policy\":\"self_harm@3\",\"decision\":\"safe\",\"positive\":false,\"method\":\"majority\",\"raters\":3,\"agreement\":1,\"phase2\":{\"stratum\":\"llm_positive\",\"pi\":1}}",
      "");

  @BeforeEach
  void write() throws IOException {
    sample = dir.resolve("sample.jsonl");
    manifest = dir.resolve("sample.json");
    labels = dir.resolve("labels.jsonl");
    gold = dir.resolve("gold.jsonl");
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"weight\":").append(i)
          .append(",\"components\":[{\"id\":\"t\",\"kind\":\"text\",\"text\":\"synthetic\"}],")
          .append("\"design\":{\"stratum\":\"all\",\"pi\":0.04}}\n");
    }
    Files.writeString(sample, s.toString());
    Files.writeString(manifest, "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"srs\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":100,\"weight\":250,\"n\":4}]}");
    Files.writeString(labels, LABELS);
    Files.writeString(gold, GOLD);
  }

  private String error(Map<String, Map<String, Boolean>> decisions) {
    try {
      CalibrationInput.read(sample, manifest, labels, gold, decisions);
    } catch (InputException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error");
  }

  @Test
  void reads_one_policy_with_its_two_phase_sample_and_judgements() {
    Map<String, PolicyData> data = CalibrationInput.read(sample, manifest, labels, gold, Map.of());
    assertThat(data).containsOnlyKeys("self_harm@3");
    PolicyData p = data.get("self_harm@3");
    assertThat(p.sample().goldSize()).isEqualTo(3);
    assertThat(p.sample().goldPositives()).isEqualTo(2);
    assertThat(p.sample().phase2Strata()).containsExactly("llm_positive", "llm_negative");
    assertThat(p.decisions()).containsEntry("violating", true).containsEntry("safe", false);
    // weight of u2 = exposure 2 × 1/0.04 × 1/0.5
    assertThat(p.judgements().get(1).weight()).isEqualTo(100.0);
    assertThat(p.judgements().get(0).confidence()).isEqualTo(0.9);
    assertThat(Calibration.estimate(p.sample(), CalibrationOptions.defaults()).estimates()).hasSize(8);
  }

  @Test
  void labels_for_a_unit_outside_the_sample_name_the_line() throws IOException {
    Files.writeString(labels, LABELS + "{\"unit\":\"u9\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false}\n");
    assertThat(error(Map.of())).isEqualTo(labels + ":5: unit: unit \"u9\" is not in the sample " + sample);
  }

  @Test
  void gold_for_a_unit_outside_the_sample_name_the_line() throws IOException {
    Files.writeString(gold, GOLD.replace("\"unit\":\"u4\"", "\"unit\":\"u7\""));
    assertThat(error(Map.of())).isEqualTo(gold + ":3: unit: unit \"u7\" is not in the sample " + sample);
  }

  @Test
  void a_policy_in_gold_but_not_in_labels_is_rejected() throws IOException {
    Files.writeString(gold, GOLD.replace("self_harm@3\",\"decision\":\"safe\"", "hate@1\",\"decision\":\"safe\""));
    assertThat(error(Map.of())).isEqualTo(gold + ":3: policy: policy hate@1 has no ok labels in " + labels);
  }

  @Test
  void a_gold_decision_the_labels_never_used_is_rejected() throws IOException {
    Files.writeString(gold, GOLD.replace("\"decision\":\"safe\"", "\"decision\":\"maybe\""));
    assertThat(error(Map.of())).isEqualTo(
        gold + ":3: decision: \"maybe\" is not a decision of policy self_harm@3 (known from the labels: safe, violating)");
  }

  @Test
  void decisions_outside_a_given_policy_map_are_rejected_in_labels_too() {
    Map<String, Map<String, Boolean>> decisions = Map.of("self_harm@3", Map.of("violating", true, "benign", false));
    assertThat(error(decisions)).isEqualTo(
        labels + ":2: decision: \"safe\" is not a decision of policy self_harm@3 (known: benign, violating)");
  }

  @Test
  void a_positive_flag_contradicting_the_decision_is_rejected() throws IOException {
    Files.writeString(gold, GOLD.replace("\"decision\":\"safe\",\"positive\":false", "\"decision\":\"safe\",\"positive\":true"));
    assertThat(error(Map.of())).isEqualTo(
        gold + ":3: positive: decision \"safe\" of policy self_harm@3 is not positive in earlier records, but positive is true");
  }

  @Test
  void phase2_inclusion_probabilities_must_be_present_and_in_zero_one() throws IOException {
    Files.writeString(gold, GOLD.replace("\"pi\":0.5", "\"pi\":1.5"));
    assertThat(error(Map.of())).isEqualTo(gold + ":2: phase2.pi: 1.5 is not in (0, 1]");
    Files.writeString(gold, GOLD.replace("\"pi\":0.5", "\"pi\":0"));
    assertThat(error(Map.of())).isEqualTo(gold + ":2: phase2.pi: 0 is not in (0, 1]");
    Files.writeString(gold, GOLD.replace(",\"pi\":0.5", ""));
    assertThat(error(Map.of())).isEqualTo(gold + ":2: phase2.pi: missing; the phase-2 inclusion probability is required");
    Files.writeString(gold, GOLD.replace(",\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}", ""));
    assertThat(error(Map.of())).isEqualTo(
        gold + ":2: phase2: missing; every gold record needs its phase-2 {stratum, pi} from the review queue");
  }

  @Test
  void phase1_inclusion_probabilities_out_of_range_are_rejected_by_the_sample_reader() throws IOException {
    Files.writeString(sample, Files.readString(sample).replaceFirst("\"pi\":0.04", "\"pi\":1.2"));
    assertThat(error(Map.of())).startsWith(sample + ":1: design.pi: ");
  }

  @Test
  void a_risk_score_outside_zero_one_names_the_sample_line_and_policy() throws IOException {
    Files.writeString(sample, Files.readString(sample).replaceFirst("\"weight\":2,", "\"weight\":2,\"scores\":{\"self_harm\":1.3},"));
    assertThat(error(Map.of())).isEqualTo(sample + ":2: scores.self_harm: must be a number in [0, 1], found 1.3");
  }

  @Test
  void the_policys_risk_scores_reach_the_two_phase_sample_by_policy_id() throws IOException {
    String lines = Files.readString(sample);
    for (int i = 1; i <= 4; i++) {
      lines = lines.replaceFirst("\"weight\":" + i + ",", "\"weight\":" + i + ",\"scores\":{\"self_harm\":0." + i
          + ",\"hate\":0.9},");
    }
    Files.writeString(sample, lines);
    TwoPhaseSample s = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3").sample();
    assertThat(s.score).containsExactly(0.1, 0.2, 0.3, 0.4);
    assertThat(s.scored()).isTrue();
    // a reviewed unit without one: no floor for the policy
    Files.writeString(sample, lines.replace("\"scores\":{\"self_harm\":0.2,\"hate\":0.9},", ""));
    s = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3").sample();
    assertThat(s.score[1]).isNaN();
    assertThat(s.scored()).isFalse();
  }

  @Test
  void every_sampled_unit_needs_an_llm_call() throws IOException {
    Files.writeString(labels, LABELS.replace("{\"unit\":\"u3\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false}",
        "{\"unit\":\"u3\",\"policy\":\"self_harm@3\",\"status\":\"failed\",\"error\":\"timeout\"}"));
    assertThat(error(Map.of())).isEqualTo(labels + ": policy self_harm@3: 1 sampled unit has no ok label (first: u3); "
        + "the corrected estimators need the LLM's call on every sampled unit");
  }

  @Test
  void answers_reader_rejects_a_rater_answering_twice() throws IOException {
    Path answers = dir.resolve("answers.jsonl");
    Files.writeString(answers, String.join("\n",
        "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"rater\":\"r07\",\"decision\":\"safe\",\"category\":null,\"at\":\"2026-11-25T10:00:00Z\",\"honeypot\":false}",
        "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"rater\":\"r08\",\"decision\":\"violating\",\"honeypot\":true}",
        ""));
    List<Answer> read = Answers.read(answers);
    assertThat(read).hasSize(2);
    assertThat(read.get(1).honeypot()).isTrue();
    Files.writeString(answers, Files.readString(answers)
        + "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"rater\":\"r07\",\"decision\":\"violating\"}\n");
    assertThatThrownBy(() -> Answers.read(answers)).hasMessage(
        answers + ":3: rater: rater \"r07\" answered unit \"u1\" for policy self_harm@3 twice (first on line 1)");
  }

  @Test
  void active_gold_keeps_each_units_pi_and_the_llm_probability_comes_from_its_confidence() throws IOException {
    Files.writeString(gold, GOLD.replace("\"llm_positive\",\"pi\":1}", "\"active\",\"pi\":0.9}")
        .replace("\"llm_negative\",\"pi\":0.5}", "\"active\",\"pi\":0.3}"));
    PolicyData p = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3");
    assertThat(p.sample().activeReview()).isTrue();
    assertThat(p.sample().phase2Strata()).containsExactly("active");
    // u1 positive at 0.9, u2 negative at 0.8 → 0.2, u3 and u4 without a confidence → their call
    assertThat(p.sample().prob).containsExactly(0.9, 1 - 0.8, 0, 1);
    assertThat(Calibration.estimate(p.sample(), CalibrationOptions.defaults()).recommendation().estimator())
        .isEqualTo(CorrectedEstimator.ACTIVE_AIPW);
  }

  @Test
  void gold_mixing_the_active_stratum_with_others_names_the_line() throws IOException {
    Files.writeString(gold, GOLD.replace("\"llm_negative\",\"pi\":0.5}", "\"active\",\"pi\":0.5}"));
    assertThat(error(Map.of())).isEqualTo(gold + ":2: phase2.stratum: policy self_harm@3 mixes the active "
        + "(confidence-driven) review stratum with llm_positive; a review is either confidence-driven or stratified");
  }
}
