package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.agreement.Agreement;
import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationInput;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedPrevalence;
import dev.plumb.calibration.corrected.PolicyData;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.quality.DecisionQuality;
import dev.plumb.calibration.quality.QualityReport;
import dev.plumb.calibration.review.Answer;
import dev.plumb.calibration.review.Answers;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import dev.plumb.pipeline.TwoPhaseFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
  @TempDir Path dir;
  TwoPhaseFixture f;
  Path out;

  @BeforeEach
  void fixture() {
    f = TwoPhaseFixture.write(dir, 11, 20_000, TwoPhaseFixture.SELF_HARM, TwoPhaseFixture.HATE);
    out = dir.resolve("report");
  }

  private Cli calibrate(String... extra) {
    List<String> args = new ArrayList<>(List.of("calibrate", "--sample", f.sample().toString(), "--labels",
        f.labels().toString(), "--gold", f.gold().toString(), "--out", out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private JsonNode reportJson() throws IOException {
    return Json.mapper().readTree(Files.readString(out.resolve("report.json")));
  }

  private static JsonNode policy(JsonNode report, String key) {
    for (JsonNode p : report.path("policies")) {
      if (p.path("policy").asText().equals(key)) {
        return p;
      }
    }
    throw new AssertionError("no policy " + key);
  }

  @Test
  void report_json_holds_the_libraries_numbers_for_every_estimator_quality_domain_and_agreement() throws IOException {
    Cli r = calibrate("--by", "surface", "--answers", f.answers().toString(), "--truth", f.truthFile().toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    JsonNode report = reportJson();
    assertThat(report.path("format").asText()).isEqualTo("plumb.report/1");
    Map<String, PolicyData> data = CalibrationInput.read(f.sample(), dir.resolve("sample.json"), f.labels(), f.gold(), Map.of());
    List<Answer> answers = Answers.read(f.answers());
    assertThat(report.path("policies")).hasSize(2);
    for (PolicyData p : data.values()) {
      JsonNode j = policy(report, p.policy());
      CorrectedPrevalence c = Calibration.estimate(p.sample(), CalibrationOptions.defaults());
      assertThat(j.path("gold_units").asInt()).isEqualTo(p.sample().goldSize());
      assertThat(j.path("gold_positives").asInt()).isEqualTo(p.sample().goldPositives());
      assertThat(j.path("headline").path("estimator").asText()).isEqualTo(c.recommendation().estimator().label());
      assertThat(j.path("headline").path("reason").asText()).isEqualTo(c.recommendation().reason());
      double truth = f.truth.get(p.policy().substring(0, p.policy().indexOf('@')));
      assertThat(j.path("truth").asDouble()).isEqualTo(truth);
      assertThat(j.path("estimators")).hasSize(c.estimates().size());
      for (int k = 0; k < c.estimates().size(); k++) {
        assertSame(j.path("estimators").get(k), c.estimates().get(k), truth);
      }
      QualityReport q = DecisionQuality.assess(p.judgements(), 0.95, 10);
      JsonNode wq = j.path("quality").path("weighted").path("overall");
      assertThat(wq.path("sensitivity").path("estimate").asDouble()).isEqualTo(q.weighted().overall().sensitivity().estimate());
      assertThat(wq.path("specificity").path("interval").path("lower").asDouble())
          .isEqualTo(q.weighted().overall().specificity().interval().lower());
      assertThat(wq.path("kappa").asDouble()).isEqualTo(q.weighted().overall().kappa());
      assertThat(j.path("quality").path("unweighted").path("overall").path("true_positive").asDouble())
          .isEqualTo(q.unweighted().overall().truePositive());
      assertThat(j.path("quality").path("unweighted").path("reliability").path("ece").asDouble())
          .isEqualTo(q.unweighted().reliability().ece());
      assertThat(j.path("quality").path("weighted").path("by_stratum").size()).isEqualTo(3);
      // domains: every surface, each equal to the library's domain estimate
      Map<String, boolean[]> domains = p.sample().phase1().domains("surface");
      assertThat(j.path("domains")).hasSize(domains.size());
      for (JsonNode d : j.path("domains")) {
        CorrectedPrevalence dc = Calibration.estimate(p.sample(), domains.get(d.path("value").asText()), CalibrationOptions.defaults());
        assertThat(d.path("attribute").asText()).isEqualTo("surface");
        assertSame(d.path("headline"), dc.headline(), Double.NaN);
      }
      // agreement over this policy's answers
      List<Rating> ratings = answers.stream().filter(a -> a.policy().equals(p.policy()))
          .map(a -> new Rating(a.unit(), a.rater(), a.decision())).toList();
      double fleiss = Agreement.summarize(Ratings.of(ratings, new TreeSet<>(p.decisions().keySet())), 0.95).fleissKappa();
      assertThat(j.path("raters").path("agreement").path("fleiss_kappa").asDouble()).isEqualTo(fleiss);
      assertThat(j.path("raters").path("accuracy_vs_gold")).hasSize(5);
      assertThat(j.path("gold").path("methods").path("majority").asInt()).isEqualTo(p.sample().goldSize());
      // the eight built-in rules and the gold-quality rule (majority gold of several raters: errors not measured)
      assertThat(j.path("signoff").path("checks")).hasSize(9);
      assertThat(j.path("signoff").path("checks").get(8).path("verdict").asText()).isEqualTo("WARN");
      // the decisions in the policy's order, with the positive/negative mapping
      assertThat(j.path("quality").path("weighted").path("confusion").path("positive")).hasSize(
          j.path("quality").path("weighted").path("confusion").path("decisions").size());
      assertThat(j.path("quality").path("weighted").path("agreement").path("exact").path("estimate").isNumber()).isTrue();
      assertThat(j.path("verdict").asText()).isEqualTo(j.path("signoff").path("verdict").asText());
    }
    JsonNode prov = report.path("provenance");
    assertThat(prov.path("inputs").path("sample").path("sha256").asText()).isEqualTo(Hashing.sha256(f.sample()));
    assertThat(prov.path("inputs").path("gold").path("sha256").asText()).isEqualTo(Hashing.sha256(f.gold()));
    assertThat(prov.path("inputs").path("truth").path("path").asText()).isEqualTo(f.truthFile().toString());
    assertThat(prov.path("sample").path("seed").asInt()).isEqualTo(7);
    assertThat(prov.path("labels").path("models").toString()).isEqualTo("[\"synthetic-llm\"]");
    assertThat(prov.path("labels").path("prompts").get(0).asText()).isEqualTo("sha256:" + "ab".repeat(32));
    assertThat(prov.path("labels").path("policies").path("self_harm@3").path("ok").asInt()).isEqualTo(700);
    assertThat(prov.path("plumb").asText()).startsWith("plumb ");
  }

  private static void assertSame(JsonNode j, Corrected c, double truth) {
    assertThat(j.path("estimator").asText()).isEqualTo(c.estimator().label());
    if (c instanceof Corrected.Estimated e) {
      assertThat(j.path("kind").asText()).isEqualTo("estimate");
      assertThat(j.path("estimate").asDouble()).isEqualTo(e.estimate());
      assertThat(j.path("se").asDouble()).isEqualTo(e.se());
      assertThat(j.path("interval").path("lower").asDouble()).isEqualTo(e.interval().lower());
      assertThat(j.path("interval").path("upper").asDouble()).isEqualTo(e.interval().upper());
      assertThat(j.path("effective_n").asDouble()).isEqualTo(e.effectiveN());
      if (!Double.isNaN(truth)) {
        assertThat(j.path("covers_truth").asBoolean()).isEqualTo(e.interval().contains(truth));
      }
    } else if (c instanceof Corrected.UpperBound u) {
      assertThat(j.path("kind").asText()).isEqualTo("upper_bound");
      assertThat(j.path("interval").path("upper").asDouble()).isEqualTo(u.bound().upper());
    } else {
      assertThat(j.path("kind").asText()).isEqualTo("not_estimable");
      assertThat(j.path("reason").asText()).isEqualTo(((Corrected.NotEstimable) c).reason());
    }
  }

  @Test
  void html_is_self_contained_and_shows_every_section() throws IOException {
    Cli r = calibrate("--by", "surface", "--answers", f.answers().toString(), "--truth", f.truthFile().toString());
    assertThat(r.code()).isZero();
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).startsWith("<!DOCTYPE html>");
    // no network: no URL of any scheme, no external resource, no script
    Matcher url = Pattern.compile("(?i)(https?:|ftp:|file:|//[a-z0-9])").matcher(html);
    assertThat(url.find()).as("URL at " + (url.find(0) ? html.substring(Math.max(0, url.start() - 60), url.start() + 40) : "")).isFalse();
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import")
        .doesNotContain(" src=");
    assertThat(html).contains("<style>", "<svg", "self_harm@3", "hate@2", "Every estimator on one axis", "Confusion matrix",
        "Reliability of the LLM", "By surface", "Fleiss", "Provenance", "truth ", "Sign-off checks");
    assertThat(html.split("<svg", -1).length - 1).isEqualTo(4); // per policy: intervals and reliability
    String md = Files.readString(out.resolve("report.md"));
    assertThat(md).startsWith("# Policy-violation prevalence: calibration and sign-off")
        .contains("| self_harm@3 |", "## hate@2 — ", "## Provenance");
  }

  @Test
  void prints_a_summary_and_says_where_the_report_is() {
    Cli r = calibrate("--truth", f.truthFile().toString());
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("policy").contains("verdict", "prevalence", "95% interval", "estimator", "gold", "llm-only")
        .endsWith("truth  covered");
    assertThat(lines.get(1)).startsWith("hate@2").matches(".*\\d%\\s+(yes|NO)$");
    assertThat(lines.get(2)).startsWith("self_harm@3");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("Wrote " + out.resolve("report.html") + " (and report.json, report.md); overall FAIL");
    assertThat(r.out()).contains("self_harm@3: rater agreement not measured");
  }

  @Test
  void strict_exits_1_on_fail_only() throws IOException {
    assertThat(calibrate().code()).isZero();
    assertThat(reportJson().path("verdict").asText()).isEqualTo("FAIL");
    assertThat(calibrate("--strict").code()).isEqualTo(ExitCode.CHECK_FAILED);
    Path lenient = dir.resolve("lenient.yaml");
    Files.writeString(lenient, String.join("\n",
        "min_gold: 100",
        "min_gold_positives: 5",
        "min_rater_kappa: off",
        "min_sensitivity: 0.01",
        "max_relative_half_width: 5",
        "max_llm_gap: 5",
        "max_ece: 0.5",
        "min_decision_agreement: 0.5",
        "max_gold_error_shift: off",
        ""));
    Cli pass = calibrate("--strict", "--signoff", lenient.toString());
    assertThat(pass.code()).isZero();
    JsonNode report = reportJson();
    assertThat(report.path("verdict").asText()).isEqualTo("PASS");
    assertThat(report.path("settings").path("signoff").path("min_rater_kappa").isNull()).isTrue();
    assertThat(report.path("settings").path("signoff").path("min_gold").path("fail").asDouble()).isEqualTo(100);
    assertThat(report.path("provenance").path("inputs").path("signoff").path("sha256").asText()).isEqualTo(Hashing.sha256(lenient));
    // one rule tightened: a warning does not fail --strict
    Files.writeString(lenient, Files.readString(lenient).replace("min_gold: 100", "min_gold: {warn: 100000, fail: 100}"));
    Cli warn = calibrate("--strict", "--signoff", lenient.toString());
    assertThat(warn.code()).isZero();
    assertThat(reportJson().path("verdict").asText()).isEqualTo("WARN");
  }

  @Test
  void zero_gold_positives_headline_an_upper_bound() throws IOException {
    // every reviewed self_harm unit judged safe
    StringBuilder gold = new StringBuilder();
    for (String line : Files.readAllLines(f.gold())) {
      if (line.contains("\"self_harm@3\"")) {
        gold.append(line.replace("\"decision\":\"violating\",\"positive\":true", "\"decision\":\"safe\",\"positive\":false")
            .replaceAll("\"category\":\"[a-z]+\"", "\"category\":null")).append('\n');
      }
    }
    Files.writeString(f.gold(), gold.toString());
    Cli r = calibrate();
    assertThat(r.code()).isZero();
    JsonNode p = policy(reportJson(), "self_harm@3");
    assertThat(p.path("gold_positives").asInt()).isZero();
    assertThat(p.path("headline").path("kind").asText()).isEqualTo("upper_bound");
    assertThat(p.path("headline").path("interval").path("one_sided").asBoolean()).isTrue();
    assertThat(p.path("headline").path("interval").path("upper").asDouble()).isGreaterThan(0);
    assertThat(p.path("verdict").asText()).isEqualTo("FAIL");
    assertThat(r.out()).contains("≤ ").contains("one-sided");
    assertThat(Files.readString(out.resolve("report.html"))).contains("(upper bound)");
  }

  private void assertBadInput(Cli r, String line) {
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(line + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  @Test
  void gold_for_a_unit_not_in_the_sample_is_one_line_and_writes_nothing() throws IOException {
    Files.writeString(f.gold(), Files.readString(f.gold()).replaceFirst("\"unit\":\"u-\\d+\"", "\"unit\":\"u-nowhere\""));
    assertBadInput(calibrate(), f.gold() + ":1: unit: unit \"u-nowhere\" is not in the sample " + f.sample());
  }

  @Test
  void phase2_pi_out_of_range_is_one_line() throws IOException {
    Files.writeString(f.gold(), Files.readString(f.gold()).replaceFirst("\"pi\":[0-9.E-]+", "\"pi\":1.5"));
    assertBadInput(calibrate(), f.gold() + ":1: phase2.pi: 1.5 is not in (0, 1]");
  }

  @Test
  void an_answer_with_an_unknown_decision_names_its_line() throws IOException {
    long lines = Files.readAllLines(f.answers()).size();
    Files.writeString(f.answers(), Files.readString(f.answers())
        + "{\"unit\":\"u-1\",\"policy\":\"self_harm@3\",\"rater\":\"r9\",\"decision\":\"maybe\"}\n");
    String unit = Files.readAllLines(f.sample()).get(0).replaceAll("^\\{\"id\":\"([^\"]+)\".*", "$1");
    Files.writeString(f.answers(), Files.readString(f.answers()).replace("\"unit\":\"u-1\",\"policy\":\"self_harm@3\",\"rater\":\"r9\"",
        "\"unit\":\"" + unit + "\",\"policy\":\"self_harm@3\",\"rater\":\"r9\""));
    assertBadInput(calibrate("--answers", f.answers().toString()), f.answers() + ":" + (lines + 1)
        + ": decision: \"maybe\" is not a decision of policy self_harm@3 (known: safe, violating)");
  }

  @Test
  void an_answer_for_a_unit_not_in_the_sample_names_its_line() throws IOException {
    Files.writeString(f.answers(), "{\"unit\":\"u-nowhere\",\"policy\":\"self_harm@3\",\"rater\":\"r1\",\"decision\":\"safe\"}\n"
        + Files.readString(f.answers()));
    assertBadInput(calibrate("--answers", f.answers().toString()),
        f.answers() + ":1: unit: unit \"u-nowhere\" is not in the sample");
  }

  @Test
  void a_bad_truth_file_is_one_line() throws IOException {
    Files.writeString(f.truthFile(), "{\"policies\":{\"self_harm\":{\"prevalence\":2}}}\n");
    assertBadInput(calibrate("--truth", f.truthFile().toString()),
        f.truthFile() + ": policies.self_harm.prevalence: expected a number in [0, 1], found 2");
    Files.writeString(f.truthFile(), "{\"prevalence\":0.1}\n");
    assertBadInput(calibrate("--truth", f.truthFile().toString()),
        f.truthFile() + ": policies: missing; expected {\"policies\":{\"<id>\":{\"prevalence\":p}}}");
    // the per-unit truth.jsonl lies beside truth.json and is what queue simulate takes
    Path perUnit = Files.writeString(dir.resolve("truth.jsonl"), "{\"unit\":\"u1\",\"policy\":\"self_harm\"}\n");
    assertBadInput(calibrate("--truth", perUnit.toString()), perUnit + ": --truth takes the prevalence per policy"
        + " (truth.json, {\"policies\":{\"<id>\":{\"prevalence\":p}}}), not the per-unit truth JSON Lines that plumb queue"
        + " simulate reads");
  }

  @Test
  void a_bad_signoff_file_and_a_missing_attribute_are_one_line() throws IOException {
    Path rules = dir.resolve("signoff.yaml");
    Files.writeString(rules, "min_gold: 100\nmax_gap: 0.2\n");
    assertBadInput(calibrate("--signoff", rules.toString()), rules + ":2:1: max_gap: unknown threshold (known: min_gold, "
        + "min_gold_positives, min_rater_kappa, min_sensitivity, max_relative_half_width, max_llm_gap, max_ece, "
        + "min_decision_agreement, max_gold_error_shift)");
    assertBadInput(calibrate("--by", "country"), f.sample() + ": no unit has the attribute \"country\" (--by country)");
    assertBadInput(calibrate("--interval", "bootstrap"),
        "--interval: bootstrap is not available for corrected estimators; use korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma");
    assertBadInput(calibrate("--confidence", "95"), "--confidence: must be between 0 and 1 (exclusive), found 95");
  }

  /** The sample with a risk score for self_harm on every unit, from its id (no other policy scored). */
  private void scoreSelfHarm() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(f.sample())) {
      int id = Integer.parseInt(line.replaceFirst("^\\{\"id\":\"u-(\\d+)\".*$", "$1"));
      b.append(line.replaceFirst(",\"attributes\"", ",\"scores\":{\"self_harm\":" + (0.05 + 0.9 * (id % 19) / 18.0)
          + "},\"attributes\"")).append('\n');
    }
    Files.writeString(f.sample(), b.toString());
  }

  private static JsonNode humanOnly(JsonNode report, String policy) {
    for (JsonNode e : policy(report, policy).path("estimators")) {
      if (e.path("estimator").asText().equals("human-only")) {
        return e;
      }
    }
    throw new AssertionError("no human-only for " + policy);
  }

  @Test
  void the_score_floor_is_on_by_default_where_every_reviewed_unit_has_a_score_and_no_score_floor_turns_it_off()
      throws IOException {
    assertThat(calibrate().code()).isZero();
    JsonNode before = reportJson();
    scoreSelfHarm();
    assertThat(calibrate().code()).isZero();
    JsonNode floored = reportJson();
    JsonNode details = humanOnly(floored, "self_harm@3").path("details");
    assertThat(details.has("variance_phase2_model")).isTrue();
    // the guard's verdict per review class is in the details (docs/report.md)
    assertThat(details.has("phase2_floor_classes")).isTrue();
    assertThat(details.path("variance_phase2").asDouble()).isEqualTo(Math.max(
        details.path("variance_phase2_linearised").asDouble(), details.path("variance_phase2_model").asDouble()));
    assertThat(details.path("variance_phase2_linearised").asDouble())
        .isEqualTo(humanOnly(before, "self_harm@3").path("details").path("variance_phase2").asDouble());
    // hate has no scores: no floor
    assertThat(humanOnly(floored, "hate@2")).isEqualTo(humanOnly(before, "hate@2"));
    // --score-floor is the default spelled out
    assertThat(calibrate("--score-floor").code()).isZero();
    assertThat(policy(reportJson(), "self_harm@3").path("estimators")).isEqualTo(policy(floored, "self_harm@3")
        .path("estimators"));
    // --no-score-floor: the scored sample gives the numbers of the unscored one
    Cli off = calibrate("--no-score-floor");
    assertThat(off.code()).isZero();
    JsonNode without = reportJson();
    for (String policy : List.of("self_harm@3", "hate@2")) {
      assertThat(policy(without, policy).path("estimators")).isEqualTo(policy(before, policy).path("estimators"));
    }
  }

  @Test
  void a_risk_score_outside_zero_one_is_one_line_and_writes_nothing() throws IOException {
    Files.writeString(f.sample(), Files.readString(f.sample()).replaceFirst(",\"attributes\"",
        ",\"scores\":{\"self_harm\":1.5},\"attributes\""));
    assertBadInput(calibrate(), f.sample() + ":1: scores.self_harm: must be a number in [0, 1], found 1.5");
  }

  @Test
  void interval_mover_wilson_changes_human_only_and_leaves_the_other_estimators_korn_graubard() throws IOException {
    Cli r = calibrate("--interval", "mover-wilson");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    JsonNode report = reportJson();
    assertThat(report.path("settings").path("interval").asText()).isEqualTo("korn-graubard");
    assertThat(report.path("settings").path("human_only_interval").asText()).isEqualTo("mover-wilson");
    CalibrationOptions mover = new CalibrationOptions(0.95, IntervalMethod.MOVER_WILSON, false, 50);
    for (PolicyData p : CalibrationInput.read(f.sample(), dir.resolve("sample.json"), f.labels(), f.gold(), Map.of()).values()) {
      CorrectedPrevalence c = Calibration.estimate(p.sample(), mover);
      for (JsonNode e : policy(report, p.policy()).path("estimators")) {
        Corrected expected = c.estimates().stream().filter(x -> x.estimator().label().equals(e.path("estimator").asText()))
            .findFirst().orElseThrow();
        assertSame(e, expected, Double.NaN);
        if (expected instanceof Corrected.Estimated est) {
          assertThat(e.path("interval").path("method").asText()).isEqualTo(est.interval().method());
          assertThat(est.interval().method().equals("mover-wilson")).isEqualTo(e.path("estimator").asText().equals("human-only"));
        }
      }
    }
    assertThat(Files.readString(out.resolve("report.html"))).contains("korn-graubard (human-only: mover-wilson)");
  }

  @Test
  void the_default_interval_is_kg_gamma_and_says_which_interval_each_number_came_from() throws IOException {
    Cli asked = calibrate("--interval", "kg-gamma");
    assertThat(asked.err()).isEmpty();
    String explicit = Files.readString(out.resolve("report.json"));
    Cli r = calibrate();
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(asked.out());
    JsonNode report = reportJson();
    assertThat(report.path("settings")).isEqualTo(Json.mapper().readTree(explicit).path("settings"));
    assertThat(report.path("settings").path("interval").asText()).isEqualTo("korn-graubard");
    assertThat(report.path("settings").path("human_only_interval").asText()).isEqualTo("kg-gamma");
    CalibrationOptions kgGamma = new CalibrationOptions(0.95, IntervalMethod.KG_GAMMA, false, 50);
    int humanOnly = 0;
    for (PolicyData p : CalibrationInput.read(f.sample(), dir.resolve("sample.json"), f.labels(), f.gold(), Map.of()).values()) {
      CorrectedPrevalence c = Calibration.estimate(p.sample(), kgGamma);
      for (JsonNode e : policy(report, p.policy()).path("estimators")) {
        Corrected expected = c.estimates().stream().filter(x -> x.estimator().label().equals(e.path("estimator").asText()))
            .findFirst().orElseThrow();
        assertSame(e, expected, Double.NaN);
        if (expected instanceof Corrected.Estimated est) {
          String method = e.path("interval").path("method").asText();
          assertThat(method).isEqualTo(est.interval().method());
          // gamma only for human-only (else Korn–Graubard), and then the note says why
          if (e.path("estimator").asText().equals("human-only")) {
            assertThat(method).isIn("korn-graubard", "gamma");
            assertThat(est.note().contains("the upper limit allows one more violation at")).isEqualTo(method.equals("gamma"));
            humanOnly++;
          } else {
            assertThat(method).isNotEqualTo("gamma");
          }
        }
      }
    }
    assertThat(humanOnly).isPositive();
    assertThat(Files.readString(out.resolve("report.html"))).contains("korn-graubard (human-only: kg-gamma)");
  }

  @Test
  void uses_the_answers_and_honeypot_scores_queue_import_writes_beside_the_gold() throws IOException {
    // plumb queue import writes gold.answers.jsonl (honeypot answers on units outside the sample included)
    Files.writeString(dir.resolve("gold.answers.jsonl"), Files.readString(f.answers())
        + "{\"unit\":\"hp-1\",\"policy\":\"self_harm@3\",\"rater\":\"r1\",\"decision\":\"violating\",\"honeypot\":true}\n");
    Files.writeString(dir.resolve("gold.raters.json"), String.join("\n",
        "{\"format\":\"plumb.raters/1\",\"level\":0.95,\"raters\":[",
        " {\"rater\":\"r1\",\"answers\":300,\"honeypots\":{\"answered\":12,\"correct\":12,\"accuracy\":1.0,",
        "  \"interval\":{\"method\":\"wilson\",\"lower\":0.7575,\"upper\":1.0},\"flagged\":false}},",
        " {\"rater\":\"r5\",\"answers\":280,\"honeypots\":{\"answered\":12,\"correct\":7,\"accuracy\":0.5833,",
        "  \"interval\":{\"method\":\"wilson\",\"lower\":0.3195,\"upper\":0.8067},\"flagged\":true,\"reason\":\"below the bar\"}},",
        " {\"rater\":\"r9\",\"answers\":3}",
        "]}", ""));
    Cli r = calibrate();
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    JsonNode report = reportJson();
    assertThat(report.path("notes").get(0).asText())
        .isEqualTo("rater answers read from " + dir.resolve("gold.answers.jsonl") + " beside the gold");
    assertThat(policy(report, "self_harm@3").path("raters").path("agreement").path("raters").asInt()).isEqualTo(5);
    assertThat(report.path("honeypots")).hasSize(2);
    assertThat(report.path("honeypots").get(1).path("rater").asText()).isEqualTo("r5");
    assertThat(report.path("honeypots").get(1).path("flagged").asBoolean()).isTrue();
    assertThat(report.path("honeypots").get(1).path("interval").path("lower").asDouble()).isEqualTo(0.3195);
    assertThat(report.path("provenance").path("inputs").path("raters").path("sha256").asText())
        .isEqualTo(Hashing.sha256(dir.resolve("gold.raters.json")));
    assertThat(Files.readString(out.resolve("report.html"))).contains("Raters on honeypots", "below the bar");
  }

  @Test
  void decisions_are_checked_against_the_policy_library() throws IOException {
    Path policies = Path.of("..", "policies").toAbsolutePath().normalize();
    assertBadInput(calibrate("--policies", policies.toString()), f.labels() + ":1: policy: policy self_harm@3 is not among the given "
        + "policies (adult_sexual@1, harassment@1, misinformation@1, self_harm@1, self_harm@2)");
    // the fixture's self_harm decisions are the library's self_harm@2 decisions
    for (Path file : List.of(f.labels(), f.gold())) {
      StringBuilder kept = new StringBuilder();
      for (String line : Files.readAllLines(file)) {
        if (line.contains("\"self_harm@3\"")) {
          kept.append(line.replace("self_harm@3", "self_harm@2")).append('\n');
        }
      }
      Files.writeString(file, kept.toString());
    }
    assertThat(calibrate("--policies", policies.toString()).code()).isZero();
    try (var files = Files.list(out)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(out);
    Files.writeString(f.gold(), Files.readString(f.gold()).replaceFirst("\"decision\":\"safe\"", "\"decision\":\"unsure\""));
    int line = 1 + (int) Files.readAllLines(f.gold()).stream().takeWhile(l -> !l.contains("\"unsure\"")).count();
    assertBadInput(calibrate("--policies", policies.toString()), f.gold() + ":" + line
        + ": decision: \"unsure\" is not a decision of policy self_harm@2 (known: borderline, safe, violating)");
  }

  @Test
  void a_truth_without_the_policy_is_a_note_not_an_error() throws IOException {
    Files.writeString(f.truthFile(), "{\"policies\":{\"self_harm\":{\"prevalence\":0.02}}}\n");
    Cli r = calibrate("--truth", f.truthFile().toString());
    assertThat(r.code()).isZero();
    JsonNode report = reportJson();
    assertThat(policy(report, "hate@2").path("truth").isNull()).isTrue();
    assertThat(report.path("notes").get(0).asText())
        .isEqualTo(f.truthFile() + " has no prevalence for policy hate: coverage of hate@2 is not checked");
  }
}
