package dev.plumb.calibration.scores;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.core.Numbers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * One policy's label scores against gold, for the calibration report (docs/calibration.md, "Label
 * scores"): how many sampled units' labels carry a score, their {@link ScoreQuality} on the
 * reviewed units, and, when asked for, a {@link ScoreMap} fitted on the same units.
 *
 * <p>Until a map is fitted, the scores are <b>ranking scores</b>: a model's token probability of
 * the violating answer orders units but is not, in general, the chance that a unit violates (the
 * report says so). After recalibration, the map's outputs are probabilities for the frame this
 * sample was drawn from.
 *
 * @param policy the policy key, e.g. {@code self_harm@2}
 * @param labels sampled units with an ok label of this policy
 * @param scored of those, labels that carry a score
 * @param quality the scores against gold, weighted by design weights 1/(π₁π₂)
 * @param map the recalibration fitted on gold, or {@code null} when none was asked for (or it could
 *     not be fitted: {@code mapProblem} says why)
 * @param mapProblem why the asked-for map could not be fitted, or {@code null}
 */
public record LabelScores(String policy, int labels, int scored, ScoreQuality quality, ScoreMap map,
    String mapProblem) {

  /** Whether the scores were recalibrated (then they may be read as probabilities through the map). */
  public boolean probabilities() {
    return map != null;
  }

  /**
   * One line for a summary: {@code label scores (ranking scores, not probabilities): ROC-AUC 0.912
   * [0.874, 0.950], Brier 0.031, ECE 0.118 on 612 reviewed units (design-weighted)}, and after
   * recalibration {@code ... ; recalibrated (isotonic): use score-map.self_harm@2.json for probabilities}.
   */
  public String summary() {
    ScoreQuality q = quality;
    StringBuilder b = new StringBuilder("label scores (").append(probabilities() ? "recalibrated" : "ranking scores, not probabilities")
        .append("): ROC-AUC ").append(Numbers.fixed(q.auc(), 3, "n/a"));
    if (q.aucInterval() != null) {
      b.append(" [").append(Numbers.fixed(q.aucInterval().lower(), 3)).append(", ")
          .append(Numbers.fixed(q.aucInterval().upper(), 3)).append(']');
    }
    b.append(", Brier ").append(Numbers.fixed(q.brier(), 3, "n/a")).append(", ECE ")
        .append(Numbers.fixed(q.reliability().ece(), 3, "n/a")).append(" on ").append(q.units())
        .append(" reviewed units (design-weighted)");
    if (q.withoutScore() > 0) {
      b.append("; ").append(q.withoutScore()).append(" reviewed without a score");
    }
    if (map != null) {
      b.append("; recalibrated (").append(map.method().id()).append("): use ").append(ScoreMap.fileName(policy))
          .append(" for probabilities");
    } else if (mapProblem != null) {
      b.append("; not recalibrated: ").append(mapProblem);
    }
    return b.toString();
  }

  /**
   * The label scores of every policy in {@code policies} whose ok labels carry at least one score,
   * against the gold of the sampled units; the files have been checked by the calibration's reader
   * ({@code CalibrationInput}) already.
   *
   * @param phase1 the sample the labels and gold belong to (its design weights)
   * @param method the map to fit, or {@code null} for none
   * @return policy key → its label scores, sorted; policies without any score are absent
   */
  public static Map<String, LabelScores> assess(Path labels, Path gold, DesignSample phase1, Set<String> policies,
      double level, int bins, Recalibration method) {
    Map<String, Map<String, Double>> scores = new HashMap<>();
    Map<String, int[]> counts = new HashMap<>(); // {ok labels, scored}
    LabelFile.forEach(labels, l -> {
      if (!l.ok() || !policies.contains(l.policy()) || phase1.indexOf(l.unit()).isEmpty()) {
        return;
      }
      int[] c = counts.computeIfAbsent(l.policy(), k -> new int[2]);
      c[0]++;
      if (!Double.isNaN(l.score())) {
        c[1]++;
        scores.computeIfAbsent(l.policy(), k -> new HashMap<>()).put(l.unit(), l.score());
      }
    });
    Map<String, List<double[]>> rows = new HashMap<>(); // {score or NaN, positive, weight}
    GoldFile.forEach(gold, g -> {
      Map<String, Double> s = scores.get(g.policy());
      OptionalInt i = phase1.indexOf(g.unit());
      if (s == null || i.isEmpty()) {
        return;
      }
      double d1 = phase1.designWeight(i.getAsInt());
      rows.computeIfAbsent(g.policy(), k -> new ArrayList<>())
          .add(new double[] {s.getOrDefault(g.unit(), Double.NaN), g.positive() ? 1 : 0, d1 / g.pi()});
    });
    Map<String, LabelScores> out = new TreeMap<>();
    rows.forEach((policy, r) -> {
      int n = r.size();
      double[] s = new double[n];
      boolean[] y = new boolean[n];
      double[] w = new double[n];
      List<double[]> fit = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        s[k] = r.get(k)[0];
        y[k] = r.get(k)[1] == 1;
        w[k] = r.get(k)[2];
        if (!Double.isNaN(s[k])) {
          fit.add(r.get(k));
        }
      }
      ScoreQuality q = ScoreQuality.assess(s, y, w, level, bins);
      ScoreMap map = null;
      String problem = null;
      if (method != null) {
        try {
          map = method.fitted(policy, column(fit, 0), column(fit, 1), column(fit, 2));
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
        }
      }
      int[] c = counts.get(policy);
      out.put(policy, new LabelScores(policy, c[0], c[1], q, map, problem));
    });
    return out;
  }

  private static double[] column(List<double[]> rows, int k) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[k];
    }
    return out;
  }
}
