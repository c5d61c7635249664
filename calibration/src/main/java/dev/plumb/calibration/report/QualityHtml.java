package dev.plumb.calibration.report;

import dev.plumb.calibration.agreement.AgreementSummary;
import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.quality.BinaryQuality;
import dev.plumb.calibration.quality.ConfusionMatrix;
import dev.plumb.calibration.quality.DecisionAgreement;
import dev.plumb.calibration.quality.Quality;
import dev.plumb.calibration.quality.Rate;
import dev.plumb.calibration.quality.ReliabilityTable;
import dev.plumb.calibration.report.Html.Cell;
import dev.plumb.calibration.report.Html.Row;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Numbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@code report.html} about the labels' quality and the people behind the gold:
 * LLM decision quality against gold, human review and agreement among raters, raters on honeypots.
 * {@link ReportHtml} assembles the page.
 */
final class QualityHtml {
  private QualityHtml() {}

  /** The decision-quality section of one policy: metrics, per decision, confusion, reliability, breakdowns. */
  static String quality(CalibrationReport.PolicyReport p) {
    StringBuilder b = new StringBuilder();
    b.append("<h3>LLM decision quality against gold</h3>\n");
    b.append("<p class=\"muted small\">Weighted: each reviewed unit counts by exposure/(π₁π₂), estimating the quality over "
        + "everything people saw. Unweighted: the reviewed set as drawn (LLM positives oversampled).</p>\n");
    b.append("<p class=\"small\">Positive and negative, for sensitivity, specificity, precision, NPV and accuracy: "
        + Html.escape(ReportHtml.mapping(p.quality().weighted().decisions())) + ". Decision agreement counts every decision.</p>\n");
    b.append(qualityTable(p.quality().weighted().overall(), p.quality().unweighted().overall(),
        p.quality().weighted().agreement(), p.quality().unweighted().agreement()));
    b.append("<h4>Per decision (weighted; one-vs-rest)</h4>").append(perDecision(p.quality().weighted().agreement()));
    b.append("<div class=\"grid2\" style=\"grid-template-columns:.85fr 1.15fr\"><div><h4>Confusion matrix (reviewed units; rows gold, columns LLM)</h4>")
        .append(confusion(p.quality().unweighted().decisions(), p.quality().weighted().decisions())).append("</div><div>")
        .append("<h4>Reliability of the LLM's confidence</h4>").append(reliability(p.quality().unweighted().reliability(),
            p.quality().weighted().reliability().ece()))
        .append("</div></div>\n");
    Quality w = p.quality().weighted();
    if (!w.byCategory().isEmpty()) {
      b.append("<h4>Per category (one-vs-rest, weighted)</h4>").append(breakdown(w.byCategory(), "Category"));
    }
    if (w.byStratum().size() > 1) {
      b.append("<h4>Per sampling stratum (weighted)</h4>").append(breakdown(w.byStratum(), "Stratum"));
    }
    return b.toString();
  }

  private static String perDecision(DecisionAgreement a) {
    List<Row> rows = new ArrayList<>();
    for (DecisionAgreement.PerDecision d : a.decisions()) {
      rows.add(Row.of(Cell.text(d.decision()), Cell.text(d.positive() ? "positive" : "negative"),
          Cell.num(Numbers.count(d.recall().units())), Cell.num(Numbers.count(d.precision().units())),
          Cell.num(Numbers.fixed(d.recall().estimate(), 3)), Cell.num(ci(d.recall().interval())),
          Cell.num(Numbers.fixed(d.precision().estimate(), 3)), Cell.num(ci(d.precision().interval()))));
    }
    return Html.table(List.of("Decision", "Counts as", "Gold units", "LLM units", "Recall", "Wilson interval", "Precision",
        "Wilson interval"), rows, "");
  }

  private static String qualityTable(BinaryQuality w, BinaryQuality u, DecisionAgreement aw, DecisionAgreement au) {
    List<Row> rows = new ArrayList<>();
    Map<String, Rate[]> rates = new LinkedHashMap<>();
    rates.put("Sensitivity (recall)", new Rate[] {w.sensitivity(), u.sensitivity()});
    rates.put("Specificity", new Rate[] {w.specificity(), u.specificity()});
    rates.put("Precision (PPV)", new Rate[] {w.precision(), u.precision()});
    rates.put("Negative predictive value", new Rate[] {w.npv(), u.npv()});
    rates.put("Accuracy (positive vs negative)", new Rate[] {w.accuracy(), u.accuracy()});
    rates.put("Decision agreement (every decision)", new Rate[] {aw.exact(), au.exact()});
    rates.forEach((name, r) -> rows.add(Row.of(Cell.text(name), Cell.num(Numbers.fixed(r[0].estimate(), 3)),
        Cell.num(ci(r[0].interval())), Cell.num(Numbers.fixed(r[1].estimate(), 3)), Cell.num(ci(r[1].interval())),
        Cell.num(Numbers.count(r[1].units())))));
    rows.add(Row.of(Cell.text("F1"), Cell.num(Numbers.fixed(w.f1(), 3)), Cell.num(ci(w.f1Interval())),
        Cell.num(Numbers.fixed(u.f1(), 3)), Cell.num(ci(u.f1Interval())), Cell.num("")));
    rows.add(Row.of(Cell.text("Cohen's κ"), Cell.num(Numbers.fixed(w.kappa(), 3)), Cell.num(""),
        Cell.num(Numbers.fixed(u.kappa(), 3)), Cell.num(""), Cell.num("")));
    rows.add(Row.of(Cell.text("Cohen's κ (every decision)"), Cell.num(Numbers.fixed(aw.kappa(), 3)), Cell.num(""),
        Cell.num(Numbers.fixed(au.kappa(), 3)), Cell.num(""), Cell.num("")));
    rows.add(Row.of(Cell.text("Gwet's AC1"), Cell.num(Numbers.fixed(w.ac1(), 3)), Cell.num(""),
        Cell.num(Numbers.fixed(u.ac1(), 3)), Cell.num(""), Cell.num("")));
    return Html.table(List.of("Metric", "Weighted", "Wilson interval", "Unweighted", "Wilson interval", "Units"), rows, "");
  }

  private static String confusion(ConfusionMatrix counts, ConfusionMatrix weighted) {
    List<String> d = counts.decisions();
    double total = 0;
    for (double[] row : weighted.weighted()) {
      for (double x : row) {
        total += x;
      }
    }
    StringBuilder b = new StringBuilder("<table class=\"cm\"><thead><tr><th>gold \\ LLM</th>");
    d.forEach(x -> b.append("<th class=\"num\">").append(Html.escape(x)).append("</th>"));
    b.append("</tr></thead><tbody>");
    for (int g = 0; g < d.size(); g++) {
      b.append("<tr><th>").append(Html.escape(d.get(g))).append("</th>");
      double rowTotal = 0;
      for (int l = 0; l < d.size(); l++) {
        rowTotal += counts.counts()[g][l];
      }
      for (int l = 0; l < d.size(); l++) {
        int c = counts.counts()[g][l];
        double share = rowTotal > 0 ? c / rowTotal : 0;
        double wshare = total > 0 ? weighted.weighted()[g][l] / total : 0;
        b.append("<td class=\"cell\" style=\"background:").append(Charts.heat(share)).append("\"><b>")
            .append(Numbers.count(c)).append("</b><br><span class=\"small muted\">")
            .append(Html.escape(Numbers.percent(wshare, 2))).append(" of exposure</span></td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table>\n<p class=\"small muted\">Cells: reviewed units (shaded by the row's share) and the weighted "
        + "share of all exposure.</p>\n");
    return b.toString();
  }

  private static String reliability(ReliabilityTable t, double weightedEce) {
    if (t.bins().isEmpty()) {
      return "<p class=\"muted\">No label carried a confidence.</p>\n";
    }
    return reliabilityFigure(t, List.of("Confidence", "Units", "Stated", "Correct"), "stated confidence", "share correct",
        "Expected calibration error " + Numbers.fixed(t.ece(), 3) + " (weighted "
        + Numbers.fixed(weightedEce, 3) + ", the figure max_ece checks)"
        + (t.withoutConfidence() > 0 ? "; " + t.withoutConfidence() + " units without a confidence" : "")
        + ". Unweighted (units as reviewed); bars are Wilson intervals.");
  }

  /**
   * A reliability diagram beside its table (bin, units, mean stated probability, observed share) and
   * a footnote: the LLM's confidence here, a label score in {@link ScoreSection}.
   */
  static String reliabilityFigure(ReliabilityTable t, List<String> headers, String xTitle, String yTitle, String note) {
    List<Charts.ReliabilityPoint> points = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (ReliabilityTable.Bin bin : t.bins()) {
      Interval i = bin.observed().interval();
      points.add(new Charts.ReliabilityPoint(bin.meanConfidence(), bin.observed().estimate(),
          i == null ? Double.NaN : i.lower(), i == null ? Double.NaN : i.upper(), bin.observed().units()));
      rows.add(Row.of(Cell.text(Numbers.fixed(bin.lower(), 1) + "–" + Numbers.fixed(bin.upper(), 1)),
          Cell.num(Numbers.count(bin.observed().units())), Cell.num(Numbers.fixed(bin.meanConfidence(), 2)),
          Cell.num(Numbers.fixed(bin.observed().estimate(), 2))));
    }
    return "<div style=\"display:flex;gap:14px;align-items:flex-start\"><div style=\"flex:0 0 240px\">"
        + Charts.reliability(points, 240, xTitle, yTitle) + "</div><div style=\"flex:1 1 auto\">"
        + Html.table(headers, rows, "") + "<p class=\"small muted\">" + Html.escape(note) + "</p></div></div>\n";
  }

  private static String breakdown(Map<String, BinaryQuality> by, String what) {
    List<Row> rows = new ArrayList<>();
    by.forEach((k, q) -> rows.add(Row.of(Cell.text(k), Cell.num(Numbers.count(q.units())),
        Cell.num(Numbers.fixed(q.sensitivity().estimate(), 3)), Cell.num(Numbers.fixed(q.specificity().estimate(), 3)),
        Cell.num(Numbers.fixed(q.precision().estimate(), 3)), Cell.num(Numbers.fixed(q.npv().estimate(), 3)),
        Cell.num(Numbers.fixed(q.f1(), 3)), Cell.num(Numbers.fixed(q.kappa(), 3)))));
    return Html.table(List.of(what, "Units", "Sensitivity", "Specificity", "Precision", "NPV", "F1", "κ"), rows, "");
  }

  /** The human-review section of one policy: consensus facts, agreement among raters, each rater against the gold. */
  static String review(CalibrationReport.PolicyReport p) {
    StringBuilder b = new StringBuilder();
    CalibrationReport.GoldSummary g = p.gold();
    List<String> facts = new ArrayList<>();
    facts.add("phase-2 strata: " + String.join(", ", p.phase2Strata()));
    if (!g.methods().isEmpty()) {
      List<String> m = new ArrayList<>();
      g.methods().forEach((k, v) -> m.add(k + " " + v));
      facts.add("consensus: " + String.join(", ", m));
    }
    if (g.withRaters() > 0) {
      facts.add("mean raters per unit " + Numbers.fixed(g.meanRaters(), 2));
    }
    if (g.withAgreement() > 0) {
      facts.add("mean share agreeing with the consensus " + Numbers.fixed(g.meanAgreement(), 3) + "; unanimous "
          + g.unanimous() + " of " + g.withAgreement());
    }
    b.append("<p>").append(Html.escape(String.join(" · ", facts))).append("</p>\n");
    if (p.raters() == null) {
      b.append("<p class=\"muted\">No individual rater answers were given (--answers), so agreement among raters is not measured.</p>\n");
      return b.toString();
    }
    AgreementSummary a = p.raters().agreement();
    b.append("<div class=\"kpis\">")
        .append(Html.kpi(Numbers.fixed(a.fleissKappa(), 3), "Fleiss' κ"))
        .append(Html.kpi(Numbers.fixed(a.krippendorffAlpha(), 3), "Krippendorff's α (nominal)"))
        .append(Html.kpi(Numbers.fixed(a.krippendorffAlphaOrdinal(), 3), "Krippendorff's α (ordinal, the policy's decision order)"))
        .append(Html.kpi(Numbers.fixed(a.gwetAc1(), 3), "Gwet's AC1"))
        .append(Html.kpi(Numbers.fixed(a.percent(), 3), "percent agreement"))
        .append(Html.kpi(a.raters() + " / " + Numbers.count(a.ratings()), "raters / ratings on " + Numbers.count(a.pairable())
            + " units rated twice or more"))
        .append("</div>\n");
    if (p.raters().agreementAll() != null) {
      AgreementSummary all = p.raters().agreementAll();
      b.append("<p class=\"small\">Among the raters whose answers made the gold. Excluded as flagged on honeypots: ")
          .append(Html.escape(String.join(", ", p.raters().excluded()))).append("; with their answers Fleiss' κ would be ")
          .append(Numbers.fixed(all.fleissKappa(), 3)).append(" and percent agreement ").append(Numbers.fixed(all.percent(), 3))
          .append(".</p>\n");
    }
    if (!p.raters().accuracy().isEmpty()) {
      List<Row> rows = new ArrayList<>();
      for (HoneypotScore s : p.raters().accuracy()) {
        rows.add(new Row(raterCells(s), s.flagged()));
      }
      b.append("<h4>Each rater against the gold decision</h4>").append(Html.table(List.of("Rater", "Agrees", "Share", "Wilson", ""),
          rows, "")).append("<p class=\"small muted\">A rater's own answer is part of the consensus, so these shares lean high; "
          + "flagged below " + Numbers.fixed(CalibrationReport.RATER_ACCURACY_BAR, 2) + ".</p>\n");
    }
    return b.toString();
  }

  /** The raters-on-honeypots card (only when rater files were given). */
  static String honeypots(CalibrationReport.RaterFiles files) {
    List<Row> rows = new ArrayList<>();
    long flagged = 0;
    for (HoneypotScore s : files.honeypots()) {
      flagged += s.flagged() ? 1 : 0;
      List<Cell> cells = new ArrayList<>(raterCells(s));
      cells.add(Cell.html("<span class=\"small muted\">" + Html.escape(s.reason()) + "</span>"));
      rows.add(new Row(cells, s.flagged()));
    }
    return Html.card("raters", "<h2>Raters on honeypots</h2>\n<p class=\"muted\">Known-answer units mixed into the review "
        + "queues; " + files.honeypots().size() + " raters scored, " + flagged + " flagged (from "
        + Html.escape(String.valueOf(files.ratersFile())) + ").</p>\n"
        + Html.table(List.of("Rater", "Correct", "Accuracy", "Wilson", "", "Why flagged"), rows, ""));
  }

  private static String ci(Interval i) {
    return i == null ? "" : "[" + Numbers.fixed(i.lower(), 3) + ", " + Numbers.fixed(i.upper(), 3) + "]";
  }

  /** Rater, agreeing/answered, share, Wilson interval, flag: the columns both rater tables share. */
  private static List<Cell> raterCells(HoneypotScore s) {
    return List.of(Cell.text(s.rater()), Cell.num(s.correct() + " / " + s.answered()),
        Cell.num(Numbers.fixed(s.accuracy(), 3)), Cell.num(ci(s.interval())),
        Cell.html(s.flagged() ? Html.badge("FLAGGED", Html.Tone.WARN) : Html.badge("OK", Html.Tone.GOOD)));
  }
}
