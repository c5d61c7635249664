package dev.plumb.calibration.agreement;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Scores raters on honeypots: units whose correct decision is known in advance. */
public final class Honeypots {
  private Honeypots() {}

  /**
   * Each rater's accuracy on the honeypots they answered, with a Wilson interval at {@code level};
   * a rater whose accuracy is below {@code bar} is flagged (the reason says whether the whole
   * interval lies below the bar, i.e. whether the shortfall is more than chance). Raters who
   * answered no honeypot are absent. Sorted by rater id.
   *
   * @param answers the raters' answers on honeypot units
   * @param truth the known decision per honeypot unit; answers on units not in it are ignored
   * @param bar the minimum acceptable accuracy, in [0, 1]
   */
  public static List<HoneypotScore> score(
      List<Rating> answers, Map<String, String> truth, double bar, double level) {
    if (!(bar >= 0 && bar <= 1)) {
      throw new IllegalArgumentException("accuracy bar is not in [0, 1]: " + bar);
    }
    Map<String, int[]> tally = new TreeMap<>();
    for (Rating r : answers) {
      String expected = truth.get(r.unit());
      if (expected == null) {
        continue;
      }
      int[] t = tally.computeIfAbsent(r.rater(), k -> new int[2]);
      t[1]++;
      if (expected.equals(r.category())) {
        t[0]++;
      }
    }
    List<HoneypotScore> scores = new ArrayList<>();
    for (Map.Entry<String, int[]> e : tally.entrySet()) {
      int correct = e.getValue()[0];
      int answered = e.getValue()[1];
      double accuracy = correct / (double) answered;
      Interval ci = BinomialInterval.WILSON.interval(correct, answered, level);
      boolean flagged = accuracy < bar;
      String reason = "";
      if (flagged) {
        reason = String.format(Locale.ROOT,
            "accuracy %d/%d = %.3f is below the bar %.3f (%s interval %.3f–%.3f%s)",
            correct, answered, accuracy, bar, ci.method(), ci.lower(), ci.upper(),
            ci.upper() < bar ? ", entirely below the bar" : ", which still reaches the bar");
      }
      scores.add(new HoneypotScore(e.getKey(), correct, answered, accuracy, ci, flagged, reason));
    }
    return scores;
  }
}
