package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ActiveReviewPlan}: {@code plan --review-budget} for a {@code type: active} design. */
class ActiveReviewPlanTest {
  @TempDir Path dir;

  private static final double[] M = {1, 1, 2, 1, 3, 1, 1, 5, 1, 2, 1, 10, 1, 4};
  private static final double[] PI1 = {0.5, 0.5, 0.2, 1, 0.5, 0.25, 0.5, 0.8, 0.1, 0.5, 0.4, 1, 0.5, 0.3};
  private static final double[][] Q = {
    {0.9, 0.7, 0.05, 0.02, 0.3, 0.01, 0.6, 0.1, 0.02, 0.5, 0.03, 0.08, 0.01, 0.2},
    {0.05, 0.1, 0.4, 0.01, 0.02, 0.6, 0.01, 0.02, 0.3, 0.05, 0.9, 0.02, 0.15, 0.01}};
  /** The LLM's probability of a positive: a call at ≥ ½ with that confidence, else negative with 1 − f; b on u4 is a bare call. */
  private static final double[][] F = {
    {0.95, 0.6, 0.1, 0.01, 0.35, 0.02, 0.55, 0.15, 0.03, 0.5, 0.05, 0.12, 0.02, 0.3},
    {0.1, 0.05, 0.05, 0.0, 0.03, 0.3, 0.02, 0.05, 0.2, 0.04, 0.8, 0.03, 0.1, 0.02}};

  /** The fixture of active_review_plan.py: a Poisson phase-1 sample of 14 units, policies a@1 and b@1. */
  private Path[] files() throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < M.length; i++) {
      s.append("{\"id\":\"u").append(i + 1).append("\",\"weight\":").append(M[i])
          .append(",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t").append(i + 1)
          .append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":").append(PI1[i]).append("},\"scores\":{\"a\":")
          .append(Q[0][i]).append(",\"b\":").append(Q[1][i]).append("}}\n");
      for (int p = 0; p < 2; p++) {
        boolean positive = F[p][i] >= 0.5;
        l.append("{\"unit\":\"u").append(i + 1).append("\",\"policy\":\"").append(p == 0 ? "a@1" : "b@1")
            .append("\",\"decision\":\"").append(positive ? "violating" : "safe").append("\",\"positive\":")
            .append(positive).append(p == 1 && i == 3 ? "" : ",\"confidence\":" + (positive ? F[p][i] : 1 - F[p][i]))
            .append(",\"status\":\"ok\"}\n");
      }
    }
    Path sample = dir.resolve("sample.jsonl");
    Files.writeString(sample, s);
    Files.writeString(dir.resolve("sample.json"), "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"poisson\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":60,\"n\":14}]}");
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(labels, l);
    return new Path[] {sample, labels};
  }

  private static GoldDesign active(int n, double floor) {
    return new GoldDesign(GoldDesign.ACTIVE, null, Map.of(GoldDesign.ACTIVE, n), 1, GoldDesign.BY_WEIGHT, 1, 0, 0.8,
        OptionalLong.empty(), floor);
  }

  private ActiveReviewPlan.Result plan(GoldDesign d, Integer budget) throws IOException {
    Path[] f = files();
    return ActiveReviewPlan.run(new ReviewPlan.Request(f[0], f[1], d, budget, null, null, 0.95));
  }

  /**
   * Reference values from {@code python3 calibration/src/test/resources/reference/active_review_plan.py}
   * (numpy; π2 by its own bisection, V1 = Σ (1 − π1)(w(q − P)/M)² + Σ (1 − π1) w² q(1 − q)/M², V2 =
   * max(Σ κ f(1 − f), Σ κ [q(1 − q) + (q − λf)²]), κ = (1 − π2)/π2·(w/M)²): with the default floor
   * 0.5·6/14, a's V2 is the anticipated term, b's the design term (λ clipped at 1; b's f misses u3 and u6).
   */
  @Test
  void should_predict_the_half_width_of_active_aipw_as_an_independent_computation() throws IOException {
    ActiveReviewPlan.Result r = plan(active(6, Double.NaN), null);
    assertThat(r.budget()).isEqualTo(6);
    assertThat(r.units()).isEqualTo(14);
    assertThat(r.floor()).isCloseTo(0.5 * 6 / 14, within(1e-15));
    ActiveReviewPlan.Width a = r.widths().get(0);
    ActiveReviewPlan.Width b = r.widths().get(1);
    assertThat(a.policy()).isEqualTo("a@1");
    assertThat(a.prevalence()).isCloseTo(0.17509433962264154, within(1e-14));
    assertThat(a.phase1()).isCloseTo(0.007161492690963782, within(1e-15));
    assertThat(a.phase2Model()).isCloseTo(0.008722338387013775, within(1e-11));
    assertThat(a.phase2Design()).isCloseTo(0.007314500502923151, within(1e-11));
    assertThat(a.halfWidth()).isCloseTo(0.24701636180810446, within(1e-9));
    assertThat(b.prevalence()).isCloseTo(0.1739178690344062, within(1e-14));
    assertThat(b.phase1()).isCloseTo(0.010258985460246879, within(1e-15));
    assertThat(b.phase2Model()).isCloseTo(0.004670272275894172, within(1e-11));
    assertThat(b.phase2Design()).isCloseTo(0.005533399539724701, within(1e-11));
    assertThat(b.halfWidth()).isCloseTo(0.24630427657257278, within(1e-9));
    assertThat(a.relative()).isCloseTo(0.24701636180810446 / 0.17509433962264154, within(1e-8));
    assertThat(r.worst()).isEqualTo(Math.max(a.relative(), b.relative()));
    // the numpy π2: six units at the floor, none certain, the rest between; Σ π2 = 6
    assertThat(r.bands()).extracting(ActiveReviewPlan.Band::id, ActiveReviewPlan.Band::units).containsExactly(
        org.assertj.core.groups.Tuple.tuple("pi = 1", 0), org.assertj.core.groups.Tuple.tuple("floor < pi < 1", 8),
        org.assertj.core.groups.Tuple.tuple("pi = floor", 6));
    assertThat(r.bands().stream().mapToDouble(ActiveReviewPlan.Band::reviews).sum()).isCloseTo(6, within(1e-9));
  }

  /** The same script's second case: floor 0.3, so the floor's units take more of the budget and both widen. */
  @Test
  void should_plan_with_the_designs_floor() throws IOException {
    ActiveReviewPlan.Result r = plan(active(6, 0.3), null);
    assertThat(r.widths().get(0).halfWidth()).isCloseTo(0.2617285589615881, within(1e-9));
    assertThat(r.widths().get(1).halfWidth()).isCloseTo(0.25870466977766904, within(1e-9));
    assertThat(r.minimumBudget()).isEqualTo(5);
  }

  @Test
  void should_predict_narrower_intervals_for_a_larger_budget_and_none_of_phase_two_for_a_census() throws IOException {
    ActiveReviewPlan.Result r = plan(active(6, Double.NaN), 6);
    assertThat(r.byBudget().keySet()).containsExactly(3, 6, 12);
    List<Double> worst = List.copyOf(r.byBudget().values());
    assertThat(worst.get(0)).isGreaterThan(worst.get(1));
    assertThat(worst.get(1)).isGreaterThan(worst.get(2));
    assertThat(worst.get(1)).isEqualTo(r.worst());
    ActiveReviewPlan.Result all = plan(active(6, Double.NaN), 40);
    assertThat(all.budget()).isEqualTo(14);
    assertThat(all.widths().get(0).phase2Model()).isZero();
    assertThat(all.widths().get(0).halfWidth()).isCloseTo(1.959963984540054 * Math.sqrt(0.007161492690963782),
        within(1e-9));
  }

  @Test
  void a_budget_below_what_the_floor_takes_names_the_smallest_workable_budget() throws IOException {
    assertThatThrownBy(() -> plan(active(6, 0.3), 4)).isInstanceOf(InputException.class).hasMessage(
        "--review-budget: 4 is below floor × sampled units = 0.3 × 14; the smallest workable budget is 5 (or lower floor)");
    assertThat(plan(active(6, 0.3), 5).budget()).isEqualTo(5);
  }
  private ActiveReviewPlan.Result plan(GoldDesign d, Integer budget, ReviewPanel panel) throws IOException {
    Path[] f = files();
    return ActiveReviewPlan.run(new ReviewPlan.Request(f[0], f[1], d, budget, null, null, 0.95, panel));
  }

  /** A panel adds the raters' part beside the design's, which it leaves as it was. */
  @Test
  void should_add_the_raters_part_to_the_designs_and_say_which_is_which() throws IOException {
    ActiveReviewPlan.Result bare = plan(active(6, Double.NaN), null);
    ActiveReviewPlan.Result r = plan(active(6, Double.NaN), null, ReviewPanel.stated(0.9, 0.98, 3));
    assertThat(bare.panel()).isNull();
    assertThat(r.panel()).isEqualTo("stated: 3 raters per item, sensitivity 0.9, specificity 0.98");
    for (int p = 0; p < 2; p++) {
      ActiveReviewPlan.Width x = r.widths().get(p);
      assertThat(x.designHalfWidth()).isCloseTo(bare.widths().get(p).halfWidth(), within(1e-15));
      assertThat(x.ratersNoise()).isPositive();
      assertThat(x.ratersRates()).isPositive();
      assertThat(x.halfWidth() * x.halfWidth()).isCloseTo(
          x.designHalfWidth() * x.designHalfWidth() + x.ratersHalfWidth() * x.ratersHalfWidth(), within(1e-12));
      assertThat(bare.widths().get(p).ratersHalfWidth()).isZero();
    }
    // better raters shrink the raters' part
    ActiveReviewPlan.Result better = plan(active(6, Double.NaN), null, ReviewPanel.stated(0.98, 0.998, 3));
    assertThat(better.widths().get(0).ratersHalfWidth()).isLessThan(r.widths().get(0).ratersHalfWidth());
  }

  @Test
  void should_read_a_pilots_rater_model_beside_its_gold() throws IOException {
    Path gold = dir.resolve("gold.jsonl");
    Files.writeString(gold, "");
    Files.writeString(dir.resolve("gold.raters.json"), """
        {"format":"plumb.raters/1","excluded":["r3"],"error_model":{"a@1":{"raters":[
          {"rater":"r1","sensitivity":0.9,"sensitivity_interval":{"lower":0.8,"upper":0.96},
           "specificity":0.99,"specificity_interval":{"lower":0.98,"upper":0.995}},
          {"rater":"r2","sensitivity":0.85,"sensitivity_interval":{"lower":0.7,"upper":0.95},
           "specificity":0.97,"specificity_interval":{"lower":0.95,"upper":0.985}}]}}}
        """);
    ReviewPanel panel = ReviewPanel.read(ReviewPanel.sibling(gold), 3, 2).orElseThrow();
    assertThat(panel.excluded()).containsExactly("r3");
    assertThat(panel.of("a@2")).extracting(ReviewPanel.Rater::id).containsExactly("r1", "r2");
    double se = (0.96 - 0.8) / (2 * 1.959963984540054);
    assertThat(panel.of("a@1").get(0).seVariance()).isCloseTo(2 * se * se, within(1e-15));
    assertThat(panel.of("b@1")).isEmpty();
    assertThatThrownBy(() -> plan(active(6, Double.NaN), null, panel)).isInstanceOf(InputException.class)
        .hasMessage("pilot rater model " + dir.resolve("gold.raters.json") + ": no rater model for b; the raters' part"
            + " of the plan needs each labeled policy's rater sensitivity and specificity");
    Files.writeString(dir.resolve("gold.raters.json"), "{\"error_model\":{\"a@1\":{\"raters\":[{\"rater\":\"r1\","
        + "\"sensitivity\":1.2}]}}}");
    assertThatThrownBy(() -> ReviewPanel.read(dir.resolve("gold.raters.json"), 3, 1)).isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("gold.raters.json") + ": error_model.a@1.raters[0].sensitivity: not a rate in [0, 1]: "
            + "1.2; the plan reads the pilot's rater model from it");
    assertThat(ReviewPanel.read(dir.resolve("absent.raters.json"), 3, 1)).isEmpty();
  }

  /**
   * A review stratum expecting a fraction of a violation: the bootstrap can hardly move its prior, and the factor
   * scales the inverse Hessian's variance down to the bootstrap's; with a few expected violations the bootstrap's
   * logit jumps further than the delta method says, and the factor stays at 1 (the delta method's, as before).
   * Reference: calibration/src/test/resources/reference/small_count.py (scipy binom; s = 0.01).
   */
  @Test
  void should_shrink_the_prior_variance_of_a_stratum_that_expects_a_fraction_of_a_violation() {
    assertThat(ActiveReviewPlan.smallCount(374, 8.45e-5, 0.01)).isCloseTo(0.00572465782382123, within(1e-12));
    assertThat(ActiveReviewPlan.smallCount(200, 0.002, 0.01)).isCloseTo(0.7097394703907369, within(1e-12));
    assertThat(ActiveReviewPlan.smallCount(40, 0.05, 0.01)).isEqualTo(1); // the reference gives 5.67
    assertThat(ActiveReviewPlan.smallCount(0, 0.05, 0.01)).isEqualTo(1);
    assertThat(ActiveReviewPlan.smallCount(50, 0, 0.01)).isEqualTo(1);
  }
}
