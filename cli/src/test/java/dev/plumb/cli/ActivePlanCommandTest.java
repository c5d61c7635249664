package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.queue.ActiveReviewPlan;
import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.ReviewPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb plan --review-budget N} for a {@code type: active} review design (docs/review.md, "Planning a
 * confidence-driven review"): {@link ReviewFixture}'s sample with risk scores added, planned as a
 * confidence-driven review.
 */
class ActivePlanCommandTest {
  @TempDir Path dir;

  /** The fixture with scores: the LLM's probability of a positive, shrunk towards 5% (a score and a call disagree). */
  private ReviewFixture scored() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    ObjectMapper json = new ObjectMapper();
    Map<String, ObjectNode> scores = new HashMap<>();
    for (String line : Files.readAllLines(f.labels)) {
      JsonNode l = json.readTree(line);
      double c = l.get("confidence").asDouble();
      double prob = l.get("positive").asBoolean() ? c : 1 - c;
      scores.computeIfAbsent(l.get("unit").asText(), u -> json.createObjectNode())
          .put(l.get("policy").asText().replace("@1", ""), Math.round((0.05 + 0.8 * prob) * 1e4) / 1e4);
    }
    StringBuilder s = new StringBuilder();
    for (String line : Files.readAllLines(f.sample)) {
      ObjectNode u = (ObjectNode) json.readTree(line);
      u.set("scores", scores.get(u.get("id").asText()));
      s.append(json.writeValueAsString(u)).append('\n');
    }
    Files.writeString(f.sample, s);
    return f;
  }

  private static Cli plan(ReviewFixture f, Path design, String budget) {
    return Cli.run("plan", "--review-budget", budget, "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", design.toString());
  }

  @Test
  void should_print_the_inclusion_probabilities_and_the_expected_half_width_of_active_aipw() throws IOException {
    ReviewFixture f = scored();
    Path active = f.write("active.yaml", "type: active\nn: 150\n");
    Cli c = plan(f, active, "150");
    assertThat(c.err()).isEmpty();
    assertThat(c.code()).isZero();
    List<String> lines = c.out().lines().toList();
    assertThat(lines.subList(0, 3)).containsExactly(
        "Review plan: 150 expected reviews of 300 sampled units, confidence-driven (type: active), floor 0.25 (smallest"
            + " workable budget 1)",
        "violation rates from risk scores read as probabilities", "");
    assertThat(lines.get(3)).matches("inclusion +units +n +pi");
    assertThat(lines.get(4)).matches("pi = 1 +\\d+ +[\\d.]+ +1");
    assertThat(lines.get(5)).matches("floor < pi < 1 +\\d+ +[\\d.]+ +0\\.\\d+");
    assertThat(lines.get(6)).matches("pi = floor +\\d+ +[\\d.]+ +0\\.25");
    assertThat(lines.get(10)).matches("harassment@1 +[\\d.]+% +±[\\d.]+% +±[\\d.]+%");
    assertThat(lines.get(11)).matches("self_harm@1 +[\\d.]+% +±[\\d.]+% +±[\\d.]+%");
    assertThat(c.out()).contains("(expected 95% half-width z*SE of active AIPW: phase 1 and the phase-2 variance the"
        + " scores anticipate)\nnot included: the raters' part (their answers' noise and their error rates' uncertainty"
        + " under consensus: error-model); a pilot whose gold has its gold.raters.json, or --rater-sensitivity and"
        + " --rater-specificity, adds it\n", "worst relative half-width by expected reviews:\n  75  ",
        "\n  150  ", "\n  300  ");
    // the same numbers as the library's plan, and the expected reviews add up to the budget
    double reviews = 0;
    for (int row = 4; row <= 6; row++) {
      reviews += Double.parseDouble(lines.get(row).trim().split(" +")[lines.get(row).trim().split(" +").length - 2]);
    }
    assertThat(reviews).isCloseTo(150, org.assertj.core.api.Assertions.within(0.2));
    ActiveReviewPlan.Result r = ActiveReviewPlan.run(new ReviewPlan.Request(f.sample, f.labels, GoldDesign.read(active),
        150, null, null, 0.95));
    assertThat(lines.get(10)).contains("±" + Format.sigPercent(r.widths().get(0).halfWidth()) + " ");
    assertThat(lines.get(11)).contains("±" + Format.sigPercent(r.widths().get(1).halfWidth()) + " ");
  }

  @Test
  void should_print_either_kind_of_review_plan_as_plumb_plan_json() throws IOException {
    ReviewFixture f = scored();
    Path active = f.write("active.yaml", "type: active\nn: 150\n");
    Cli c = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", active.toString(), "--json");
    assertThat(c.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(c.out());
    ActiveReviewPlan.Result r = ActiveReviewPlan.run(new ReviewPlan.Request(f.sample, f.labels, GoldDesign.read(active),
        150, null, null, 0.95));
    assertThat(j.get("format").asText()).isEqualTo("plumb.plan/1");
    assertThat(j.get("pilot").isNull()).isTrue();
    JsonNode review = j.get("review");
    assertThat(review.get("design").asText()).isEqualTo("active");
    assertThat(review.get("budget").asInt()).isEqualTo(150);
    assertThat(review.get("floor").asDouble()).isEqualTo(0.25);
    assertThat(review.get("inclusion").get(0).get("band").asText()).isEqualTo("pi = 1");
    JsonNode w = review.get("widths").get(1);
    assertThat(w.get("policy").asText()).isEqualTo("self_harm@1");
    assertThat(w.get("half_width").asDouble()).isEqualTo(r.widths().get(1).halfWidth());
    assertThat(w.get("variance_phase2_model").asDouble()).isEqualTo(r.widths().get(1).phase2Model());
    assertThat(review.get("by_budget").get(2).get("budget").asInt()).isEqualTo(300);
    assertThat(review.get("worst_relative").asDouble()).isEqualTo(r.worst());

    Path optimal = f.write("optimal.yaml", "type: stratified\nn: 150\nallocation: optimal\n");
    JsonNode s = new ObjectMapper().readTree(Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(),
        "--labels", f.labels.toString(), "--gold-design", optimal.toString(), "--json").out()).get("review");
    assertThat(s.get("design").asText()).isEqualTo("stratified");
    assertThat(s.get("allocation").asText()).isEqualTo("optimal");
    assertThat(s.get("strata")).extracting(x -> x.get("id").asText()).containsExactly("llm_positive", "llm_negative");
    assertThat(s.get("strata").get(0).get("n").asInt() + s.get("strata").get(1).get("n").asInt()).isEqualTo(150);
    assertThat(s.get("widths").get(0).get("variance_phase1").isNull()).isTrue();
    assertThat(s.get("compared")).extracting(x -> x.get("allocation").asText())
        .containsExactly("proportional", "neyman", "optimal");
  }

  @Test
  void a_budget_below_what_the_floor_takes_is_one_line_naming_the_smallest_workable_budget() throws IOException {
    ReviewFixture f = scored();
    Path floored = f.write("floored.yaml", "type: active\nn: 60\nfloor: 0.05\n");
    Cli c = plan(f, floored, "14");
    assertThat(c.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(c.out()).isEmpty();
    assertThat(c.err()).isEqualTo("--review-budget: 14 is below floor × sampled units = 0.05 × 300; the smallest"
        + " workable budget is 15 (or lower floor)\n");
    assertThat(plan(f, floored, "15").code()).isZero();
  }

  @Test
  void should_print_the_design_and_the_raters_parts_with_stated_rater_rates() throws IOException {
    ReviewFixture f = scored();
    Path active = f.write("active.yaml", "type: active\nn: 150\noverlap: 3\n");
    Cli c = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", active.toString(), "--rater-sensitivity", "0.9", "--rater-specificity", "0.98");
    assertThat(c.err()).isEmpty();
    List<String> lines = c.out().lines().toList();
    assertThat(lines.get(9)).matches("policy +expected +half-width +relative +design +raters");
    ActiveReviewPlan.Result r = ActiveReviewPlan.run(new ReviewPlan.Request(f.sample, f.labels, GoldDesign.read(active),
        150, null, null, 0.95, dev.plumb.calibration.queue.ReviewPanel.stated(0.9, 0.98, 3)));
    ActiveReviewPlan.Width h = r.widths().get(0);
    assertThat(lines.get(10).trim().split(" +")).containsExactly("harassment@1", Format.sigPercent(h.prevalence()),
        "±" + Format.sigPercent(h.halfWidth()), "±" + Format.sigPercent(h.relative()),
        "±" + Format.sigPercent(h.designHalfWidth()), "±" + Format.sigPercent(h.ratersHalfWidth()));
    assertThat(c.out()).contains("raters: stated: 3 raters per item, sensitivity 0.9, specificity 0.98\n",
        "design: phase 1 and 2 alone (more reviews buy it down); raters: the answers' noise and the error rates'"
            + " uncertainty alone (better raters or more per item buy it down); half-width = sqrt(design^2 + raters^2)");
    Cli j = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", active.toString(), "--rater-sensitivity", "0.9", "--rater-specificity", "0.98", "--json");
    JsonNode w = new ObjectMapper().readTree(j.out()).get("review").get("widths").get(0);
    assertThat(w.get("raters_half_width").asDouble()).isEqualTo(h.ratersHalfWidth());
    assertThat(w.get("design_half_width").asDouble()).isEqualTo(h.designHalfWidth());
    assertThat(w.get("variance_raters_noise").asDouble()).isEqualTo(h.ratersNoise());
    assertThat(w.get("variance_raters_rates").asDouble()).isEqualTo(h.ratersRates());
    assertThat(new ObjectMapper().readTree(j.out()).get("review").get("raters").asText()).startsWith("stated: 3 raters");
  }

  @Test
  void stated_rater_rates_must_come_in_pairs_and_beat_chance() throws IOException {
    ReviewFixture f = scored();
    Path active = f.write("active.yaml", "type: active\nn: 150\noverlap: 3\n");
    Cli one = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", active.toString(), "--rater-sensitivity", "0.9");
    assertThat(one.code()).isEqualTo(2);
    assertThat(one.err()).isEqualTo("--rater-specificity: missing; stated rater rates need both"
        + " --rater-sensitivity and --rater-specificity\n");
    Cli chance = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", active.toString(), "--rater-sensitivity", "0.4", "--rater-specificity",
        "0.5");
    assertThat(chance.code()).isEqualTo(2);
    assertThat(chance.err()).isEqualTo("--rater-specificity: sensitivity + specificity must be above 1 (raters"
        + " better than chance), found 0.9\n");
    Path single = f.write("single.yaml", "type: active\nn: 150\n");
    Cli lone = Cli.run("plan", "--review-budget", "150", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", single.toString(), "--rater-sensitivity", "0.9", "--rater-specificity",
        "0.98");
    assertThat(lone.code()).isEqualTo(2);
    assertThat(lone.err()).isEqualTo("--rater-sensitivity: with one rater per item (overlap: 1) the raters'"
        + " error rates rest on honeypots alone; size them with plumb plan gold\n");
  }
}
