package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.estimate.Planner;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  @TempDir Path dir;

  /** Reference values: PlannerTest (R: ceiling(qnorm(0.975)^2 * 0.002 * 0.998 / 0.001^2) = 7668, qbeta(...)). */
  @Test
  void should_print_the_srs_plan_for_a_prevalence_and_an_absolute_half_width() {
    Cli r = Cli.run("plan", "--prevalence", "0.002", "--half-width", "0.001");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("""
        Plan: simple random sample, expected prevalence 0.2%, population unknown (no finite-population correction)
        Target: half-width ±0.1%, 95% confidence

                               planned
        sample size n          7,668
        expected positives     15.3
        expected SE            0.05102%
        expected half-width    ±0.1%
        design effect          1.00
        expected 95% interval  [0.1128%, 0.3279%]
        (expected interval: Korn-Graubard at the expected prevalence and effective sample size n/deff)
        """);
  }

  /** Reference values: PlannerTest.two_phase_human_labels_for_the_double_sampling_estimator (/usr/bin/python3). */
  @Test
  void should_plan_human_labels_for_an_llm_of_given_quality() {
    Cli r = Cli.run("plan", "--prevalence", "0.01", "--half-width", "0.2", "--relative", "--population", "5000000",
        "--sensitivity", "0.85", "--specificity", "0.98", "--llm-units", "20000");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("""
        Plan: simple random sample, expected prevalence 1%, population 5,000,000
        Target: half-width ±20% of the prevalence (±0.2%), 95% confidence
        """);
    assertThat(r.out()).endsWith("""
        Human labels, LLM sensitivity 0.85 and specificity 0.98; phase 1: 20,000 LLM-labeled units
          the LLM calls 2.83% of units positive; 30.04% of those violate, 0.1544% of the rest
          double sampling (review stratified by the LLM's decision): 2,909 human labels
            566 of LLM positives, 2,343 of LLM negatives; 173.6 gold positives expected; half-width ±0.2%
          human-only (SRS review, plumb calibrate's default headline): 9,508 human labels
        """);
    // n0 = 9507.7 with the fpc of N = 5e6: 9507.7 * N / (N - 1 + 9507.7) -> 9489.66..., ceiling 9490
    assertThat(r.out()).contains("sample size n          9,490\n");
  }

  @Test
  void should_plan_a_design_over_a_frame_with_the_frames_design_effect() throws IOException {
    Path frame = frame();
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: poisson\nn: 200\nsize: weight * score(self_harm)\nfloor: 0.05\n");
    Cli r = Cli.run("plan", "--frame", frame.toString(), "--design", design.toString(), "--half-width", "0.3",
        "--relative", "--json");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    JsonNode o = Json.mapper().readTree(r.out());

    PlanningFrame f = PlanningFrame.read(frame, DesignFile.read(design).design(), "self_harm");
    Planner.Target t = new Planner.Target(0, 0.3, true, 0.95);
    Planner.Plan planned = Planner.forFrame(t, f);
    Planner.Plan at200 = Planner.atDesignSize(t, f);
    Planner.Plan srs = Planner.forFrame(t, new Planner.Frame(f.weights(), f.scores()), new Planner.Design.Srs());
    assertThat(o.get("format").asText()).isEqualTo("plumb.plan/1");
    assertThat(o.get("frame").get("units").asInt()).isEqualTo(2000);
    assertThat(o.get("frame").get("policy").asText()).isEqualTo("self_harm");
    assertThat(o.get("prevalence").asDouble()).isEqualTo(planned.prevalence());
    assertThat(o.get("plan").get("design").asText()).isEqualTo("poisson");
    assertThat(o.get("plan").get("n").asInt()).isEqualTo(planned.n());
    assertThat(o.get("plan").get("deff").asDouble()).isEqualTo(planned.deff());
    assertThat(o.get("at_design_n").get("n").asInt()).isEqualTo(200);
    assertThat(o.get("at_design_n").get("se").asDouble()).isEqualTo(at200.se());
    assertThat(o.get("srs").get("n").asInt()).isEqualTo(srs.n());
    // the score lens pays: Poisson PPS on weight × score needs fewer units than SRS of the same frame
    assertThat(planned.n()).isLessThan(srs.n());
    assertThat(planned.halfWidth()).isLessThanOrEqualTo(0.3 * planned.prevalence());

    Cli text = Cli.run("plan", "--frame", frame.toString(), "--design", design.toString(), "--half-width", "0.3", "--relative");
    assertThat(text.out().replace(dir.toString(), "DIR")).startsWith(String.format(Locale.ROOT, """
        Plan: poisson design DIR/design.yaml over DIR/units.jsonl (2,000 units)
        size weight * score(self_harm) (floor 0.05; %,d units raised to it)
        self_harm scores read as probabilities: expected prevalence %s%%
        Target: half-width ±30%% of the prevalence (±%s%%), 95%% confidence
        """, f.floored(), Format.sig(100 * planned.prevalence()), Format.sig(30 * planned.prevalence())));
  }

  @Test
  void should_shift_uncalibrated_scores_to_the_expected_prevalence_or_say_they_are_read_as_probabilities() throws IOException {
    // Regression (issue 14, item 5): plan --frame took a classifier's scores as probabilities and
    // assumed 17.6% where the truth was 0.29%
    Path frame = frame();
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: poisson\nn: 200\nsize: weight * score(self_harm)\nfloor: 0.05\n");
    PlanningFrame f = PlanningFrame.read(frame, DesignFile.read(design).design(), "self_harm");
    Cli asIs = Cli.run("plan", "--frame", frame.toString(), "--design", design.toString(), "--half-width", "0.3",
        "--relative", "--json");
    JsonNode a = Json.mapper().readTree(asIs.out());
    assertThat(a.get("frame").get("implied_prevalence").asDouble()).isEqualTo(f.impliedPrevalence());
    assertThat(a.get("frame").get("shifted_to").isNull()).isTrue();
    assertThat(a.get("warnings").toString()).contains("scores.self_harm are read as probabilities and imply a prevalence of "
        + Format.sig(100 * f.impliedPrevalence()) + "%");

    Cli shifted = Cli.run("plan", "--frame", frame.toString(), "--design", design.toString(), "--half-width", "0.3",
        "--relative", "--prevalence", "0.003", "--json");
    assertThat(shifted.err()).isEmpty();
    JsonNode o = Json.mapper().readTree(shifted.out());
    assertThat(o.get("prevalence").asDouble()).isCloseTo(0.003, within(1e-9));
    assertThat(o.get("frame").get("shifted_to").asDouble()).isEqualTo(0.003);
    assertThat(o.get("frame").get("implied_prevalence").asDouble()).isEqualTo(f.impliedPrevalence());
    assertThat(o.get("warnings").toString()).doesNotContain("are read as probabilities");
    Planner.Plan planned = Planner.forFrame(new Planner.Target(0, 0.3, true, 0.95), f.withPrevalence(0.003));
    assertThat(o.get("plan").get("n").asInt()).isEqualTo(planned.n());
    // a rarer prevalence needs a larger sample for the same relative precision
    assertThat(planned.n()).isGreaterThan(a.get("plan").get("n").asInt());
    Cli text = Cli.run("plan", "--frame", frame.toString(), "--design", design.toString(), "--half-width", "0.3",
        "--relative", "--prevalence", "0.003");
    assertThat(text.out()).contains("self_harm scores shifted to the expected prevalence 0.3% (they imply "
        + Format.sig(100 * f.impliedPrevalence()) + "% as they are)");
  }

  @Test
  void should_say_in_one_line_what_is_wrong_with_the_input() throws IOException {
    Path frame = frame();
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: srs\nn: 100\n");
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "type: poisson\nn: 100\nsise: weight\n");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\":\"a\",\"scores\":{\"self_harm\":0.1}}\n{\"id\":\"b\",\"weight\":-1,\"scores\":{\"self_harm\":0.1}}\n");
    String f = frame.toString();
    String d = design.toString();
    assertError(new String[] {"plan", "--half-width", "0.01"},
        "--prevalence: missing; the expected prevalence (or plan over a frame with --frame and --design)");
    assertError(new String[] {"plan", "--prevalence", "1.5", "--half-width", "0.01"},
        "--prevalence: must be between 0 and 1 (exclusive), found 1.5");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "2"},
        "--half-width: must be in (0, 1), found 2 (for a half-width relative to the prevalence add --relative)");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "0.001", "--confidence", "95"},
        "--confidence: must be between 0 and 1 (exclusive), found 95");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "0.001", "--population", "1"},
        "--population: must be >= 2, found 1");
    assertError(new String[] {"plan", "--frame", f, "--half-width", "0.3", "--relative"},
        "--frame: needs --design (the design to plan over it)");
    assertError(new String[] {"plan", "--frame", f, "--design", d, "--prevalence", "1.5", "--half-width", "0.3"},
        "--prevalence: must be between 0 and 1 (exclusive), found 1.5");
    assertError(new String[] {"plan", "--frame", f, "--design", d, "--half-width", "0.3", "--relative"},
        "--policy: needed: " + d + " names no single policy whose score to read as the probability of violating");
    assertError(new String[] {"plan", "--frame", f, "--design", typo.toString(), "--half-width", "0.3", "--relative"},
        typo + ":3:1: sise: unknown option; did you mean \"size\"?");
    assertError(new String[] {"plan", "--frame", bad.toString(), "--design", d, "--policy", "self_harm", "--half-width", "0.3", "--relative"},
        bad + ":2: weight: must be a finite number >= 0, found -1");
    assertError(new String[] {"plan", "--frame", f, "--design", d, "--policy", "hate", "--half-width", "0.3", "--relative"},
        f + ":1: scores.hate: missing; the plan reads it as the unit's probability of violating hate");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "0.001", "--sensitivity", "0.9"},
        "--sensitivity: needs --specificity too (the LLM's quality)");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "0.001", "--sensitivity", "0.4", "--specificity", "0.5"},
        "--sensitivity: sensitivity + specificity must exceed 1 (an LLM no better than chance cannot stratify the review), found 0.9");
    assertError(new String[] {"plan", "--prevalence", "0.01", "--half-width", "0.001", "--llm-units", "1000"},
        "--llm-units: only applies to the human-label plan (add --sensitivity and --specificity)");
  }

  @Test
  void should_refuse_a_duplicate_unit_id_like_plumb_sample() throws IOException {
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: poisson\nn: 2\nsize: weight * score(self_harm)\n");
    Path dup = dir.resolve("dup.jsonl");
    Files.writeString(dup, "{\"id\":\"a\",\"scores\":{\"self_harm\":0.1}}\n{\"id\":\"b\",\"scores\":{\"self_harm\":0.2}}\n"
        + "\n{\"id\":\"c\",\"scores\":{\"self_harm\":0.3}}\n{\"id\":\"b\",\"scores\":{\"self_harm\":0.4}}\n");
    String line = dup + ":5: id: duplicate unit id \"b\" (first on line 2)";
    assertError(new String[] {"plan", "--frame", dup.toString(), "--design", design.toString(), "--half-width", "0.3",
        "--relative"}, line);
    // the same line as plumb sample's
    Cli sample = Cli.run("sample", "--frame", dup.toString(), "--design", design.toString(), "--out",
        dir.resolve("s/sample.jsonl").toString(), "--seed", "1");
    assertThat(sample.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(sample.err()).isEqualTo(line + System.lineSeparator());
  }

  private void assertError(String[] args, String line) {
    Cli r = Cli.run(args);
    assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(line + System.lineSeparator());
  }

  /** 2,000 units: weights 1..50, a self_harm score that is mostly small, two surfaces. */
  private Path frame() throws IOException {
    StringBuilder sb = new StringBuilder();
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      int w = 1 + (int) Math.floor(Math.pow(r.nextDouble(), 3) * 50);
      double s = Math.round(1000 * Math.pow(r.nextDouble(), 6)) / 1000.0;
      sb.append("{\"id\":\"u-").append(i).append("\",\"weight\":").append(w)
          .append(",\"attributes\":{\"surface\":\"").append(i % 3 == 0 ? "home" : "search")
          .append("\"},\"scores\":{\"self_harm\":").append(s).append("}}\n");
    }
    Path p = dir.resolve("units.jsonl");
    Files.writeString(p, sb);
    return p;
  }
}
