package dev.plumb.calibration.report;

import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.GammaInterval;
import dev.plumb.core.Numbers;
import dev.plumb.calibration.quality.QualityReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sign-off of one policy: every rule's check and the overall verdict, the worst of them.
 *
 * @param verdict PASS when every check passed, WARN when at least one warned and none failed
 * @param checks one per enabled rule, in {@link SignOffRules#KEYS} order, then those of any extra
 *     {@link Rule}
 */
public record SignOff(Verdict verdict, List<Check> checks) {
  public SignOff {
    checks = List.copyOf(checks);
  }

  /**
   * One rule applied to one policy.
   *
   * @param rule the rule's key, e.g. {@code min_gold}
   * @param verdict the outcome
   * @param value the measured value (NaN when it could not be measured)
   * @param threshold the rule's levels
   * @param message a sentence for the report: the value, the level it was held to, and why
   */
  public record Check(String rule, Verdict verdict, double value, SignOffRules.Threshold threshold, String message) {}

  /**
   * What the rules look at for one policy.
   *
   * @param gold reviewed units
   * @param goldPositives reviewed units judged positive
   * @param raterKappa Fleiss' κ among raters, NaN when no rater answers were given
   * @param sensitivity the LLM's design-weighted sensitivity against gold, NaN without gold positives
   * @param sensitivityLower the lower end of its 95% interval (NaN when unknown)
   * @param sensitivityEffectiveN the effective number of gold positives behind it (Kish)
   * @param headline the recommended estimator's answer
   * @param llmOnly the LLM-only answer
   * @param quality the LLM's decision quality against gold (confidence calibration, agreement over
   *     every decision), or {@code null} when not assessed: then its rules are not applied
   * @param raterPercent the raters' percent agreement on units with two or more answers, NaN when
   *     there are none: with {@code raterKappa} NaN it tells "no overlap" from "κ undefined because
   *     every answer was the same decision" (chance agreement 1)
   * @param reviewClasses whether the review was drawn in classes (strata, weight classes) that
   *     {@code --interval kg-gamma} can bound; false after a confidence-driven (Poisson) review
   * @param interval the interval method asked for ({@code calibrate --interval}; kg-gamma by default)
   */
  public record Facts(
      int gold, int goldPositives, double raterKappa, double sensitivity, double sensitivityLower, double sensitivityEffectiveN,
      Corrected headline, Corrected llmOnly, QualityReport quality, double raterPercent, boolean reviewClasses,
      IntervalMethod interval) {
    public Facts {
      java.util.Objects.requireNonNull(interval, "interval");
    }

    /** Facts of a review drawn in classes, with the default interval. */
    public Facts(int gold, int goldPositives, double raterKappa, double sensitivity, double sensitivityLower,
        double sensitivityEffectiveN, Corrected headline, Corrected llmOnly, QualityReport quality, double raterPercent) {
      this(gold, goldPositives, raterKappa, sensitivity, sensitivityLower, sensitivityEffectiveN, headline, llmOnly, quality,
          raterPercent, true, IntervalMethod.KG_GAMMA);
    }

    /** Facts without the raters' percent agreement. */
    public Facts(int gold, int goldPositives, double raterKappa, double sensitivity, double sensitivityLower,
        double sensitivityEffectiveN, Corrected headline, Corrected llmOnly, QualityReport quality) {
      this(gold, goldPositives, raterKappa, sensitivity, sensitivityLower, sensitivityEffectiveN, headline, llmOnly, quality,
          Double.NaN);
    }

    /** Facts without decision quality. */
    public Facts(int gold, int goldPositives, double raterKappa, double sensitivity, double sensitivityLower,
        double sensitivityEffectiveN, Corrected headline, Corrected llmOnly) {
      this(gold, goldPositives, raterKappa, sensitivity, sensitivityLower, sensitivityEffectiveN, headline, llmOnly, null);
    }

    /** Facts without a sensitivity interval or decision quality. */
    public Facts(int gold, int goldPositives, double raterKappa, double sensitivity, Corrected headline, Corrected llmOnly) {
      this(gold, goldPositives, raterKappa, sensitivity, Double.NaN, Double.NaN, headline, llmOnly, null);
    }
  }

  /**
   * A rule beyond the built-in ones, evaluated after them for every policy: the hook for checks
   * whose facts another part computes (e.g. a gold-quality rule from the estimated rater error,
   * issue 14 item 4). Returns nothing when it does not apply.
   */
  @FunctionalInterface
  public interface Rule {
    java.util.Optional<Check> check(Facts facts);
  }

  /** The reasons of every check that did not pass, as sentences. */
  public List<String> reasons() {
    return checks.stream().filter(c -> c.verdict() != Verdict.PASS).map(Check::message).toList();
  }

  /** Applies {@code rules} to {@code facts}. */
  public static SignOff evaluate(SignOffRules rules, Facts facts) {
    return evaluate(rules, facts, List.of());
  }

  /**
   * Applies {@code rules} to {@code facts}, then every rule of {@code more} in order; the verdict
   * is the worst over all checks.
   */
  public static SignOff evaluate(SignOffRules rules, Facts facts, List<Rule> more) {
    List<Check> checks = new ArrayList<>();
    if (rules.minGold() != null) {
      checks.add(minimum("min_gold", facts.gold(), rules.minGold(), "reviewed units", true));
    }
    if (rules.minGoldPositives() != null) {
      Check c = minimum("min_gold_positives", facts.goldPositives(), rules.minGoldPositives(), "gold positives", true);
      if (facts.goldPositives() == 0) {
        c = new Check(c.rule(), c.verdict(), 0, c.threshold(), "no gold positive: the prevalence is only bounded from above; "
            + "review more units (oversample LLM positives)");
      }
      checks.add(c);
    }
    if (rules.minRaterKappa() != null) {
      if (Double.isNaN(facts.raterKappa()) && !Double.isNaN(facts.raterPercent())) {
        checks.add(new Check("min_rater_kappa", Verdict.WARN, Double.NaN, rules.minRaterKappa(), String.format(Locale.ROOT,
            "raters' Fleiss κ not defined: every answer on the overlapping units is the same decision (percent agreement"
                + " %.3f, chance agreement 1), so agreement cannot show whether the raters tell violations apart;"
                + " add honeypots with a violating known answer", facts.raterPercent())));
      } else if (Double.isNaN(facts.raterKappa())) {
        checks.add(new Check("min_rater_kappa", Verdict.WARN, Double.NaN, rules.minRaterKappa(),
            "rater agreement not measured: no rater answers with at least two raters on a unit (pass --answers)"));
      } else {
        checks.add(minimum("min_rater_kappa", facts.raterKappa(), rules.minRaterKappa(), "raters' Fleiss κ", false));
      }
    }
    if (rules.minSensitivity() != null) {
      if (Double.isNaN(facts.sensitivity())) {
        checks.add(new Check("min_sensitivity", Verdict.WARN, Double.NaN, rules.minSensitivity(),
            "the LLM's sensitivity cannot be measured without gold positives"));
      } else {
        checks.add(sensitivity(facts, rules.minSensitivity()));
      }
    }
    if (rules.maxRelativeHalfWidth() != null) {
      checks.add(halfWidth(facts.headline(), rules.maxRelativeHalfWidth()));
    }
    if (rules.maxLlmGap() != null) {
      checks.add(gap(facts, rules.maxLlmGap()));
    }
    if (facts.quality() != null && rules.maxEce() != null) {
      checks.add(QualityChecks.calibration(facts.quality(), rules.maxEce()));
    }
    if (facts.quality() != null && rules.minDecisionAgreement() != null) {
      checks.add(QualityChecks.agreement(facts.quality(), rules.minDecisionAgreement()));
    }
    for (Rule rule : more) {
      rule.check(facts).ifPresent(checks::add);
    }
    Verdict v = Verdict.PASS;
    for (Check c : checks) {
      v = v.worst(c.verdict());
    }
    return new SignOff(v, checks);
  }

  private static Check minimum(String rule, double value, SignOffRules.Threshold t, String what, boolean count) {
    String shown = count ? Long.toString(Math.round(value)) : String.format(Locale.ROOT, "%.3f", value);
    if (value < t.fail()) {
      return new Check(rule, Verdict.FAIL, value, t, what + " " + shown + " is below the minimum " + Numbers.plain(t.fail()));
    }
    if (value < t.warn()) {
      return new Check(rule, Verdict.WARN, value, t, what + " " + shown + " is below the recommended " + Numbers.plain(t.warn()));
    }
    return new Check(rule, Verdict.PASS, value, t, what + " " + shown + " (at least " + Numbers.plain(t.warn()) + ")");
  }

  /**
   * The point estimate against the levels, and — when that passes or warns — its 95% lower bound
   * against the fail level: a sensitivity of 1.000 from a handful of heavily weighted gold
   * positives only says the review saw no miss, not that there are none. Then the misses the LLM
   * makes are barely sampled, and the corrected interval (whose variance comes from what was
   * sampled) can understate; the check warns.
   */
  private static Check sensitivity(Facts facts, SignOffRules.Threshold t) {
    Check c = minimum("min_sensitivity", facts.sensitivity(), t, "LLM sensitivity (weighted)", false);
    if (c.verdict() == Verdict.FAIL || !(facts.sensitivityLower() < t.fail())) {
      return c;
    }
    // a MOVER-Wilson or gamma headline (--interval gamma, or kg-gamma where it switched) already allows for
    // misses a review class did not show; a design interval may not. kg-gamma, the default, is the narrower of
    // the two that cover there (docs/calibration.md, "The default interval"): advise it only when another
    // interval was asked for, and where kg-gamma kept Korn–Graubard say why
    String allows = facts.headline() instanceof Corrected.Estimated e
        ? e.interval().method().equals(IntervalMethod.MOVER_WILSON.label()) ? "MOVER-Wilson"
        : e.interval().method().equals(GammaInterval.LABEL) ? "gamma" : null
        : null;
    return new Check(c.rule(), Verdict.WARN, c.value(), t, String.format(Locale.ROOT,
        "LLM sensitivity (weighted) %.3f, but from %.1f effective gold positives its 95%% lower bound is %.3f, below the minimum %s:"
            + " the review saw too few of the LLM's misses to rule them out%s",
        facts.sensitivity(), facts.sensitivityEffectiveN(), facts.sensitivityLower(), Numbers.plain(t.fail()),
        allows != null ? " (the " + allows + " interval allows for them; review more LLM negatives to narrow it)"
            // kg-gamma changes human-only only, and only where a review stratum showed none
            : facts.headline().estimator() != CorrectedEstimator.HUMAN_ONLY || !facts.reviewClasses()
                ? ", and the interval may understate them"
            : facts.interval() == IntervalMethod.KG_GAMMA
                ? ", and the interval may understate them (kg-gamma kept Korn–Graubard's: every review stratum reviewed"
                    + " in part that holds a tenth of the exposure showed a violation)"
                : ", and the interval may understate them (the default, kg-gamma, allows for a review stratum that showed none)"));
  }

  private static Check maximum(String rule, double value, SignOffRules.Threshold t, String what) {
    String shown = String.format(Locale.ROOT, "%.0f%%", 100 * value);
    String fail = String.format(Locale.ROOT, "%.0f%%", 100 * t.fail());
    String warn = String.format(Locale.ROOT, "%.0f%%", 100 * t.warn());
    if (value > t.fail()) {
      return new Check(rule, Verdict.FAIL, value, t, what + " " + shown + " is above the maximum " + fail);
    }
    if (value > t.warn()) {
      return new Check(rule, Verdict.WARN, value, t, what + " " + shown + " is above the recommended " + warn);
    }
    return new Check(rule, Verdict.PASS, value, t, what + " " + shown + " (at most " + warn + ")");
  }

  private static Check halfWidth(Corrected headline, SignOffRules.Threshold t) {
    String rule = "max_relative_half_width";
    if (headline instanceof Corrected.Estimated e) {
      if (!(e.estimate() > 0)) {
        return new Check(rule, Verdict.WARN, Double.NaN, t, "the headline estimate is 0: a relative precision is undefined");
      }
      double rel = e.interval().width() / 2 / e.estimate();
      return maximum(rule, rel, t, "interval half-width relative to the estimate");
    }
    if (headline instanceof Corrected.UpperBound b) {
      return new Check(rule, Verdict.WARN, Double.NaN, t, "only a one-sided bound (≤ " + Numbers.percent(b.bound().upper(), 3)
          + "): precision relative to an estimate is undefined");
    }
    return new Check(rule, Verdict.FAIL, Double.NaN, t, "the headline estimator is not estimable");
  }

  private static Check gap(Facts facts, SignOffRules.Threshold t) {
    String rule = "max_llm_gap";
    if (facts.headline().estimator() == CorrectedEstimator.LLM_ONLY) {
      return new Check(rule, Verdict.FAIL, Double.NaN, t, "no gold: the headline is the uncorrected LLM-only estimate");
    }
    if (facts.headline() instanceof Corrected.Estimated h && facts.llmOnly() instanceof Corrected.Estimated l) {
      if (!(h.estimate() > 0)) {
        return new Check(rule, Verdict.WARN, Double.NaN, t, "the corrected estimate is 0: a relative gap is undefined");
      }
      double gap = Math.abs(l.estimate() - h.estimate()) / h.estimate();
      Check c = maximum(rule, gap, t, "gap between LLM-only and the corrected estimate:");
      String direction = l.estimate() > h.estimate() ? " (the LLM over-calls)" : l.estimate() < h.estimate() ? " (the LLM under-calls)" : "";
      return new Check(c.rule(), c.verdict(), c.value(), t, c.message() + (c.verdict() == Verdict.PASS ? "" : direction));
    }
    if (facts.headline() instanceof Corrected.UpperBound b && facts.llmOnly() instanceof Corrected.Estimated l) {
      boolean above = l.estimate() > b.bound().upper();
      return new Check(rule, above ? Verdict.FAIL : Verdict.PASS, Double.NaN, t, "LLM-only " + Numbers.percent(l.estimate(), 3)
          + " is " + (above ? "above" : "within") + " the corrected upper bound " + Numbers.percent(b.bound().upper(), 3));
    }
    return new Check(rule, Verdict.WARN, Double.NaN, t, "the gap between LLM-only and corrected cannot be computed");
  }
}
