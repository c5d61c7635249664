package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.scores.LabelScores;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.core.Json;
import java.nio.file.Path;

/** Writes the label-score maps a report fitted ({@code --recalibrate-scores}) beside its files. */
final class ScoreMaps {
  private ScoreMaps() {}

  static void write(CalibrationReport report, Path dir) {
    for (CalibrationReport.PolicyReport p : report.policies()) {
      LabelScores s = p.labelScores();
      if (s == null || s.map() == null) {
        continue;
      }
      ObjectNode fitted = Json.object();
      // the same inputs, by path and content, as the report's provenance
      for (String input : new String[] {"labels", "gold"}) {
        fitted.set(input, report.provenance().path("inputs").path(input).deepCopy());
      }
      fitted.put("units", s.quality().units());
      fitted.put("positives", s.quality().positives());
      fitted.put("weights", "design: 1/(pi1*pi2) of each reviewed unit");
      s.map().write(dir.resolve(ScoreMap.fileName(s.policy())), fitted, report.plumbVersion());
    }
  }
}
