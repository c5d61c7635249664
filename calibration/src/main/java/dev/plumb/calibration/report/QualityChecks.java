package dev.plumb.calibration.report;

import dev.plumb.calibration.quality.ConfusionMatrix;
import dev.plumb.calibration.quality.DecisionAgreement;
import dev.plumb.calibration.quality.QualityReport;
import dev.plumb.calibration.quality.ReliabilityTable;
import dev.plumb.calibration.report.SignOff.Check;
import dev.plumb.calibration.report.SignOffRules.Threshold;
import dev.plumb.core.Numbers;
import java.util.Locale;

/**
 * The sign-off rules on what the report's decision-quality section shows, so that no table in it
 * contradicts the verdict: the LLM's confidence calibration ({@code max_ece}) and its agreement
 * with gold over every decision the policy defines ({@code min_decision_agreement}).
 *
 * <p>Both read the weighted figures (each reviewed unit counting by exposure/(π₁π₂)), which
 * estimate the LLM's behaviour over what people saw; the messages give the unweighted figure too.
 */
final class QualityChecks {
  private QualityChecks() {}

  /**
   * Warn above ECE 0.1; no FAIL by default (fail level 1, which an ECE cannot exceed). An ECE of 0.1
   * means the stated confidence is off by ten points on average; Guo et al. (2017) report 0.02–0.10
   * for modern classifiers before recalibration and about 0.01 after. No estimator of prevalence reads
   * the confidence, so a miscalibrated one is a finding about the labeler, not a reason to withhold the
   * number; a team that acts on the confidences sets a fail level (0.25: mostly noise).
   */
  static final Threshold ECE_DEFAULT = new Threshold(0.1, 1);

  /**
   * Warn below 0.8; no FAIL by default (fail level 0). Below 0.8 the LLM disagrees with gold on one
   * unit in five. Prevalence reads only whether a decision is positive, which sensitivity and
   * specificity already check; a confusion among the negative (or positive) decisions matters to
   * whoever routes or enforces on the decisions, who sets a fail level (0.6, like κ's "moderate"
   * boundary).
   */
  static final Threshold AGREEMENT_DEFAULT = new Threshold(0.8, 0);

  /** The LLM's expected calibration error (weighted) against {@code t}, naming the worst bin. */
  static Check calibration(QualityReport q, Threshold t) {
    String rule = "max_ece";
    ReliabilityTable w = q.weighted().reliability();
    double unweighted = q.unweighted().reliability().ece();
    if (Double.isNaN(w.ece())) {
      return new Check(rule, Verdict.WARN, Double.NaN, t,
          "the LLM's confidence calibration is not measured: no reviewed unit's label carried a confidence");
    }
    String shown = String.format(Locale.ROOT, "LLM confidence calibration error (ECE, weighted) %.3f (unweighted %.3f)",
        w.ece(), unweighted);
    if (w.ece() <= t.warn()) {
      return new Check(rule, Verdict.PASS, w.ece(), t, shown + " (at most " + Numbers.plain(t.warn()) + ")");
    }
    Verdict v = w.ece() > t.fail() ? Verdict.FAIL : Verdict.WARN;
    ReliabilityTable.Bin worst = worstBin(w);
    return new Check(rule, v, w.ece(), t, shown + " is above the " + (v == Verdict.FAIL ? "maximum " + Numbers.plain(t.fail())
        : "recommended " + Numbers.plain(t.warn())) + String.format(Locale.ROOT,
        ": where it states %.3f confidence it is right %.0f%% of the time; its confidence is %s%s",
        worst.meanConfidence(), 100 * worst.observed().estimate(),
        v == Verdict.FAIL ? "not a probability" : "only roughly a probability",
        w.recalibration() == null ? "" : String.format(Locale.ROOT, " (recalibrated on the gold: %.3f means %.3f)",
            worst.meanConfidence(), w.recalibration().apply(worst.meanConfidence()))));
  }

  /** The share of units (weighted) with the LLM's decision equal to gold's, over every decision. */
  static Check agreement(QualityReport q, Threshold t) {
    String rule = "min_decision_agreement";
    DecisionAgreement w = q.weighted().agreement();
    DecisionAgreement u = q.unweighted().agreement();
    double value = w.exact().estimate();
    if (Double.isNaN(value)) {
      return new Check(rule, Verdict.WARN, Double.NaN, t, "decision agreement is not measured: no reviewed unit");
    }
    String shown = String.format(Locale.ROOT, "LLM decision equals gold's on %.3f of reviewed exposure (weighted; unweighted"
        + " %d of %d units) over %s", value, Math.round(u.exact().successes()), u.exact().units(),
        String.join(", ", q.weighted().decisions().decisions()));
    if (value >= t.warn()) {
      return new Check(rule, Verdict.PASS, value, t, shown + " (at least " + Numbers.plain(t.warn()) + ")");
    }
    Verdict v = value < t.fail() ? Verdict.FAIL : Verdict.WARN;
    return new Check(rule, v, value, t, shown + ", below the " + (v == Verdict.FAIL ? "minimum " + Numbers.plain(t.fail())
        : "recommended " + Numbers.plain(t.warn())) + "; most often " + largestConfusion(q.unweighted().decisions()));
  }

  /** The bin that contributes most to the ECE: weight × |observed − confidence|. */
  private static ReliabilityTable.Bin worstBin(ReliabilityTable t) {
    ReliabilityTable.Bin worst = null;
    double most = -1;
    for (ReliabilityTable.Bin b : t.bins()) {
      double c = b.observed().total() * Math.abs(b.observed().estimate() - b.meanConfidence());
      if (c > most) {
        most = c;
        worst = b;
      }
    }
    return worst;
  }

  /** "gold safe called borderline (827 of 1,081 units)": the largest off-diagonal cell by count. */
  private static String largestConfusion(ConfusionMatrix m) {
    int bg = -1;
    int bl = -1;
    for (int g = 0; g < m.decisions().size(); g++) {
      for (int l = 0; l < m.decisions().size(); l++) {
        if (g != l && (bg < 0 || m.counts()[g][l] > m.counts()[bg][bl])) {
          bg = g;
          bl = l;
        }
      }
    }
    if (bg < 0 || m.counts()[bg][bl] == 0) {
      return "no confusion";
    }
    int row = 0;
    for (int c : m.counts()[bg]) {
      row += c;
    }
    return String.format(Locale.ROOT, "gold %s called %s by the LLM (%,d of %,d units)%s", m.decisions().get(bg),
        m.decisions().get(bl), m.counts()[bg][bl], row,
        m.positive().get(bg) == m.positive().get(bl) ? ", which the positive/negative figures cannot see" : "");
  }
}
