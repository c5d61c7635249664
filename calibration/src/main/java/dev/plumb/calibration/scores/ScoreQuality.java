package dev.plumb.calibration.scores;

import dev.plumb.calibration.quality.ReliabilityTable;
import dev.plumb.calibration.stats.Interval;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * How well one policy's label scores (the labeler's probability of the violating decision,
 * docs/formats.md "Label") agree with gold on the reviewed units: a reliability table, ECE, the
 * Brier score and ROC-AUC with an interval. Every figure is weighted by the units' design weights
 * 1/(π₁π₂) — not by exposure — so that it describes the sample's frame of units, which is what a
 * score in {@code units.jsonl} is read against (docs/calibration.md, "Label scores").
 *
 * <ul>
 *   <li><b>ECE</b> = Σ_b (W_b/W)·|ȳ_b − s̄_b| over {@code bins} equal-width bins of the score, W_b the
 *       bin's weight, ȳ_b its weighted share of gold positives, s̄_b its weighted mean score (Guo et
 *       al. 2017; the LLM confidence table's definition, {@link ReliabilityTable#of}).
 *   <li><b>Brier</b> = Σ w (s − y)² / Σ w (Brier 1950); sklearn's {@code brier_score_loss} with
 *       {@code sample_weight}.
 *   <li><b>ROC-AUC</b> = Σ_{i∈P} Σ_{j∈N} u_i v_j H(s_i − s_j) / (Σu Σv), H = 1 above, ½ at a tie, 0
 *       below: the weighted Mann–Whitney statistic, equal to sklearn's {@code roc_auc_score} with
 *       {@code sample_weight}. Its variance is DeLong, DeLong &amp; Clarke-Pearson's (1988,
 *       <i>Biometrics</i> 44:837–845) from the placement values U_i (the weighted share of
 *       negatives a positive outranks) and V_j (of positives that outrank a negative):
 *       Var = m/(m−1) Σ u_i²(U_i − A)²/(Σu)² + n/(n−1) Σ v_j²(V_j − A)²/(Σv)², with m positives and n
 *       negatives, which is DeLong's S₁₀/m + S₀₁/n with equal weights; the interval A ± z·SE clipped
 *       to [0, 1] is R pROC's {@code ci.auc(method = "delong")}. With unequal weights it treats the
 *       reviewed units as weighted independent draws (the review's strata are not used), an
 *       approximation.
 * </ul>
 *
 * @param units reviewed units whose label carries a score
 * @param withoutScore reviewed units whose ok label has no score (left out of every figure)
 * @param positives of {@code units}, those gold judged positive
 * @param reliability the reliability table; its {@code recalibration} is the isotonic fit of gold
 *     on the score the report shows
 * @param brier the weighted Brier score; NaN without units
 * @param auc the weighted ROC-AUC; NaN without both a positive and a negative
 * @param aucSe its DeLong standard error; NaN when {@code auc} is, or with one positive or negative
 * @param aucInterval {@code auc} ± z·SE clipped to [0, 1], or {@code null} when the SE is NaN
 */
public record ScoreQuality(int units, int withoutScore, int positives, ReliabilityTable reliability, double brier,
    double auc, double aucSe, Interval aucInterval) {

  /**
   * Assesses scores {@code score} (NaN: the label has none) against gold {@code positive}, each
   * unit weighted by {@code weight} (&gt; 0), at confidence {@code level} with {@code bins}
   * equal-width bins.
   *
   * @throws IllegalArgumentException for arrays of different lengths, a score outside [0, 1] or a
   *     weight that is not finite and positive
   */
  public static ScoreQuality assess(double[] score, boolean[] positive, double[] weight, double level, int bins) {
    int n = score.length;
    if (positive.length != n || weight.length != n) {
      throw new IllegalArgumentException("score, positive and weight must have the same length");
    }
    int units = 0;
    int positives = 0;
    double sw = 0;
    double brier = 0;
    for (int i = 0; i < n; i++) {
      if (!(weight[i] > 0) || Double.isInfinite(weight[i])) {
        throw new IllegalArgumentException("weight " + i + " is not finite and positive: " + weight[i]);
      }
      if (Double.isNaN(score[i])) {
        continue;
      }
      if (!(score[i] >= 0 && score[i] <= 1)) {
        throw new IllegalArgumentException("score " + i + " is not in [0, 1]: " + score[i]);
      }
      units++;
      positives += positive[i] ? 1 : 0;
      double e = score[i] - (positive[i] ? 1 : 0);
      brier += weight[i] * e * e;
      sw += weight[i];
    }
    ReliabilityTable reliability = ReliabilityTable.of(score, positive, weight, level, bins);
    double[] auc = auc(score, positive, weight);
    Interval interval = null;
    if (!Double.isNaN(auc[1])) {
      double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.5 + level / 2);
      interval = Interval.clamped(auc[0] - z * auc[1], auc[0] + z * auc[1], 0, 1, level, "delong", false);
    }
    return new ScoreQuality(units, n - units, positives, reliability, units > 0 ? brier / sw : Double.NaN, auc[0], auc[1],
        interval);
  }

  /** {AUC, DeLong SE} over the units with a score. */
  static double[] auc(double[] score, boolean[] positive, double[] weight) {
    int m = 0;
    int k = 0;
    for (int i = 0; i < score.length; i++) {
      if (!Double.isNaN(score[i])) {
        if (positive[i]) {
          m++;
        } else {
          k++;
        }
      }
    }
    if (m == 0 || k == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double[] ps = new double[m];
    double[] pw = new double[m];
    double[] ns = new double[k];
    double[] nw = new double[k];
    m = 0;
    k = 0;
    for (int i = 0; i < score.length; i++) {
      if (Double.isNaN(score[i])) {
        continue;
      }
      if (positive[i]) {
        ps[m] = score[i];
        pw[m++] = weight[i];
      } else {
        ns[k] = score[i];
        nw[k++] = weight[i];
      }
    }
    double su = sum(pw);
    double sv = sum(nw);
    // placement values: O(m·k), a few hundred thousand pairs for a review of a thousand units
    double[] u = new double[m];
    double[] v = new double[k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        double h = ps[i] > ns[j] ? 1 : ps[i] == ns[j] ? 0.5 : 0;
        u[i] += nw[j] * h;
        v[j] += pw[i] * h;
      }
    }
    double a = 0;
    for (int i = 0; i < m; i++) {
      u[i] /= sv;
      a += pw[i] * u[i];
    }
    a /= su;
    for (int j = 0; j < k; j++) {
      v[j] /= su;
    }
    if (m < 2 || k < 2) {
      return new double[] {a, Double.NaN};
    }
    double s10 = 0;
    for (int i = 0; i < m; i++) {
      s10 += pw[i] * pw[i] * (u[i] - a) * (u[i] - a);
    }
    double s01 = 0;
    for (int j = 0; j < k; j++) {
      s01 += nw[j] * nw[j] * (v[j] - a) * (v[j] - a);
    }
    double var = m / (m - 1.0) * s10 / (su * su) + k / (k - 1.0) * s01 / (sv * sv);
    return new double[] {a, Math.sqrt(var)};
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double d : x) {
      s += d;
    }
    return s;
  }
}
