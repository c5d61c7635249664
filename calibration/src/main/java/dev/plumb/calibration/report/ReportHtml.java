package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.CorrectedPrevalence;
import dev.plumb.calibration.quality.BinaryQuality;
import dev.plumb.calibration.quality.ConfusionMatrix;
import dev.plumb.calibration.report.Html.Cell;
import dev.plumb.calibration.report.Html.Row;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Numbers;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no external
 * resource) rendering a {@link CalibrationReport}: summary, then per policy the headline with every
 * estimator on one axis, the sign-off, decision quality, confusion matrix, reliability diagram,
 * domains and agreement, then provenance. The quality and rater sections are {@link QualityHtml}'s.
 */
public final class ReportHtml {
  private ReportHtml() {}

  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The page. */
  public static String of(CalibrationReport r) {
    StringBuilder b = new StringBuilder();
    String level = level(r.options().level());
    b.append("<nav class=\"toc small\"><a href=\"#summary\">Summary</a>");
    for (CalibrationReport.PolicyReport p : r.policies()) {
      b.append("<a href=\"#").append(anchor(p)).append("\">").append(Html.escape(p.policy())).append("</a>");
    }
    if (!r.raterFiles().honeypots().isEmpty()) {
      b.append("<a href=\"#raters\">Raters</a>");
    }
    b.append("<a href=\"#provenance\">Provenance</a></nav>\n");
    b.append(summary(r, level));
    for (CalibrationReport.PolicyReport p : r.policies()) {
      b.append(policy(p, level));
    }
    if (!r.raterFiles().honeypots().isEmpty()) {
      b.append(QualityHtml.honeypots(r.raterFiles()));
    }
    b.append(provenance(r));
    b.append("<footer>").append(Html.escape(r.plumbVersion())).append(" · report.json holds every number on this page, unrounded")
        .append("</footer>\n");
    JsonNode labels = r.provenance().path("labels");
    String models = join(labels.path("models"));
    String subtitle = WHEN.format(r.created()) + " · " + r.policies().size() + (r.policies().size() == 1 ? " policy" : " policies")
        + (r.policies().isEmpty() ? "" : " · sample of " + Numbers.count(r.policies().get(0).units()) + " units")
        + (models.isEmpty() ? "" : " · labeled by " + models);
    return Html.page("Policy-violation prevalence · calibration and sign-off", subtitle, b.toString(), "");
  }

  private static String summary(CalibrationReport r, String level) {
    StringBuilder b = new StringBuilder();
    b.append("<div style=\"display:flex;justify-content:space-between;align-items:center\"><h2>Summary</h2>")
        .append(Html.badge("OVERALL " + r.verdict().name(), r.verdict().tone())).append("</div>\n");
    b.append("<p class=\"muted\">Exposure-weighted prevalence: the share of what people saw that violates each policy, "
        + "corrected with human review. Each headline uses the estimator fixed in advance by how the review sample "
        + "was drawn (docs/calibration.md), not the narrowest interval.</p>\n");
    boolean truth = r.policies().stream().anyMatch(p -> !Double.isNaN(p.truth()));
    List<String> headers = new ArrayList<>(List.of("Policy", "Verdict", "Prevalence", level + " interval", "Estimator",
        "Reviewed", "Gold +", "LLM-only"));
    if (truth) {
      headers.add("Truth");
    }
    headers.add("Main finding");
    List<Row> rows = new ArrayList<>();
    for (CalibrationReport.PolicyReport p : r.policies()) {
      Corrected h = p.corrected().headline();
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.html("<a href=\"#" + anchor(p) + "\">" + Html.escape(p.policy()) + "</a>"));
      cells.add(Cell.html(Html.badge(p.signOff().verdict().name(), p.signOff().verdict().tone())));
      cells.add(new Cell("<b>" + Html.escape(estimateText(h)) + "</b>", true));
      cells.add(Cell.num(intervalText(h)));
      cells.add(Cell.text(p.corrected().recommendation().estimator().label()));
      cells.add(Cell.num(Numbers.count(p.goldUnits())));
      cells.add(Cell.num(Numbers.count(p.goldPositives())));
      cells.add(Cell.num(estimateText(p.corrected().get(CorrectedEstimator.LLM_ONLY))));
      if (truth) {
        cells.add(new Cell(Double.isNaN(p.truth()) ? "–" : Html.escape(Numbers.percent(p.truth(), 3)) + " " + coverMark(h, p.truth()), true));
      }
      cells.add(Cell.html("<span class=\"small\">" + Html.escape(mainFinding(p.signOff(), r.rules())) + "</span>"));
      rows.add(new Row(cells, false));
    }
    b.append(Html.table(headers, rows, ""));
    if (!r.notes().isEmpty()) {
      b.append("<ul class=\"reasons small muted\">");
      r.notes().forEach(n -> b.append("<li>").append(Html.escape(n)).append("</li>"));
      b.append("</ul>\n");
    }
    return Html.card("summary", b.toString());
  }

  private static String policy(CalibrationReport.PolicyReport p, String level) {
    StringBuilder b = new StringBuilder();
    Verdict v = p.signOff().verdict();
    b.append("<div style=\"display:flex;justify-content:space-between;align-items:center\"><h2>")
        .append(Html.escape(p.policy())).append("</h2>").append(Html.badge(v.name(), v.tone())).append("</div>\n");
    Corrected h = p.corrected().headline();
    b.append("<div class=\"headline\"><span class=\"big\">").append(Html.escape(estimateText(h))).append("</span>")
        .append("<span class=\"ci\">").append(Html.escape(level + " interval " + intervalText(h))).append("</span>")
        .append("<span class=\"muted\">").append(Html.escape(p.corrected().recommendation().estimator().label()))
        .append(" estimator</span></div>\n");
    b.append("<p class=\"muted\" style=\"margin:-4px 0 14px\">").append(Html.escape(sentence(p, level))).append("</p>\n");
    BinaryQuality wq = p.quality().weighted().overall();
    if (p.goldReuse() != null) {
      // marked above the numbers: the gold was not reviewed under the version measured
      b.append("<p class=\"note reuse\">").append(Html.badge("REUSED GOLD", Html.Tone.WARN)).append(' ')
          .append(Html.escape(capitalise(p.goldReuse().message()))).append(" (decision definitions unchanged between the "
              + "versions: plumb policy diff)</p>\n");
    }
    b.append("<div class=\"kpis\">");
    b.append(Html.kpi(Numbers.count(p.goldUnits()), "units reviewed by humans (of " + Numbers.count(p.units()) + " sampled)"));
    b.append(Html.kpi(Numbers.count(p.goldPositives()), "gold positives"));
    b.append(Html.kpi(estimateText(p.corrected().get(CorrectedEstimator.LLM_ONLY)), "LLM-only (uncorrected)"));
    b.append(Html.kpi(Numbers.fixed(wq.sensitivity().estimate(), 2) + " / " + Numbers.fixed(wq.specificity().estimate(), 3),
        "LLM sensitivity / specificity (weighted)"));
    if (p.raters() != null && p.raters().agreement().pairable() > 0) {
      b.append(Html.kpi(Numbers.fixed(p.raters().agreement().fleissKappa(), 2), "raters' Fleiss κ"));
    }
    if (!Double.isNaN(p.truth())) {
      b.append(Html.kpi(Numbers.percent(p.truth(), 3), "known truth (synthetic data)"));
    }
    b.append("</div>\n");
    // sign-off and the recommendation
    b.append("<div class=\"grid2\"><div><h4>Sign-off checks</h4>").append(checks(p.signOff())).append("</div>");
    b.append("<div><h4>Why this estimator</h4><div class=\"note\">")
        .append(Html.escape(capitalise(p.corrected().recommendation().reason()))).append(".</div></div></div>\n");
    // estimators
    b.append("<h3>Every estimator on one axis</h3>\n");
    b.append(Charts.intervals(rows(p.corrected()), p.truth(),
        Double.isNaN(p.truth()) ? "" : "truth " + Numbers.percent(p.truth(), 3), 1100));
    b.append(estimatorTable(p.corrected(), p.truth(), level));
    b.append(QualityHtml.quality(p));
    if (p.labelScores() != null) {
      b.append(ScoreSection.html(p.labelScores()));
    }
    if (!p.domains().isEmpty()) {
      b.append("<h3>Domains</h3>\n").append(domains(p, level));
    }
    b.append("<h3>Human review</h3>\n").append(QualityHtml.review(p));
    if (p.goldQuality() != null) {
      b.append(p.goldQuality().html());
    }
    return Html.card(anchor(p), b.toString());
  }

  /** One plain sentence a reader can quote. */
  static String sentence(CalibrationReport.PolicyReport p, String level) {
    Corrected h = p.corrected().headline();
    Corrected llm = p.corrected().get(CorrectedEstimator.LLM_ONLY);
    String llmText = llm instanceof Corrected.Estimated l ? "; the LLM's labels alone would say " + Numbers.percent(l.estimate(), 3) : "";
    if (h instanceof Corrected.Estimated e) {
      return "About " + Numbers.percent(e.estimate(), 2) + " of what people saw violates " + p.policyId() + " (" + level
          + " interval " + Numbers.percent(e.interval().lower(), 2) + " to " + Numbers.percent(e.interval().upper(), 2) + ")" + llmText
          + ". Based on " + Numbers.count(p.goldUnits()) + " human-reviewed units of a sample of " + Numbers.count(p.units()) + ".";
    }
    if (h instanceof Corrected.UpperBound u) {
      return "No reviewed unit was judged violating, so only a bound is known: at most " + Numbers.percent(u.bound().upper(), 2)
          + " of what people saw violates " + p.policyId() + " (one-sided " + level + ")" + llmText + ".";
    }
    return "The prevalence of " + p.policyId() + " cannot be estimated from these data.";
  }

  /**
   * The most severe finding of a sign-off, for the summary. "All checks passed" only when every
   * rule was applied: with rules switched off the sentence names them, since a table the report
   * shows (reliability, confusion) may then contradict a PASS.
   */
  static String mainFinding(SignOff s, SignOffRules rules) {
    String finding = mainFinding(s);
    if (!finding.equals("all checks passed")) {
      return finding;
    }
    List<String> off = new ArrayList<>();
    rules.asMap().forEach((k, v) -> {
      if (v == null) {
        off.add(k);
      }
    });
    return off.isEmpty() ? finding : "all enabled checks passed (off: " + String.join(", ", off) + ")";
  }

  /** The most severe finding of a sign-off. */
  static String mainFinding(SignOff s) {
    for (Verdict v : List.of(Verdict.FAIL, Verdict.WARN)) {
      for (SignOff.Check c : s.checks()) {
        if (c.verdict() == v) {
          long more = s.checks().stream().filter(x -> x.verdict() != Verdict.PASS).count() - 1;
          return c.message() + (more > 0 ? " (+" + more + " more)" : "");
        }
      }
    }
    return "all checks passed";
  }

  private static String checks(SignOff s) {
    List<Row> rows = new ArrayList<>();
    for (SignOff.Check c : s.checks()) {
      rows.add(Row.of(Cell.html(Html.badge(c.verdict().name(), c.verdict().tone())), Cell.text(c.rule()),
          Cell.text(c.message())));
    }
    return Html.table(List.of("", "Rule", "Finding"), rows, "");
  }

  static List<Charts.IntervalRow> rows(CorrectedPrevalence c) {
    List<Charts.IntervalRow> rows = new ArrayList<>();
    for (Corrected e : c.estimates()) {
      boolean rec = e.estimator() == c.recommendation().estimator();
      String label = e.estimator().label() + (rec ? " ★" : "");
      if (e instanceof Corrected.Estimated x) {
        rows.add(new Charts.IntervalRow(label, x.estimate(), x.interval().lower(), x.interval().upper(), x.interval().oneSided(),
            rec, Numbers.percent(x.estimate(), 3) + "  [" + Numbers.percent(x.interval().lower(), 3) + ", "
                + Numbers.percent(x.interval().upper(), 3) + "]"));
      } else if (e instanceof Corrected.UpperBound u) {
        rows.add(new Charts.IntervalRow(label, Double.NaN, 0, u.bound().upper(), true, rec,
            "≤ " + Numbers.percent(u.bound().upper(), 3) + " (upper bound)"));
      } else {
        rows.add(new Charts.IntervalRow(label, Double.NaN, Double.NaN, Double.NaN, false, rec, "not estimable"));
      }
    }
    return rows;
  }

  private static String estimatorTable(CorrectedPrevalence c, double truth, String level) {
    boolean t = !Double.isNaN(truth);
    List<String> headers = new ArrayList<>(List.of("Estimator", "Estimate", "SE", level + " interval", "n_eff", "Note"));
    if (t) {
      headers.add(4, "Covers truth");
    }
    List<Row> rows = new ArrayList<>();
    for (Corrected e : c.estimates()) {
      boolean rec = e.estimator() == c.recommendation().estimator();
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.text(e.estimator().label() + (rec ? " (recommended)" : "")));
      String note;
      if (e instanceof Corrected.Estimated x) {
        cells.add(Cell.num(Numbers.percent(x.estimate(), 3)));
        cells.add(Cell.num(Numbers.percent(x.se(), 2)));
        cells.add(Cell.num(intervalText(x)));
        note = x.note();
        if (x.details().containsKey("lambda")) {
          note = "λ = " + Numbers.fixed(x.details().get("lambda"), 3) + (note.isEmpty() ? "" : "; " + note);
        }
        if (t) {
          cells.add(Cell.html(coverMark(x, truth)));
        }
        cells.add(Cell.num(Numbers.fixed(x.effectiveN(), 0)));
      } else if (e instanceof Corrected.UpperBound u) {
        cells.add(Cell.num("–"));
        cells.add(Cell.num("–"));
        cells.add(Cell.num(intervalText(u)));
        note = u.reason();
        if (t) {
          cells.add(Cell.html(coverMark(u, truth)));
        }
        cells.add(Cell.num("–"));
      } else {
        Corrected.NotEstimable n = (Corrected.NotEstimable) e;
        cells.add(Cell.num("–"));
        cells.add(Cell.num("–"));
        cells.add(Cell.num("not estimable"));
        if (t) {
          cells.add(Cell.text("–"));
        }
        cells.add(Cell.num("–"));
        note = n.reason();
      }
      cells.add(Cell.html("<span class=\"small muted\">" + Html.escape(note) + "</span>"));
      rows.add(new Row(cells, rec));
    }
    return Html.table(headers, rows, "");
  }

  /** "positive = violating; negative = borderline, safe (from the policy)". */
  static String mapping(ConfusionMatrix m) {
    List<String> pos = new ArrayList<>();
    List<String> neg = new ArrayList<>();
    for (int i = 0; i < m.decisions().size(); i++) {
      (m.positive().get(i) ? pos : neg).add(m.decisions().get(i));
    }
    return "positive = " + (pos.isEmpty() ? "(none)" : String.join(", ", pos)) + "; negative = "
        + (neg.isEmpty() ? "(none)" : String.join(", ", neg));
  }

  private static String domains(CalibrationReport.PolicyReport p, String level) {
    StringBuilder b = new StringBuilder();
    String attribute = null;
    List<Row> rows = new ArrayList<>();
    Iterator<CalibrationReport.DomainReport> it = p.domains().iterator();
    while (true) {
      CalibrationReport.DomainReport d = it.hasNext() ? it.next() : null;
      if (attribute != null && (d == null || !d.attribute().equals(attribute))) {
        b.append("<h4>By ").append(Html.escape(attribute)).append("</h4>").append(Html.table(List.of(
            attribute, "Units", "Reviewed", "Gold +", "Prevalence", level + " interval", "Estimator", "LLM-only"), rows, ""));
        rows = new ArrayList<>();
      }
      if (d == null) {
        break;
      }
      attribute = d.attribute();
      Corrected h = d.corrected().headline();
      rows.add(Row.of(Cell.text(d.value()), Cell.num(Numbers.count(d.units())), Cell.num(Numbers.count(d.goldUnits())),
          Cell.num(Numbers.count(d.goldPositives())), Cell.num(estimateText(h)), Cell.num(intervalText(h)),
          Cell.text(d.corrected().recommendation().estimator().label()),
          Cell.num(estimateText(d.corrected().get(CorrectedEstimator.LLM_ONLY)))));
    }
    return b.toString();
  }

  private static String provenance(CalibrationReport r) {
    JsonNode p = r.provenance();
    List<Row> rows = new ArrayList<>();
    rows.add(Row.of(Cell.text("Tool"), Cell.text(p.path("plumb").asText())));
    rows.add(Row.of(Cell.text("Created"), Cell.text(p.path("created").asText())));
    JsonNode s = p.path("sample");
    if (!s.isMissingNode()) {
      rows.add(Row.of(Cell.text("Sample design"), Cell.text(s.path("design").path("type").asText("?")
          + (s.has("seed") ? ", seed " + s.get("seed").asText() : "") + (s.has("n") ? ", n = " + s.get("n").asText() : ""))));
      if (s.has("frame")) {
        rows.add(Row.of(Cell.text("Frame"), Cell.html("<span class=\"mono\">" + Html.escape(s.path("frame").path("path").asText()
            + " " + s.path("frame").path("sha256").asText()) + "</span>")));
      }
      if (s.has("created_by")) {
        rows.add(Row.of(Cell.text("Sample created by"), Cell.text(s.get("created_by").asText())));
      }
    }
    JsonNode l = p.path("labels");
    rows.add(Row.of(Cell.text("Models"), Cell.text(join(l.path("models")))));
    rows.add(Row.of(Cell.text("Backends"), Cell.text(join(l.path("backends")))));
    rows.add(Row.of(Cell.text("Prompt fingerprints"), Cell.html("<span class=\"mono\">" + Html.escape(join(l.path("prompts"))) + "</span>")));
    List<String> versions = new ArrayList<>();
    l.path("policies").fieldNames().forEachRemaining(versions::add);
    rows.add(Row.of(Cell.text("Policy versions"), Cell.text(String.join(", ", versions))));
    if (l.has("run")) {
      rows.add(Row.of(Cell.text("Label run"), Cell.text(l.path("run").path("status").asText() + " · "
          + l.path("run").path("created_by").asText())));
    }
    p.path("inputs").fields().forEachRemaining(e -> rows.add(Row.of(Cell.text("Input: " + e.getKey()),
        Cell.html("<span class=\"mono\">" + Html.escape(e.getValue().path("path").asText()) + "<br>"
            + Html.escape(e.getValue().path("sha256").asText()) + "</span>"))));
    List<String> rules = new ArrayList<>();
    r.rules().asMap().forEach((k, t) -> rules.add(k + (t == null ? " off" : " warn " + Numbers.plain(t.warn()) + " / fail "
        + Numbers.plain(t.fail()))));
    rows.add(Row.of(Cell.text("Sign-off thresholds"), Cell.text(String.join("; ", rules))));
    rows.add(Row.of(Cell.text("Intervals"), Cell.text(level(r.options().level()) + " " + r.options().designInterval()
        + (r.options().humanOnlyInterval().equals(r.options().designInterval()) ? ""
            : " (human-only: " + r.options().humanOnlyInterval() + ")")
        + (r.options().preferPpiPlusPlus() ? "; PPI++ preferred" : "; human-only headline rule"))));
    return Html.card("provenance", "<h2>Provenance</h2>\n" + Html.table(List.of("", ""), rows, ""));
  }

  // ---- formatting shared with ReportMarkdown

  static String estimateText(Corrected c) {
    if (c instanceof Corrected.Estimated e) {
      return Numbers.percent(e.estimate(), 3);
    }
    if (c instanceof Corrected.UpperBound u) {
      return "≤ " + Numbers.percent(u.bound().upper(), 3);
    }
    return "n/a";
  }

  static String intervalText(Corrected c) {
    if (c instanceof Corrected.Estimated e) {
      Interval i = e.interval();
      return i.oneSided() ? (i.lower() == 0 ? "≤ " + Numbers.percent(i.upper(), 3) + " (one-sided)"
          : "≥ " + Numbers.percent(i.lower(), 3) + " (one-sided)") : Numbers.percent(i.lower(), 3) + " – " + Numbers.percent(i.upper(), 3);
    }
    if (c instanceof Corrected.UpperBound u) {
      return "0 – " + Numbers.percent(u.bound().upper(), 3) + " (one-sided)";
    }
    return "not estimable";
  }

  static boolean covers(Corrected c, double truth) {
    if (c instanceof Corrected.Estimated e) {
      return e.interval().contains(truth);
    }
    if (c instanceof Corrected.UpperBound u) {
      return u.bound().contains(truth);
    }
    return false;
  }

  private static String coverMark(Corrected c, double truth) {
    if (c instanceof Corrected.NotEstimable) {
      return "";
    }
    return covers(c, truth) ? "<span class=\"tone-good\">✓ covered</span>" : "<span class=\"tone-bad\">✗ missed</span>";
  }

  static String level(double confidence) {
    return Numbers.level(confidence);
  }

  static String anchor(CalibrationReport.PolicyReport p) {
    return "policy-" + p.policy().replaceAll("[^A-Za-z0-9_-]", "-");
  }

  static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(", ", out);
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
