package dev.plumb.calibration.report;

import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.quality.BinaryQuality;
import dev.plumb.calibration.quality.Rate;
import dev.plumb.core.Numbers;
import java.util.ArrayList;
import java.util.List;

/** {@code report.md}: the report for a pull request or a ticket (GitHub-flavoured Markdown tables). */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  /** The document. */
  public static String of(CalibrationReport r) {
    String level = ReportHtml.level(r.options().level());
    StringBuilder b = new StringBuilder();
    b.append("# Policy-violation prevalence: calibration and sign-off\n\n");
    b.append("Overall verdict: **").append(r.verdict().name()).append("** · ").append(ReportHtml.WHEN.format(r.created()))
        .append(" · ").append(r.plumbVersion()).append("\n\n");
    boolean truth = r.policies().stream().anyMatch(p -> !Double.isNaN(p.truth()));
    List<String> headers = new ArrayList<>(List.of("policy", "verdict", "prevalence", level + " interval", "estimator",
        "reviewed", "gold +", "LLM-only"));
    if (truth) {
      headers.add("truth");
    }
    List<List<String>> rows = new ArrayList<>();
    for (CalibrationReport.PolicyReport p : r.policies()) {
      Corrected h = p.corrected().headline();
      List<String> row = new ArrayList<>(List.of(p.policy(), "**" + p.signOff().verdict().name() + "**",
          ReportHtml.estimateText(h), ReportHtml.intervalText(h), p.corrected().recommendation().estimator().label(),
          Integer.toString(p.goldUnits()), Integer.toString(p.goldPositives()),
          ReportHtml.estimateText(p.corrected().get(CorrectedEstimator.LLM_ONLY))));
      if (truth) {
        row.add(Double.isNaN(p.truth()) ? "–" : Numbers.percent(p.truth(), 3) + (ReportHtml.covers(h, p.truth()) ? " (covered)" : " (missed)"));
      }
      rows.add(row);
    }
    table(b, headers, rows);
    r.notes().forEach(n -> b.append("- Note: ").append(n).append('\n'));
    for (CalibrationReport.PolicyReport p : r.policies()) {
      b.append("\n## ").append(p.policy()).append(" — ").append(p.signOff().verdict().name()).append("\n\n");
      b.append("Recommended: **").append(p.corrected().recommendation().estimator().label()).append("** — ")
          .append(p.corrected().recommendation().reason()).append(".\n\n");
      for (SignOff.Check c : p.signOff().checks()) {
        b.append("- ").append(c.verdict().name()).append(" `").append(c.rule()).append("`: ").append(c.message()).append('\n');
      }
      b.append('\n');
      List<List<String>> est = new ArrayList<>();
      for (Corrected c : p.corrected().estimates()) {
        String se = c instanceof Corrected.Estimated e ? Numbers.percent(e.se(), 2) : "–";
        String note = c instanceof Corrected.Estimated e ? e.note() : c instanceof Corrected.UpperBound u ? u.reason()
            : ((Corrected.NotEstimable) c).reason();
        List<String> row = new ArrayList<>(List.of(c.estimator().label()
            + (c.estimator() == p.corrected().recommendation().estimator() ? " ★" : ""),
            ReportHtml.estimateText(c), se, ReportHtml.intervalText(c)));
        if (!Double.isNaN(p.truth())) {
          row.add(c instanceof Corrected.NotEstimable ? "–" : ReportHtml.covers(c, p.truth()) ? "yes" : "no");
        }
        row.add(note);
        est.add(row);
      }
      List<String> eh = new ArrayList<>(List.of("estimator", "estimate", "SE", level + " interval"));
      if (!Double.isNaN(p.truth())) {
        eh.add("covers truth");
      }
      eh.add("note");
      table(b, eh, est);
      BinaryQuality w = p.quality().weighted().overall();
      BinaryQuality u = p.quality().unweighted().overall();
      b.append("\nLLM decision quality against gold (weighted / unweighted; ")
          .append(ReportHtml.mapping(p.quality().weighted().decisions())).append("):\n\n");
      List<List<String>> q = new ArrayList<>();
      q.add(rate("sensitivity", w.sensitivity(), u.sensitivity()));
      q.add(rate("specificity", w.specificity(), u.specificity()));
      q.add(rate("precision", w.precision(), u.precision()));
      q.add(rate("NPV", w.npv(), u.npv()));
      q.add(rate("accuracy (positive vs negative)", w.accuracy(), u.accuracy()));
      q.add(rate("decision agreement (every decision)", p.quality().weighted().agreement().exact(),
          p.quality().unweighted().agreement().exact()));
      q.add(List.of("confidence ECE", Numbers.fixed(p.quality().weighted().reliability().ece(), 3),
          Numbers.fixed(p.quality().unweighted().reliability().ece(), 3)));
      q.add(List.of("F1", Numbers.fixed(w.f1(), 3), Numbers.fixed(u.f1(), 3)));
      q.add(List.of("Cohen's κ", Numbers.fixed(w.kappa(), 3), Numbers.fixed(u.kappa(), 3)));
      q.add(List.of("Gwet's AC1", Numbers.fixed(w.ac1(), 3), Numbers.fixed(u.ac1(), 3)));
      table(b, List.of("metric", "weighted", "unweighted"), q);
      if (p.labelScores() != null) {
        ScoreSection.markdown(b, p.labelScores());
      }
      if (!p.domains().isEmpty()) {
        b.append('\n');
        List<List<String>> d = new ArrayList<>();
        for (CalibrationReport.DomainReport x : p.domains()) {
          Corrected h = x.corrected().headline();
          d.add(List.of(x.attribute() + " = " + x.value(), Integer.toString(x.units()), Integer.toString(x.goldUnits()),
              ReportHtml.estimateText(h), ReportHtml.intervalText(h), x.corrected().recommendation().estimator().label()));
        }
        table(b, List.of("domain", "units", "reviewed", "prevalence", level + " interval", "estimator"), d);
      }
      if (p.raters() != null) {
        var a = p.raters().agreement();
        b.append("\nRaters: Fleiss' κ ").append(Numbers.fixed(a.fleissKappa(), 3)).append(", Krippendorff's α ")
            .append(Numbers.fixed(a.krippendorffAlpha(), 3)).append(" (ordinal ").append(Numbers.fixed(a.krippendorffAlphaOrdinal(), 3))
            .append("), Gwet's AC1 ").append(Numbers.fixed(a.gwetAc1(), 3))
            .append(", percent agreement ").append(Numbers.fixed(a.percent(), 3)).append(" (").append(a.raters())
            .append(" raters, ").append(a.ratings()).append(" ratings)");
        var all = p.raters().agreementAll();
        if (all != null) {
          b.append("; excluded as flagged on honeypots: ").append(String.join(", ", p.raters().excluded()))
              .append(" (with them: Fleiss' κ ").append(Numbers.fixed(all.fleissKappa(), 3)).append(", percent agreement ")
              .append(Numbers.fixed(all.percent(), 3)).append(")");
        }
        b.append(".\n");
      }
    }
    if (!r.raterFiles().honeypots().isEmpty()) {
      b.append("\n## Raters on honeypots\n\n");
      List<List<String>> h = new ArrayList<>();
      for (var s : r.raterFiles().honeypots()) {
        h.add(List.of(s.rater(), s.correct() + "/" + s.answered(), Numbers.fixed(s.accuracy(), 3), s.flagged() ? "**flagged**" : "ok"));
      }
      table(b, List.of("rater", "correct", "accuracy", ""), h);
    }
    var l = r.provenance().path("labels");
    b.append("\n## Provenance\n\n");
    b.append("- models: ").append(ReportHtml.join(l.path("models"))).append("; backends: ")
        .append(ReportHtml.join(l.path("backends"))).append('\n');
    b.append("- prompts: ").append(ReportHtml.join(l.path("prompts"))).append('\n');
    var s = r.provenance().path("sample");
    b.append("- sample: ").append(s.path("design").path("type").asText("?"))
        .append(s.has("seed") ? ", seed " + s.get("seed").asText() : "").append('\n');
    r.provenance().path("inputs").fields().forEachRemaining(e -> b.append("- ").append(e.getKey()).append(": `")
        .append(e.getValue().path("path").asText()).append("` ").append(e.getValue().path("sha256").asText()).append('\n'));
    return b.toString();
  }

  private static List<String> rate(String name, Rate w, Rate u) {
    return List.of(name, Numbers.fixed(w.estimate(), 3), Numbers.fixed(u.estimate(), 3));
  }

  private static void table(StringBuilder b, List<String> headers, List<List<String>> rows) {
    b.append("| ").append(String.join(" | ", headers.stream().map(ReportMarkdown::cell).toList())).append(" |\n|");
    headers.forEach(h -> b.append("---|"));
    b.append('\n');
    for (List<String> row : rows) {
      b.append("| ").append(String.join(" | ", row.stream().map(ReportMarkdown::cell).toList())).append(" |\n");
    }
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
