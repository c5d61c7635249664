package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReviewPlan} and {@code allocation:} in {@link QueueExport}, on a hand-made sample. */
class ReviewPlanTest {
  @TempDir Path dir;

  /**
   * 12 units, π1 = 0.5, exposure 1: u1..u4 LLM-positive for policy a, u5..u12 negative; scores 0.8
   * for the positives and 0.02 for the negatives unless {@code scored} is false.
   */
  private Path[] files(boolean scored) throws IOException {
    double[] scores = new double[12];
    for (int i = 0; i < 12; i++) {
      scores[i] = i < 4 ? 0.8 : 0.02;
    }
    return files(scored ? scores : null);
  }

  /** The same 12 units with unit u(i+1)'s score {@code scores[i]} (null: no scores). */
  private Path[] files(double[] scores) throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      s.append("{\"id\":\"u").append(i).append("\",\"weight\":1,\"components\":[{\"id\":\"q\",\"kind\":\"query\","
          + "\"text\":\"t").append(i).append("\"}],\"design\":{\"stratum\":\"all\",\"pi\":0.5}")
          .append(scores != null ? ",\"scores\":{\"a\":" + scores[i - 1] + "}" : "").append("}\n");
      boolean positive = i <= 4;
      l.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"a@1\",\"decision\":\"")
          .append(positive ? "violating" : "safe").append("\",\"positive\":").append(positive)
          .append(",\"status\":\"ok\"}\n");
    }
    Path sample = dir.resolve("sample.jsonl");
    Files.writeString(sample, s);
    Files.writeString(dir.resolve("sample.json"), "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"poisson\"},"
        + "\"strata\":[{\"id\":\"all\",\"units\":24,\"n\":12}]}");
    Path labels = dir.resolve("labels.jsonl");
    Files.writeString(labels, l);
    return new Path[] {sample, labels};
  }

  private static GoldDesign design(ReviewAllocation rule, int n) {
    return new GoldDesign("stratified", GoldDesign.ANY_POSITIVE, Map.of(GoldDesign.TOTAL, n), 1, GoldDesign.BY_WEIGHT,
        1, 0, 0.8, OptionalLong.empty(), rule);
  }

  /** A pilot of u1..u3 (two violate) and u5..u10 (none does). */
  private Path pilot() throws IOException {
    return pilot(new int[] {1, 2, 3, 5, 6, 7, 8, 9, 10}, java.util.Set.of(1, 2));
  }

  /** A pilot of units u{@code i} for i in {@code units}, those in {@code violating} violating a@1. */
  private Path pilot(int[] units, java.util.Set<Integer> violating) throws IOException {
    StringBuilder g = new StringBuilder();
    for (int i : units) {
      boolean positive = violating.contains(i);
      g.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"a@1\",\"decision\":\"")
          .append(positive ? "violating" : "safe").append("\",\"positive\":").append(positive)
          .append(",\"phase2\":{\"stratum\":\"x\",\"pi\":0.5}}\n");
    }
    Path p = dir.resolve("pilot.jsonl");
    Files.writeString(p, g);
    return p;
  }

  /**
   * Without scores, the pilot's cells: LLM-positive 2 of 3 → Jeffreys (2 + ½)/(3 + 1) = 0.625;
   * LLM-negative 0 of 6 → (0 + ½)/(6 + 1) = 1/14, not 0, so the negative stratum keeps a variance
   * and is reviewed. Expected prevalence (4·0.625 + 8/14)/12 with equal weights.
   */
  @Test
  void a_pilot_without_positives_in_a_stratum_falls_back_to_the_jeffreys_prior() throws IOException {
    Path[] f = files(false);
    ReviewPlan.Result r = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 6), null,
        pilot(), null, 0.95));
    double expected = (4 * 0.625 + 8 / 14.0) / 12;
    assertThat(r.chosen().widths().get(0).prevalence()).isCloseTo(expected, Offset.offset(1e-12));
    assertThat(r.chosen().strata()).extracting(ReviewPlan.Stratum::id, ReviewPlan.Stratum::units)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(GoldDesign.POSITIVE, 4),
            org.assertj.core.groups.Tuple.tuple(GoldDesign.NEGATIVE, 8));
    // Neyman weights N_h·S_h: S² per stratum is the Bernoulli part q(1−q)·w²/M² (all units alike)
    double sPos = Math.sqrt(0.625 * 0.375);
    double sNeg = Math.sqrt((1 / 14.0) * (13 / 14.0));
    double share = 6 * 4 * sPos / (4 * sPos + 8 * sNeg);
    assertThat(r.chosen().strata().get(0).n()).isEqualTo((int) Math.round(share));
    assertThat(r.rates()).contains("Jeffreys");
  }

  /**
   * With scores and a pilot of this sample's units the scores are calibrated on the pilot (PlanRates.platt): logit q =
   * α_c + β(logit s − x̄_c), Jeffreys pseudo-counts on α_c, ridge β²/2. Reference: {@code python3
   * calibration/src/test/resources/reference/plan_rates_platt.py} (scipy BFGS on the same objective): α = (−1.48055,
   * 0.51722), β = 0.64686, mean q 0.388092854077 — the planned prevalence with equal weights. The rescaling it
   * replaced, s·rate/s̄, gives 0.3512.
   */
  @Test
  void should_calibrate_the_scores_on_a_pilot_of_this_sample() throws IOException {
    Path[] f = files(new double[] {0.6, 0.7, 0.8, 0.9, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4});
    Path pilot = pilot(new int[] {1, 2, 3, 5, 6, 7, 9, 10, 11}, java.util.Set.of(2, 3, 10));
    ReviewPlan.Result r = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 6), null,
        pilot, null, 0.95));
    assertThat(r.chosen().widths().get(0).prevalence()).isCloseTo(0.388092854077, Offset.offset(1e-9));
    assertThat(r.rates()).isEqualTo("pilot " + pilot + " (Jeffreys Beta(1/2, 1/2) per policy x LLM call, risk scores"
        + " calibrated on it by a logistic fit)");
  }

  /**
   * A pilot holding a unit of another sample (u99, its label in --pilot-labels) keeps the rescaling within each LLM
   * call, q = s·rate_c/s̄_c: the fit needs every pilot unit's score. Rates (2 + ½)/(3 + 1) and (1 + ½)/(7 + 1); the
   * rescaled q average to each cell's rate, so the planned prevalence is (4·0.625 + 8·0.1875)/12 = 1/3.
   */
  @Test
  void should_rescale_the_scores_when_the_pilot_is_not_all_of_this_sample() throws IOException {
    Path[] f = files(new double[] {0.6, 0.7, 0.8, 0.9, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4});
    Path pilot = pilot(new int[] {1, 2, 3, 5, 6, 7, 9, 10, 11, 99}, java.util.Set.of(2, 3, 10));
    Path pilotLabels = dir.resolve("pilot-labels.jsonl");
    Files.writeString(pilotLabels, Files.readString(f[1])
        + "{\"unit\":\"u99\",\"policy\":\"a@1\",\"decision\":\"safe\",\"positive\":false,\"status\":\"ok\"}\n");
    ReviewPlan.Result r = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 6), null,
        pilot, pilotLabels, 0.95));
    assertThat(r.chosen().widths().get(0).prevalence()).isCloseTo(1 / 3.0, Offset.offset(1e-12));
    assertThat(r.rates()).isEqualTo("pilot " + pilot + " (Jeffreys Beta(1/2, 1/2) per policy x LLM call, risk scores"
        + " rescaled to it)");
  }

  @Test
  void export_draws_the_allocation_the_plan_printed() throws IOException {
    Path[] f = files(true);
    GoldDesign d = design(ReviewAllocation.OPTIMAL, 7);
    ReviewPlan.Result plan = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], d, null, null, null, 0.95));
    Queue q = QueueExport.draw(new QueueExport.Request(f[0], f[1], d, List.of(), null, false, 3, dir.resolve("q"),
        "test", k -> Optional.empty())).queue();
    assertThat(q.strata()).extracting(Queue.Stratum::id, Queue.Stratum::n).containsExactlyElementsOf(
        plan.chosen().strata().stream().map(s -> org.assertj.core.groups.Tuple.tuple(s.id(), s.n())).toList());
    assertThat(q.items()).hasSize(7);
    assertThat(d.toJson().toString()).contains("\"n\":7,\"allocation\":\"optimal\"");
  }

  /**
   * A fixed design (n per review stratum, weight classes) is planned as export draws it — the positives reviewed
   * whole, the negatives' 5 shared over their two classes — not as a proportional allocation of the same 9 reviews
   * (which would put 3 on the positives). Regression: the plan of the demo's 300 + 900 design had π2 0.6 everywhere
   * where export reviews the heavy classes whole.
   */
  @Test
  void should_plan_a_fixed_design_as_export_draws_it() throws IOException {
    Path[] f = files(true);
    GoldDesign d = new GoldDesign("stratified", GoldDesign.ANY_POSITIVE, Map.of(GoldDesign.POSITIVE, 4,
        GoldDesign.NEGATIVE, 5), 2, GoldDesign.BY_WEIGHT, 1, 0, 0.8, OptionalLong.empty(), ReviewAllocation.FIXED);
    ReviewPlan.Result plan = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], d, null, null, null, 0.95));
    Queue q = QueueExport.draw(new QueueExport.Request(f[0], f[1], d, List.of(), null, false, 3, dir.resolve("q"),
        "test", k -> Optional.empty())).queue();
    assertThat(plan.chosen().rule()).isEqualTo(ReviewAllocation.FIXED);
    assertThat(plan.chosen().strata().stream().mapToInt(ReviewPlan.Stratum::n).sum()).isEqualTo(9);
    // export names a stratum reviewed whole by its key alone; the plan keeps the layout's classes, each whole
    assertThat(plan.chosen().strata()).extracting(ReviewPlan.Stratum::id, ReviewPlan.Stratum::n).containsExactly(
        org.assertj.core.groups.Tuple.tuple(GoldDesign.POSITIVE + "/w1", 2),
        org.assertj.core.groups.Tuple.tuple(GoldDesign.POSITIVE + "/w2", 2),
        org.assertj.core.groups.Tuple.tuple(GoldDesign.NEGATIVE + "/w1", q.strata().get(1).n()),
        org.assertj.core.groups.Tuple.tuple(GoldDesign.NEGATIVE + "/w2", q.strata().get(2).n()));
    assertThat(q.strata()).extracting(Queue.Stratum::id, Queue.Stratum::n).containsExactly(
        org.assertj.core.groups.Tuple.tuple(GoldDesign.POSITIVE, 4),
        org.assertj.core.groups.Tuple.tuple(GoldDesign.NEGATIVE + "/w1", q.strata().get(1).n()),
        org.assertj.core.groups.Tuple.tuple(GoldDesign.NEGATIVE + "/w2", 5 - q.strata().get(1).n()));
    // a budget other than the design's 9: its strata's n scaled in proportion, 8 → 4·8/9 = 3.6 and 5·8/9 = 4.4
    ReviewPlan.Result scaled = ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], d, 8, null, null, 0.95));
    assertThat(scaled.chosen().strata()).extracting(ReviewPlan.Stratum::n).containsExactly(2, 2, 2, 2);
  }

  @Test
  void a_budget_below_two_per_stratum_names_the_smallest_workable_budget() throws IOException {
    Path[] f = files(true);
    assertThatThrownBy(() -> ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 3),
        3, null, null, 0.95))).isInstanceOf(InputException.class).hasMessage("--review-budget: a budget of 3 reviews"
        + " cannot give each of the 2 review strata the 2 reviewed units its variance estimate needs; the smallest"
        + " workable budget is 4");
  }

  @Test
  void without_scores_or_a_pilot_the_rates_are_unknown() throws IOException {
    Path[] f = files(false);
    assertThatThrownBy(() -> QueueExport.draw(new QueueExport.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 6),
        List.of(), null, false, 3, dir.resolve("q"), "test", k -> Optional.empty())))
        .isInstanceOf(InputException.class).hasMessage(f[0] + ":1: scores.a: missing; allocating a review budget needs"
            + " every sampled unit's risk score (plumb score) or a pilot review (--pilot gold.jsonl, or --pilot-history)");
  }

  @Test
  void a_pilot_unit_without_a_label_is_named() throws IOException {
    Path[] f = files(false);
    Path p = dir.resolve("pilot.jsonl");
    Files.writeString(p, "{\"unit\":\"u99\",\"policy\":\"a@1\",\"decision\":\"safe\",\"positive\":false,"
        + "\"phase2\":{\"stratum\":\"x\",\"pi\":0.5}}\n");
    assertThatThrownBy(() -> ReviewPlan.run(new ReviewPlan.Request(f[0], f[1], design(ReviewAllocation.NEYMAN, 6),
        null, p, null, 0.95))).isInstanceOf(InputException.class).hasMessage(p + ":1: unit: unit \"u99\" has no ok"
        + " label for a@1 in " + f[1] + "; a pilot review is read by the LLM's call on each unit (pass the pilot's"
        + " own labels with --pilot-labels)");
  }

  /**
   * The strata likely to show none of their violations, by hand: 10 LLM-positive units with q = 0.5 and
   * 100 LLM-negative units with q = 0.01, exposure 1, a census phase 1. The negatives hold 100·0.01 = 1 of
   * the 6 expected violations (share 1/6 ≥ 10%). Reviewing 20 of them (π2 = 0.2) sees 0.2 on average and
   * none with chance (1 − 0.002)^100 = 0.81857 (python3: 0.998**100); the chance falls under ½ once π2·0.01 > 1 − ½^(1/100)
   * = 0.0069075, i.e. from 70 reviews. Reviewing 5 of the 10 positives (chance 0.75^10 = 0.056) is not listed.
   */
  @Test
  void should_list_a_stratum_whose_review_is_likely_to_see_none_of_its_violations() {
    int size = 110;
    List<SampledUnit> units = new ArrayList<>();
    int[] at = new int[size];
    double[] q = new double[size];
    Map<String, List<Integer>> members = new LinkedHashMap<>();
    members.put(GoldDesign.POSITIVE, new ArrayList<>());
    members.put(GoldDesign.NEGATIVE, new ArrayList<>());
    for (int i = 0; i < size; i++) {
      units.add(SampledUnit.of("u" + i, 1, new Inclusion.WithoutReplacement("all", 1)));
      at[i] = i;
      q[i] = i < 10 ? 0.5 : 0.01;
      members.get(i < 10 ? GoldDesign.POSITIVE : GoldDesign.NEGATIVE).add(i);
    }
    DesignSample p1 = DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", size, 0, size)));
    ReviewPlan.Layout layout = ReviewPlan.layout(p1, at, members, new double[size], 1, List.of("a@1"),
        new double[][] {q}, 25, "n", "test");
    List<ReviewPlan.Stratum> strata = List.of(new ReviewPlan.Stratum(GoldDesign.POSITIVE, 10, 5, 0.5),
        new ReviewPlan.Stratum(GoldDesign.NEGATIVE, 100, 20, 0.2));

    List<ReviewPlan.Unseen> unseen = ReviewPlan.unseen(layout, strata);

    assertThat(unseen).hasSize(1);
    ReviewPlan.Unseen u = unseen.get(0);
    assertThat(u.stratum()).isEqualTo(GoldDesign.NEGATIVE);
    assertThat(u.share()).isCloseTo(1.0 / 6, Offset.offset(1e-12));
    assertThat(u.expected()).isCloseTo(0.2, Offset.offset(1e-12));
    assertThat(u.chanceNone()).isCloseTo(Math.pow(0.998, 100), Offset.offset(1e-12)).isCloseTo(0.81857, Offset.offset(1e-5));
    assertThat(u.reviews()).isEqualTo(20);
    assertThat(u.needed()).isEqualTo(70);
    // reviewing 70 of them: no longer listed
    assertThat(ReviewPlan.unseen(layout, List.of(strata.get(0), new ReviewPlan.Stratum(GoldDesign.NEGATIVE, 100, 70, 0.7))))
        .isEmpty();
  }
}
