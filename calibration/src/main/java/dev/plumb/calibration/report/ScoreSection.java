package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.quality.ReliabilityTable;
import dev.plumb.calibration.report.Html.Cell;
import dev.plumb.calibration.report.Html.Row;
import dev.plumb.calibration.scores.LabelScores;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.calibration.scores.ScoreQuality;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import java.util.ArrayList;
import java.util.List;

/** The label-scores part of a policy's report ({@code label_scores} in report.json; docs/report.md). */
final class ScoreSection {
  private ScoreSection() {}

  static ObjectNode json(LabelScores s) {
    ScoreQuality q = s.quality();
    ObjectNode o = Json.object();
    o.put("kind", s.probabilities() ? "probability" : "ranking");
    o.put("labels", s.labels());
    o.put("scored", s.scored());
    o.put("weights", "design");
    o.put("units", q.units());
    o.put("without_score", q.withoutScore());
    o.put("positives", q.positives());
    Json.putFinite(o, "brier", q.brier());
    Json.putFinite(o, "auc", q.auc());
    Json.putFinite(o, "auc_se", q.aucSe());
    if (q.aucInterval() == null) {
      o.putNull("auc_interval");
    } else {
      o.set("auc_interval", ReportJson.interval(q.aucInterval()));
    }
    o.set("reliability", ReportJson.reliability(q.reliability()));
    if (s.map() == null) {
      o.putNull("recalibration");
    } else {
      ObjectNode r = o.putObject("recalibration");
      r.put("method", s.map().method().id());
      r.put("file", ScoreMap.fileName(s.policy()));
    }
    if (s.mapProblem() != null) {
      o.put("recalibration_problem", s.mapProblem());
    }
    return o;
  }

  static void markdown(StringBuilder b, LabelScores s) {
    b.append("\nLabel scores: ").append(s.scored()).append(" of ").append(s.labels()).append(" ok labels carry a score; ")
        .append(s.summary()).append(".\n");
    if (!s.probabilities()) {
      b.append("\nThe scores are ranking scores: use them to order or stratify units, not as probabilities, until they"
          + " are recalibrated (`plumb calibrate --recalibrate-scores isotonic`).\n");
    }
  }

  static String html(LabelScores s) {
    ScoreQuality q = s.quality();
    StringBuilder b = new StringBuilder("<h3>Label scores against gold</h3>\n");
    b.append("<p class=\"small\">").append(Html.escape(s.scored() + " of " + s.labels() + " ok labels carry a score; "
        + s.summary() + ".")).append("</p>\n");
    if (!s.probabilities()) {
      b.append("<p class=\"small muted\">Ranking scores: they order units; read them as probabilities only after "
          + "recalibration (plumb calibrate --recalibrate-scores isotonic).</p>\n");
    }
    if (q.reliability().bins().isEmpty()) {
      return b.append("<p class=\"muted\">No reviewed unit's label carried a score.</p>\n").toString();
    }
    List<Charts.ReliabilityPoint> points = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (ReliabilityTable.Bin bin : q.reliability().bins()) {
      Interval i = bin.observed().interval();
      points.add(new Charts.ReliabilityPoint(bin.meanConfidence(), bin.observed().estimate(),
          i == null ? Double.NaN : i.lower(), i == null ? Double.NaN : i.upper(), bin.observed().units()));
      rows.add(Row.of(Cell.text(Numbers.fixed(bin.lower(), 1) + "–" + Numbers.fixed(bin.upper(), 1)),
          Cell.num(Numbers.count(bin.observed().units())), Cell.num(Numbers.fixed(bin.meanConfidence(), 3)),
          Cell.num(Numbers.fixed(bin.observed().estimate(), 3))));
    }
    return b.append("<div style=\"display:flex;gap:14px;align-items:flex-start\"><div style=\"flex:0 0 240px\">")
        .append(Charts.reliability(points, 240, "label score", "share gold positive")).append("</div><div style=\"flex:1 1 auto\">")
        .append(Html.table(List.of("Score", "Units", "Mean score", "Gold positive (weighted)"), rows, ""))
        .append("<p class=\"small muted\">ECE = Σ_b (W_b/W)·|gold share_b − mean score_b| over 10 equal-width bins, "
            + "weighted by design weights 1/(π₁π₂).</p></div></div>\n")
        .toString();
  }

}
