package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gold records with the rater-error model's {@code p_positive} and {@code p_replicates}. */
class GoldProbabilityTest {
  /** Korn–Graubard everywhere (the default, kg-gamma, switches human-only where a class saw nothing). */
  private static final CalibrationOptions KG = CalibrationOptions.defaults().withInterval(IntervalMethod.KORN_GRAUBARD);

  @TempDir Path dir;
  Path sample;
  Path manifest;
  Path labels;
  Path gold;

  private static final String LABELS = String.join("\n",
      "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"violating\",\"positive\":true}",
      "{\"unit\":\"u2\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false}",
      "{\"unit\":\"u3\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"safe\",\"positive\":false}",
      "{\"unit\":\"u4\",\"policy\":\"self_harm@3\",\"status\":\"ok\",\"decision\":\"violating\",\"positive\":true}",
      "");

  private static String gold(String u1, String u2, String u4) {
    return String.join("\n",
        "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"decision\":\"violating\",\"positive\":true," + u1
            + "\"phase2\":{\"stratum\":\"llm_positive\",\"pi\":1}}",
        "{\"unit\":\"u2\",\"policy\":\"self_harm@3\",\"decision\":\"safe\",\"positive\":false," + u2
            + "\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}}",
        "{\"unit\":\"u4\",\"policy\":\"self_harm@3\",\"decision\":\"safe\",\"positive\":false," + u4
            + "\"phase2\":{\"stratum\":\"llm_positive\",\"pi\":1}}",
        "");
  }

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
  }

  /**
   * By hand: w = m·d1·d2 = 25, 100, 100 for u1, u2, u4; P̂ = (25·0.9 + 100·0.2)/225 = 0.18889.
   * V_gold over the two replicates: Σ c q^(b) = 30/225 and 55/225, variance (25/225)²/2 = 0.0061728.
   */
  @Test
  void should_use_each_units_probability_and_add_the_error_models_variance() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":0.9,\"p_replicates\":[0.8,1.0],",
        "\"p_positive\":0.2,\"p_replicates\":[0.1,0.3],", "\"p_positive\":0,\"p_replicates\":[0,0],"));
    PolicyData p = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3");
    assertThat(p.sample().hasErrorModel()).isTrue();
    assertThat(p.sample().goldPositives()).isEqualTo(1);
    Corrected.Estimated h = (Corrected.Estimated) Calibration.estimateOnly(p.sample(), CorrectedEstimator.HUMAN_ONLY,
        KG);
    assertThat(h.estimate()).isCloseTo(42.5 / 225, within(1e-15));
    assertThat(h.details().get("variance_gold_model")).isCloseTo(Math.pow(25.0 / 225, 2) / 2, within(1e-15));
    assertThat(h.se() * h.se()).isCloseTo(h.details().get("variance_phase1") + h.details().get("variance_phase2")
        + h.details().get("variance_gold_model"), within(1e-15));
    // the interval: Korn–Graubard on V1 + V2 (n* = P̂(1 − P̂)/(V1 + V2); 3 gold units in 2 review strata, df 1), widened by
    // V_gold in quadrature (MOVER; docs/calibration.md, "The interval with gold error")
    double p0 = 42.5 / 225;
    double vd = h.details().get("variance_phase1") + h.details().get("variance_phase2");
    double vg = h.details().get("variance_gold_model");
    double n = p0 * (1 - p0) / vd;
    Interval kg = IntervalMethod.KORN_GRAUBARD.interval(new Estimate(p0, Math.sqrt(vd), vd, 3, 3, 3, 1, 1, 225, n,
        3 / n, 3), 0.95);
    double z2 = 1.959963984540054 * 1.959963984540054;
    assertThat(h.interval().lower()).isCloseTo(Math.max(0, p0 - Math.sqrt(Math.pow(p0 - kg.lower(), 2) + z2 * vg)),
        within(1e-12));
    assertThat(h.interval().upper()).isCloseTo(Math.min(1, p0 + Math.sqrt(Math.pow(kg.upper() - p0, 2) + z2 * vg)),
        within(1e-12));
    assertThat(kg.upper()).isLessThan(1);
    // the calls alone: only u1 positive, 25/225
    Corrected.Estimated calls = (Corrected.Estimated) Calibration.estimateOnly(p.sample().withCalls(),
        CorrectedEstimator.HUMAN_ONLY, KG);
    assertThat(calls.estimate()).isCloseTo(25.0 / 225, within(1e-15));
    assertThat(calls.details()).doesNotContainKey("variance_gold_model");
  }

  /**
   * The unbiased gold, where the record has it, is what the estimators take: P̂ = (25·1.05 + 100·(−0.02)
   * + 100·0)/225 = 0.10778; V_gold from its replicates, Σ c g^(b) = (25·0.95 − 2)/225 and (25·1.15 − 2)/225,
   * variance (5/225)²/2.
   */
  @Test
  void should_use_the_unbiased_gold_where_the_record_has_it() throws IOException {
    Files.writeString(gold, gold(
        "\"p_positive\":0.9,\"p_replicates\":[0.8,1.0],\"y_unbiased\":1.05,\"y_replicates\":[0.95,1.15],",
        "\"p_positive\":0.01,\"p_replicates\":[0.01,0.01],\"y_unbiased\":-0.02,\"y_replicates\":[-0.02,-0.02],",
        "\"p_positive\":0,\"p_replicates\":[0,0],\"y_unbiased\":0,\"y_replicates\":[0,0],"));
    PolicyData p = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3");
    Corrected.Estimated h = (Corrected.Estimated) Calibration.estimateOnly(p.sample(), CorrectedEstimator.HUMAN_ONLY,
        KG);
    assertThat(h.estimate()).isCloseTo((25 * 1.05 - 100 * 0.02) / 225, within(1e-15));
    assertThat(h.details().get("variance_gold_model")).isCloseTo(Math.pow(5.0 / 225, 2) / 2, within(1e-15));
  }

  /**
   * y_variance, the answers' noise, adds Σ π1 π2 c² v to V_gold (docs/calibration.md, "The answers' noise in
   * the variance"): by hand, π1 = 0.04, c = 25/225 (u1, π2 = 1, v = 0.2) and 100/225 (u2, π2 = 0.5, v = 0.1).
   */
  @Test
  void should_add_the_answers_noise_left_out_by_the_finite_population_factors() throws IOException {
    Files.writeString(gold, gold(
        "\"p_positive\":0.9,\"p_replicates\":[0.8,1.0],\"y_unbiased\":1.05,\"y_replicates\":[0.95,1.15],\"y_variance\":0.2,",
        "\"p_positive\":0.01,\"p_replicates\":[0.01,0.01],\"y_unbiased\":-0.02,\"y_replicates\":[-0.02,-0.02],\"y_variance\":0.1,",
        "\"p_positive\":0,\"p_replicates\":[0,0],\"y_unbiased\":0,\"y_replicates\":[0,0],\"y_variance\":0,"));
    PolicyData p = CalibrationInput.read(sample, manifest, labels, gold, Map.of()).get("self_harm@3");
    Corrected.Estimated h = (Corrected.Estimated) Calibration.estimateOnly(p.sample(), CorrectedEstimator.HUMAN_ONLY,
        KG);
    double noise = 0.04 * 1 * Math.pow(25.0 / 225, 2) * 0.2 + 0.04 * 0.5 * Math.pow(100.0 / 225, 2) * 0.1;
    assertThat(h.details().get("variance_gold_model")).isCloseTo(Math.pow(5.0 / 225, 2) / 2 + noise, within(1e-15));
  }

  @Test
  void should_refuse_a_negative_answer_noise() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":0.9,\"y_unbiased\":1.05,\"y_variance\":-0.1,", "", ""));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":1: y_variance: -0.1 is negative; a variance is at least 0");
  }

  @Test
  void should_refuse_an_answer_noise_without_the_unbiased_gold() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":0.9,\"y_variance\":0.1,", "", ""));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":1: y_variance: given without y_unbiased");
  }

  @Test
  void should_refuse_unbiased_gold_replicates_that_do_not_match_the_probabilitys() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":0.9,\"p_replicates\":[0.8,1.0],\"y_unbiased\":1.05,\"y_replicates\":[1],",
        "", ""));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":1: y_replicates: 1 numbers, but p_replicates has 2; each replicate needs both");
  }

  @Test
  void should_name_the_line_and_field_of_a_bad_probability() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":1.2,", "", ""));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":1: p_positive: 1.2 is not a number in [0, 1]");
  }

  @Test
  void should_refuse_replicate_counts_that_differ_within_a_policy() throws IOException {
    Files.writeString(gold, gold("\"p_positive\":0.9,\"p_replicates\":[0.8,1.0],",
        "\"p_positive\":0.2,\"p_replicates\":[0.1],", "\"p_positive\":0,\"p_replicates\":[0,0],"));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":2: p_replicates: 1 replicates, but the first gold record of policy self_harm@3 has 2");
  }

  @Test
  void should_refuse_replicates_without_a_probability() throws IOException {
    Files.writeString(gold, gold("\"p_replicates\":[0.8,1.0],", "", ""));
    assertThatThrownBy(() -> CalibrationInput.read(sample, manifest, labels, gold, Map.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(gold + ":1: p_replicates: given without p_positive");
  }
}
