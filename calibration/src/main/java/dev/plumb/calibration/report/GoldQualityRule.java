package dev.plumb.calibration.report;

import dev.plumb.calibration.report.CalibrationReport.GoldSummary;
import dev.plumb.calibration.report.SignOff.Check;
import dev.plumb.calibration.report.SignOffRules.Threshold;
import dev.plumb.core.Numbers;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sign-off rule on gold quality, {@code max_gold_error_shift} (docs/report.md, "Sign-off"): how
 * far the raters' estimated errors move the human-only estimate, |P̂(probabilities) − P̂(calls)| /
 * P̂(calls), where P̂(calls) treats each gold call as the truth and P̂(probabilities) uses each unit's
 * error-corrected gold under the rater-error model (docs/calibration.md, "Gold error").
 *
 * <p>A large shift means the number rests on the error model as much as on the reviews: the
 * simulation there shows the model's own residual bias growing where violations are rarer than the
 * panel's errors. The rule also warns when the model's rates are too uncertain (its warnings), and
 * when gold made by a consensus of several raters carries no error model at all — the case where
 * a majority of three raters erring 5% of the time calls more clean units violating than there are
 * violations at 0.5% prevalence.
 */
final class GoldQualityRule {
  static final String RULE = "max_gold_error_shift";

  /**
   * Warn above a 10% shift, fail above 50% (as {@code max_llm_gap} fails at a 50% gap): below 10%
   * the correction is within what the error model's simulation bias allows at 0.5–3% prevalence.
   */
  static final Threshold DEFAULT = new Threshold(0.1, 0.5);

  private GoldQualityRule() {}

  /** The rule for one policy; it adds no check when the rule is off or the gold was not a consensus. */
  static SignOff.Rule of(Threshold t, GoldQuality quality, GoldSummary gold) {
    return facts -> Optional.ofNullable(t == null ? null : check(t, quality, gold));
  }

  static Check check(Threshold t, GoldQuality q, GoldSummary gold) {
    if (q == null) {
      List<String> consensus = gold == null ? List.of() : gold.methods().keySet().stream()
          .filter(m -> m.equals("majority") || m.equals("dawid-skene")).toList();
      if (consensus.isEmpty() || !(gold.meanRaters() > 1)) {
        return null;
      }
      return new Check(RULE, Verdict.WARN, Double.NaN, t, String.format(Locale.ROOT, "the raters' errors are not"
          + " measured: the gold is a %s consensus of %s raters per unit on average, and at low prevalence a"
          + " majority's false flags can outnumber the violations; import the answers with --consensus error-model"
          + " (docs/calibration.md, \"Gold error\")", String.join("/", consensus), Numbers.fixed(gold.meanRaters(), 1)));
    }
    double shift = Math.abs(q.moved());
    // above half, the gold error rather than the number of reviews sets the interval's width: a
    // round-1 review with four violating items gave self_harm [0, 87.5%] with a 99.9997% share, and
    // the half-width rule's FAIL alone did not say why
    String wide = !(q.varianceShare() > 0.5) ? "" : String.format(Locale.ROOT, "; the gold error is %s of human-only's"
        + " variance (the error rates' uncertainty and the answers' noise): it, not the number of reviews, sets the"
        + " interval's width", q.varianceShare() >= 0.995 ? "over 99%" : Math.round(100 * q.varianceShare()) + "%");
    String caveat = wide + (q.warnings().isEmpty() ? "" : "; the error rates are uncertain: " + q.warnings().get(0));
    if (Double.isNaN(shift)) {
      return new Check(RULE, Verdict.WARN, Double.NaN, t, "the rater-error model's effect is not measurable (no gold"
          + " call is positive, so there is no estimate on the calls to compare with)" + caveat);
    }
    String shown = String.format(Locale.ROOT, "rater error moves the estimate by %+.1f%% (human-only %s on the gold"
        + " calls, %s on each unit's error-corrected gold)", 100 * q.moved(), Numbers.percent(q.callsEstimate(), 3),
        Numbers.percent(q.estimate(), 3));
    if (shift > t.fail()) {
      return new Check(RULE, Verdict.FAIL, shift, t, shown + ", above the maximum " + pct(t.fail())
          + ": the number rests on the error model more than on the reviews; add honeypots, raters per item or an"
          + " expert tier" + caveat);
    }
    if (shift > t.warn()) {
      return new Check(RULE, Verdict.WARN, shift, t, shown + ", above the recommended " + pct(t.warn()) + caveat);
    }
    return new Check(RULE, q.warnings().isEmpty() ? Verdict.PASS : Verdict.WARN, shift, t,
        shown + " (at most " + pct(t.warn()) + ")" + caveat);
  }

  private static String pct(double x) {
    return Numbers.plain(100 * x) + "%";
  }
}
