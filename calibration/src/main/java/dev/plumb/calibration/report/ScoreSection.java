package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.scores.LabelScores;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.calibration.scores.ScoreQuality;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
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
    return b.append(QualityHtml.reliabilityFigure(q.reliability(), List.of("Score", "Units", "Mean score",
        "Gold positive"), "label score", "share gold positive", "ECE " + Numbers.fixed(q.reliability().ece(), 3)
        + " = Σ_b (W_b/W)·|gold share_b − mean score_b| over 10 equal-width bins, each reviewed unit weighted by its"
        + " design weight 1/(π₁π₂); bars are Wilson intervals.")).toString();
  }

}
