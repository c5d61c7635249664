package dev.plumb.calibration.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.quality.ConfusionMatrix;
import dev.plumb.calibration.quality.DecisionAgreement;
import dev.plumb.calibration.quality.DecisionQuality;
import dev.plumb.calibration.quality.DecisionScheme;
import dev.plumb.calibration.quality.Judgement;
import dev.plumb.calibration.quality.QualityReport;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignOffTest {
  static final SignOffRules RULES = SignOffRules.defaults();

  static Corrected.Estimated estimate(CorrectedEstimator e, double p, double lo, double hi) {
    return new Corrected.Estimated(e, p, (hi - lo) / 3.92, new Interval(lo, hi, 0.95, "korn-graubard", false), 100, Map.of(), "");
  }

  /** Facts that pass every default rule; each test changes one. */
  static SignOff.Facts good() {
    return new SignOff.Facts(500, 40, 0.7, 0.8, estimate(CorrectedEstimator.HUMAN_ONLY, 0.02, 0.016, 0.024),
        estimate(CorrectedEstimator.LLM_ONLY, 0.021, 0.019, 0.023));
  }

  static SignOff.Check check(SignOff s, String rule) {
    return s.checks().stream().filter(c -> c.rule().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void passes_when_every_rule_is_met() {
    SignOff s = SignOff.evaluate(RULES, good());
    assertThat(s.verdict()).isEqualTo(Verdict.PASS);
    // without decision quality its two rules do not apply
    assertThat(s.checks()).extracting(SignOff.Check::rule).containsExactlyElementsOf(SignOffRules.KEYS.subList(0, 6));
    assertThat(s.reasons()).isEmpty();
    SignOff all = SignOff.evaluate(RULES, withQuality(good(), demoLike(0.98, 20), true));
    // the gold-quality rule applies to gold made by a consensus of several raters (GoldQualityRuleTest)
    assertThat(all.checks()).extracting(SignOff.Check::rule).containsExactlyElementsOf(SignOffRules.KEYS.subList(0, 8));
    assertThat(all.verdict()).isEqualTo(Verdict.PASS);
    assertThat(ReportHtml.mainFinding(all, RULES)).isEqualTo("all checks passed");
  }

  /** 1,200 reviewed units as in issue 14's adult_sexual (1,081 gold-negative): gold rows violating, borderline, safe. */
  static List<Judgement> demoLike(double confidence, int safeCalledBorderline) {
    List<Judgement> out = new ArrayList<>();
    int[][] cells = {{119, 0, 0}, {0, 45, 0}, {0, safeCalledBorderline, 1036 - safeCalledBorderline}};
    String[] d = {"violating", "borderline", "safe"};
    for (int g = 0; g < 3; g++) {
      for (int l = 0; l < 3; l++) {
        for (int k = 0; k < cells[g][l]; k++) {
          out.add(new Judgement("u" + out.size(), "all", 1, d[l], l == 0, null, confidence, d[g], g == 0, null));
        }
      }
    }
    return out;
  }

  static SignOff.Facts withQuality(SignOff.Facts f, List<Judgement> judgements, boolean policyOrder) {
    Map<String, Boolean> decisions = new LinkedHashMap<>();
    decisions.put("violating", true);
    decisions.put("borderline", false);
    decisions.put("safe", false);
    QualityReport q = DecisionQuality.assess(judgements,
        policyOrder ? DecisionScheme.ofPolicy(decisions) : DecisionScheme.learned(decisions), 0.95, 10);
    return new SignOff.Facts(f.gold(), f.goldPositives(), f.raterKappa(), f.sensitivity(), f.sensitivityLower(),
        f.sensitivityEffectiveN(), f.headline(), f.llmOnly(), q);
  }

  @Test
  void should_not_pass_a_labeler_that_calls_most_safe_units_borderline_with_confidence_it_does_not_have() {
    // Regression (issue 14, item 4): sensitivity, specificity and accuracy were 1.000 (borderline and
    // safe are both negative) and the report said "all checks passed".
    SignOff.Facts f = withQuality(good(), demoLike(0.99, 827), true);
    QualityReport q = f.quality();
    assertThat(q.unweighted().overall().sensitivity().estimate()).isEqualTo(1.0);
    assertThat(q.unweighted().overall().specificity().estimate()).isEqualTo(1.0);
    assertThat(q.unweighted().overall().accuracy().estimate()).isEqualTo(1.0);
    // (119 + 45 + 209) / 1200 and ECE |0.99 − 0.311|: the "confidence 0.99 at 30% correct (ECE 0.68)"
    assertThat(q.unweighted().agreement().exact().estimate()).isCloseTo(373 / 1200.0, within(1e-12));
    assertThat(q.unweighted().reliability().ece()).isCloseTo(0.99 - 373 / 1200.0, within(1e-12));
    // by default a finding about the labeler (WARN, never "all checks passed"); with fail levels, as a
    // team that routes on the decisions sets them, a FAIL
    SignOff byDefault = SignOff.evaluate(RULES, f);
    assertThat(byDefault.verdict()).isEqualTo(Verdict.WARN);
    assertThat(check(byDefault, "max_ece").verdict()).isEqualTo(Verdict.WARN);
    assertThat(check(byDefault, "min_decision_agreement").verdict()).isEqualTo(Verdict.WARN);
    SignOff s = SignOff.evaluate(SignOffRules.parse("max_ece: {warn: 0.1, fail: 0.25}\n"
        + "min_decision_agreement: {warn: 0.8, fail: 0.6}\n", "signoff.yaml"), f);
    assertThat(s.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(check(s, "max_ece").message()).isEqualTo("LLM confidence calibration error (ECE, weighted) 0.679"
        + " (unweighted 0.679) is above the maximum 0.25: where it states 0.990 confidence it is right 31% of the time;"
        + " its confidence is not a probability (recalibrated on the gold: 0.990 means 0.311)");
    assertThat(check(s, "min_decision_agreement").message()).isEqualTo("LLM decision equals gold's on 0.311 of reviewed"
        + " exposure (weighted; unweighted 373 of 1200 units) over violating, borderline, safe, below the minimum 0.6;"
        + " most often gold safe called borderline by the LLM (827 of 1,036 units), which the positive/negative figures"
        + " cannot see");
    assertThat(ReportHtml.mainFinding(s, RULES)).startsWith("LLM confidence calibration error").endsWith("(+1 more)");
  }

  @Test
  void should_order_the_confusion_matrix_as_the_policy_does_and_state_the_mapping() {
    QualityReport policy = withQuality(good(), demoLike(0.9, 827), true).quality();
    ConfusionMatrix m = policy.unweighted().decisions();
    assertThat(m.decisions()).containsExactly("violating", "borderline", "safe");
    assertThat(m.positive()).containsExactly(true, false, false);
    assertThat(m.counts()).isDeepEqualTo(new int[][] {{119, 0, 0}, {0, 45, 0}, {0, 827, 209}});
    assertThat(ReportHtml.mapping(m)).isEqualTo("positive = violating; negative = borderline, safe");
    // without the policy, decisions are learned: negatives first, then positives
    assertThat(withQuality(good(), demoLike(0.9, 827), false).quality().unweighted().decisions().decisions())
        .containsExactly("borderline", "safe", "violating");
    DecisionAgreement.PerDecision safe = policy.unweighted().agreement().decisions().get(2);
    assertThat(safe.decision()).isEqualTo("safe");
    assertThat(safe.recall().estimate()).isCloseTo(209 / 1036.0, within(1e-12));
    assertThat(safe.precision().estimate()).isEqualTo(1.0);
    assertThat(policy.unweighted().agreement().decisions().get(1).precision().estimate())
        .isCloseTo(45 / 872.0, within(1e-12));
  }

  @Test
  void should_warn_between_the_levels_and_say_when_confidence_is_missing() {
    SignOff warn = SignOff.evaluate(RULES, withQuality(good(), demoLike(0.85, 150), true));
    // agreement (1200 − 150)/1200 = 0.875 passes; ECE |0.85 − 0.875| = 0.025 passes
    assertThat(warn.verdict()).isEqualTo(Verdict.PASS);
    SignOff mid = SignOff.evaluate(RULES, withQuality(good(), demoLike(0.9, 300), true));
    // agreement 0.75: WARN; ECE 0.15: WARN
    assertThat(check(mid, "min_decision_agreement").verdict()).isEqualTo(Verdict.WARN);
    assertThat(check(mid, "max_ece").verdict()).isEqualTo(Verdict.WARN);
    assertThat(check(mid, "max_ece").value()).isCloseTo(0.15, within(1e-12));
    SignOff none = SignOff.evaluate(RULES, withQuality(good(), demoLike(Double.NaN, 0), true));
    assertThat(check(none, "max_ece").message())
        .isEqualTo("the LLM's confidence calibration is not measured: no reviewed unit's label carried a confidence");
    assertThat(check(none, "max_ece").verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void should_not_say_all_checks_passed_when_rules_that_read_shown_tables_are_off() {
    SignOffRules rules = SignOffRules.parse("max_ece: off\nmin_decision_agreement: off\n", "s.yaml");
    SignOff s = SignOff.evaluate(rules, withQuality(good(), demoLike(0.99, 827), true));
    assertThat(s.verdict()).isEqualTo(Verdict.PASS);
    assertThat(ReportHtml.mainFinding(s, rules)).isEqualTo("all enabled checks passed (off: max_ece, min_decision_agreement)");
  }

  @Test
  void extra_rules_plug_in_after_the_built_in_ones() {
    // the hook for a gold-quality rule: facts computed elsewhere, judged here
    SignOff.Rule goldQuality = f -> Optional.of(new SignOff.Check("max_gold_error_shift", Verdict.WARN, 0.3,
        new SignOffRules.Threshold(0.2, 0.5), "rater error may move the estimate by 30%"));
    SignOff s = SignOff.evaluate(RULES, good(), List.of(goldQuality, f -> Optional.empty()));
    assertThat(s.checks()).last().extracting(SignOff.Check::rule).isEqualTo("max_gold_error_shift");
    assertThat(s.verdict()).isEqualTo(Verdict.WARN);
    assertThat(s.reasons()).containsExactly("rater error may move the estimate by 30%");
  }

  @Test
  void min_gold_warns_below_warn_and_fails_below_fail() {
    SignOff.Facts f = good();
    SignOff warn = SignOff.evaluate(RULES, new SignOff.Facts(399, 40, 0.7, 0.8, f.headline(), f.llmOnly()));
    assertThat(warn.verdict()).isEqualTo(Verdict.WARN);
    assertThat(warn.reasons()).containsExactly("reviewed units 399 is below the recommended 400");
    SignOff fail = SignOff.evaluate(RULES, new SignOff.Facts(199, 40, 0.7, 0.8, f.headline(), f.llmOnly()));
    assertThat(fail.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(check(fail, "min_gold").message()).isEqualTo("reviewed units 199 is below the minimum 200");
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(200, 40, 0.7, 0.8, f.headline(), f.llmOnly())), "min_gold")
        .verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void zero_gold_positives_fail_with_an_upper_bound_and_skip_relative_precision() {
    Corrected.UpperBound bound = new Corrected.UpperBound(CorrectedEstimator.HUMAN_ONLY, 0,
        new Interval(0, 0.006, 0.95, "clopper-pearson", true), "no gold positive");
    SignOff s = SignOff.evaluate(RULES, new SignOff.Facts(500, 0, 0.7, Double.NaN, bound,
        estimate(CorrectedEstimator.LLM_ONLY, 0.004, 0.003, 0.005)));
    assertThat(s.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(s.reasons()).containsExactly(
        "no gold positive: the prevalence is only bounded from above; review more units (oversample LLM positives)",
        "the LLM's sensitivity cannot be measured without gold positives",
        "only a one-sided bound (≤ 0.600%): precision relative to an estimate is undefined");
    assertThat(check(s, "max_llm_gap").message()).isEqualTo("LLM-only 0.400% is within the corrected upper bound 0.600%");
  }

  @Test
  void rater_kappa_is_checked_when_measured_and_warned_about_when_not() {
    SignOff.Facts f = good();
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.39, 0.8, f.headline(), f.llmOnly())), "min_rater_kappa")
        .message()).isEqualTo("raters' Fleiss κ 0.390 is below the minimum 0.4");
    SignOff.Check unmeasured = check(SignOff.evaluate(RULES,
        new SignOff.Facts(500, 40, Double.NaN, 0.8, f.headline(), f.llmOnly())), "min_rater_kappa");
    assertThat(unmeasured.verdict()).isEqualTo(Verdict.WARN);
    assertThat(unmeasured.message()).isEqualTo(
        "rater agreement not measured: no rater answers with at least two raters on a unit (pass --answers)");
    // overlapping answers that are all one decision: κ is 0/0, which is not "no answers"
    SignOff.Check undefined = check(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, Double.NaN, 0.8, Double.NaN,
        Double.NaN, f.headline(), f.llmOnly(), null, 1.0)), "min_rater_kappa");
    assertThat(undefined.verdict()).isEqualTo(Verdict.WARN);
    assertThat(undefined.message()).isEqualTo("raters' Fleiss κ not defined: every answer on the overlapping units is the"
        + " same decision (percent agreement 1.000, chance agreement 1), so agreement cannot show whether the raters"
        + " tell violations apart; add honeypots with a violating known answer");
  }

  @Test
  void sensitivity_below_the_minimum_fails() {
    SignOff.Facts f = good();
    SignOff s = SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.45, f.headline(), f.llmOnly()));
    assertThat(s.reasons()).containsExactly("LLM sensitivity (weighted) 0.450 is below the minimum 0.5");
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.65, f.headline(), f.llmOnly())),
        "min_sensitivity").verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void a_perfect_sensitivity_from_few_weighted_positives_warns() {
    SignOff.Facts f = good();
    // the demo's self_harm: no miss among 18 gold positives whose weights leave 2.7 effective ones;
    // Wilson at p = 1, n = 2.69: lower = n / (n + z²) = 0.4118
    SignOff s = SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, f.headline(), f.llmOnly()));
    SignOff.Check c = check(s, "min_sensitivity");
    assertThat(c.verdict()).isEqualTo(Verdict.WARN);
    assertThat(c.value()).isEqualTo(1.0);
    assertThat(c.message()).isEqualTo("LLM sensitivity (weighted) 1.000, but from 2.7 effective gold positives its 95% lower bound"
        + " is 0.412, below the minimum 0.5: the review saw too few of the LLM's misses to rule them out, and the interval may"
        + " understate them (kg-gamma kept Korn–Graubard's: every review stratum reviewed in part that holds a tenth of the"
        + " exposure showed a violation)");
    // with --interval korn-graubard asked for, the default is what to try
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, f.headline(), f.llmOnly(),
        null, Double.NaN, true, IntervalMethod.KORN_GRAUBARD)), "min_sensitivity").message()).endsWith("to rule them out,"
        + " and the interval may understate them (the default, kg-gamma, allows for a review stratum that showed none)");
    // with a MOVER-Wilson headline the interval already allows for them
    Corrected.Estimated h = (Corrected.Estimated) f.headline();
    Corrected mover = new Corrected.Estimated(h.estimator(), h.estimate(), h.se(),
        new Interval(h.interval().lower(), h.interval().upper(), 0.95, "mover-wilson", false), 100, Map.of(), "");
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, mover, f.llmOnly())),
        "min_sensitivity").message()).endsWith("to rule them out (the MOVER-Wilson interval allows for them; review more LLM"
        + " negatives to narrow it)");
    // after a confidence-driven review (one Poisson stratum) there is no class for kg-gamma to bound
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, f.headline(), f.llmOnly(),
        null, Double.NaN, false, IntervalMethod.KG_GAMMA)), "min_sensitivity").message()).endsWith("to rule them out, and the interval may understate them");
    // kg-gamma changes human-only only: another headline keeps the plain words
    Corrected aipw = estimate(CorrectedEstimator.ACTIVE_AIPW, 0.02, 0.016, 0.024);
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, aipw, f.llmOnly())),
        "min_sensitivity").message()).endsWith("to rule them out, and the interval may understate them");
    // and so does a gamma one (--interval gamma, or kg-gamma where it switched)
    Corrected gamma = new Corrected.Estimated(h.estimator(), h.estimate(), h.se(),
        new Interval(h.interval().lower(), h.interval().upper(), 0.95, "gamma", false), 100, Map.of(), "");
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 18, 0.7, 1.0, 0.4118, 2.69, gamma, f.llmOnly())),
        "min_sensitivity").message()).endsWith("to rule them out (the gamma interval allows for them; review more LLM"
        + " negatives to narrow it)");
    // a bound at or above the fail level, or an unknown bound, leaves the point estimate's verdict
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.95, 0.5, 30, f.headline(), f.llmOnly())),
        "min_sensitivity").verdict()).isEqualTo(Verdict.PASS);
    assertThat(check(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.95, f.headline(), f.llmOnly())),
        "min_sensitivity").verdict()).isEqualTo(Verdict.PASS);
    // a point estimate that already fails keeps its FAIL and its message
    assertThat(SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.45, 0.2, 10, f.headline(), f.llmOnly())).reasons())
        .containsExactly("LLM sensitivity (weighted) 0.450 is below the minimum 0.5");
  }

  @Test
  void relative_half_width_is_half_the_interval_over_the_estimate() {
    SignOff.Facts f = good();
    // half-width 0.006 on 0.02 = 30%: WARN; 0.012 on 0.02 = 60%: FAIL
    SignOff warn = SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.8,
        estimate(CorrectedEstimator.HUMAN_ONLY, 0.02, 0.014, 0.026), estimate(CorrectedEstimator.LLM_ONLY, 0.02, 0.019, 0.021)));
    assertThat(warn.reasons()).containsExactly("interval half-width relative to the estimate 30% is above the recommended 25%");
    assertThat(check(warn, "max_relative_half_width").value()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    SignOff fail = SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.8,
        estimate(CorrectedEstimator.HUMAN_ONLY, 0.02, 0.008, 0.032), f.llmOnly()));
    assertThat(check(fail, "max_relative_half_width").verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void llm_gap_says_which_way_the_llm_errs() {
    SignOff over = SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.8,
        estimate(CorrectedEstimator.HUMAN_ONLY, 0.02, 0.016, 0.024), estimate(CorrectedEstimator.LLM_ONLY, 0.031, 0.03, 0.032)));
    assertThat(over.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(over.reasons()).containsExactly(
        "gap between LLM-only and the corrected estimate: 55% is above the maximum 50% (the LLM over-calls)");
    SignOff under = SignOff.evaluate(RULES, new SignOff.Facts(500, 40, 0.7, 0.8,
        estimate(CorrectedEstimator.HUMAN_ONLY, 0.02, 0.016, 0.024), estimate(CorrectedEstimator.LLM_ONLY, 0.015, 0.014, 0.016)));
    assertThat(under.verdict()).isEqualTo(Verdict.WARN);
    assertThat(under.reasons()).containsExactly(
        "gap between LLM-only and the corrected estimate: 25% is above the recommended 20% (the LLM under-calls)");
  }

  @Test
  void an_uncorrected_headline_fails_the_gap_rule() {
    SignOff.Facts f = good();
    SignOff s = SignOff.evaluate(RULES, new SignOff.Facts(0, 0, Double.NaN, Double.NaN, f.llmOnly(), f.llmOnly()));
    assertThat(check(s, "max_llm_gap").message()).isEqualTo("no gold: the headline is the uncorrected LLM-only estimate");
    assertThat(s.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void disabled_rules_are_not_checked() {
    SignOffRules rules = SignOffRules.parse("min_gold: off\nmin_rater_kappa: null\n", "s.yaml");
    SignOff s = SignOff.evaluate(rules, new SignOff.Facts(10, 40, Double.NaN, 0.8, good().headline(), good().llmOnly()));
    assertThat(s.checks()).extracting(SignOff.Check::rule).doesNotContain("min_gold", "min_rater_kappa");
    assertThat(s.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void parses_numbers_partial_levels_and_defaults() {
    SignOffRules r = SignOffRules.parse(String.join("\n",
        "# thresholds",
        "min_gold: 150",
        "min_gold_positives: {fail: 40}",
        "max_relative_half_width:",
        "  warn: 0.1",
        ""), "s.yaml");
    assertThat(r.minGold()).isEqualTo(new SignOffRules.Threshold(150, 150));
    // fail above the default warn (30): warn moves up to it
    assertThat(r.minGoldPositives()).isEqualTo(new SignOffRules.Threshold(40, 40));
    assertThat(r.maxRelativeHalfWidth()).isEqualTo(new SignOffRules.Threshold(0.1, 0.5));
    assertThat(r.maxLlmGap()).isEqualTo(SignOffRules.defaults().maxLlmGap());
    assertThat(SignOffRules.parse("", "s.yaml")).isEqualTo(SignOffRules.defaults());
  }

  @Test
  void bad_files_are_one_located_line() {
    assertThatThrownBy(() -> SignOffRules.parse("min_gold: 100\nmin_gld: 5\n", "s.yaml"))
        .isInstanceOf(InputException.class).hasMessage("s.yaml:2:1: min_gld: unknown threshold (known: min_gold, "
            + "min_gold_positives, min_rater_kappa, min_sensitivity, max_relative_half_width, max_llm_gap, max_ece, "
            + "min_decision_agreement, max_gold_error_shift)");
    assertThatThrownBy(() -> SignOffRules.parse("min_sensitivity: {warn: 0.5, fail: 0.7}\n", "s.yaml"))
        .hasMessage("s.yaml:1:18: min_sensitivity: warn 0.5 must be at least fail 0.7");
    assertThatThrownBy(() -> SignOffRules.parse("max_llm_gap: {warn: 0.6, fail: 0.3}\n", "s.yaml"))
        .hasMessage("s.yaml:1:14: max_llm_gap: warn 0.6 must be at most fail 0.3");
    assertThatThrownBy(() -> SignOffRules.parse("min_gold: lots\n", "s.yaml"))
        .hasMessage("s.yaml:1:11: min_gold: expected a number, {warn: x, fail: y} or off, found lots");
    assertThatThrownBy(() -> SignOffRules.parse("min_gold: {warn: -1}\n", "s.yaml"))
        .hasMessage("s.yaml:1:18: min_gold.warn: must be a number ≥ 0, found -1");
    assertThatThrownBy(() -> SignOffRules.parse("min_gold: {wran: 1}\n", "s.yaml"))
        .hasMessage("s.yaml:1:12: min_gold.wran: unknown level; use warn and fail");
    assertThatThrownBy(() -> SignOffRules.parse("- 1\n", "s.yaml"))
        .hasMessage("s.yaml:1:1: expected a mapping of thresholds (min_gold, min_gold_positives, min_rater_kappa, "
            + "min_sensitivity, max_relative_half_width, max_llm_gap, max_ece, min_decision_agreement, max_gold_error_shift)");
    assertThatThrownBy(() -> SignOffRules.parse("min_gold: 1\nmin_gold: 2\n", "s.yaml"))
        .hasMessage("s.yaml:2:1: min_gold: written twice");
  }
}
