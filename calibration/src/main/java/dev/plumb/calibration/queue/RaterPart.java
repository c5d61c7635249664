package dev.plumb.calibration.queue;

import dev.plumb.calibration.gold.RaterErrorModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What the raters add to a planned review's variance under {@code consensus: error-model} (docs/review.md, "The
 * raters' part of a planned half-width"), from the same unbiased gold g the estimators take
 * ({@link RaterErrorModel#goldMoments}, the sums {@code queue import} scores each item with).
 *
 * <p><b>The answers' noise.</b> A reviewed unit j answered by a rater set A at prior π has noise
 * v_j = q_j·Var(g | violating) + (1 − q_j)·Var(g | clean) about its true class (the {@code y_variance} import writes),
 * with π = q_j, the plan's chance that the unit violates. Which raters answer an item is not known in advance:
 * v_j is averaged over the equally likely sets of {@code perItem} raters from the panel, the excluded raters' answers
 * dropped (a set left with no counted rater gives no gold and is left out). The plan adds it where the estimator's
 * variance takes it ({@link ReviewPlan}, {@link ActiveReviewPlan}).
 *
 * <p><b>The error rates' uncertainty.</b> The estimate is Σ_S c_j g_j in expectation over the review; with the rates
 * θ estimated, E[g_j] = c_j moves by ∂E[g_j]/∂θ·(θ̂ − θ). To first order its variance is
 * Σ_θ (Σ_S (w_j/M)·∂E[g_j | q_j]/∂θ)²·Var(θ̂) over each rater's sensitivity and specificity, taken as independent
 * (the delta method for the bootstrap variance the estimators add: calibration.corrected.TwoPhaseVariance#gold);
 * the derivative by central differences of the moments at rates θ ± h with the answers at θ. Stateless.
 */
final class RaterPart {
  /** Beyond this many rater sets per item the panel is pooled into one mean rater (see {@link #sets}). */
  static final int MAX_SETS = 256;

  private RaterPart() {}

  /**
   * One policy's raters' part.
   *
   * @param noise v_j per sampled unit (the answers' noise in its gold about its true class)
   * @param rates the variance the error rates' uncertainty adds to the prevalence estimate
   * @param sets rater sets averaged over (1 when the panel was pooled)
   */
  record Parts(double[] noise, double rates, int sets) {}

  /**
   * @param raters the policy's counted raters
   * @param excluded raters on the panel whose answers do not count
   * @param perItem raters asked per item
   * @param q each sampled unit's chance of violating
   * @param w each sampled unit's contribution weight m·d1
   * @param total M = Σ_S w
   */
  static Parts of(List<ReviewPanel.Rater> raters, int excluded, int perItem, double[] q, double[] w, double total) {
    if (raters.isEmpty()) {
      throw new IllegalArgumentException("a raters' part needs at least one counted rater");
    }
    List<ReviewPanel.Rater> panel = new ArrayList<>(raters);
    List<int[]> sets = sets(panel.size(), excluded, perItem);
    if (sets == null) {
      // too many sets to enumerate: one mean rater for every answer (the rates' variance of the mean is Σ Var/K²)
      panel = List.of(pooled(raters));
      int answering = (int) Math.max(1, Math.round(perItem * raters.size() / (double) (raters.size() + excluded)));
      sets = new ArrayList<>();
      sets.add(new int[answering]);
    }
    int k = panel.size();
    double[] se = new double[k];
    double[] sp = new double[k];
    for (int r = 0; r < k; r++) {
      se[r] = panel.get(r).sensitivity();
      sp[r] = panel.get(r).specificity();
    }
    double[] v = new double[q.length];
    double[] dSe = new double[k];
    double[] dSp = new double[k];
    for (int[] set : sets) {
      double[] sSe = new double[set.length];
      double[] sSp = new double[set.length];
      for (int a = 0; a < set.length; a++) {
        sSe[a] = se[set[a]];
        sSp[a] = sp[set[a]];
      }
      for (int j = 0; j < q.length; j++) {
        double c = w[j] / total / sets.size();
        double[] m = RaterErrorModel.goldMoments(sSe, sSp, sSe, sSp, q[j]);
        v[j] += (q[j] * m[3] + (1 - q[j]) * m[2]) / sets.size();
        for (int a = 0; a < set.length; a++) {
          dSe[set[a]] += c * slope(sSe, sSp, a, true, q[j]);
          dSp[set[a]] += c * slope(sSe, sSp, a, false, q[j]);
        }
      }
    }
    double rates = 0;
    for (int r = 0; r < k; r++) {
      rates += dSe[r] * dSe[r] * panel.get(r).seVariance() + dSp[r] * dSp[r] * panel.get(r).spVariance();
    }
    return new Parts(v, rates, sets.size());
  }

  /**
   * ∂E[g | q]/∂θ for rater a's sensitivity ({@code se}) or specificity in the set: the unit's expected gold when the
   * item is scored at rates moved by ±h and answered at the given ones, by central differences.
   */
  private static double slope(double[] se, double[] sp, int a, boolean sensitivity, double q) {
    double x = sensitivity ? se[a] : sp[a];
    double h = Math.min(1e-4, Math.min(x, 1 - x) / 2);
    if (!(h > 1e-12)) {
      return 0; // a rate of exactly 0 or 1: the moments are clamped there, and a bootstrap cannot move it either
    }
    double[] up = (sensitivity ? se : sp).clone();
    double[] down = up.clone();
    up[a] = x + h;
    down[a] = x - h;
    double[] mu = sensitivity ? RaterErrorModel.goldMoments(up, sp, se, sp, q)
        : RaterErrorModel.goldMoments(se, up, se, sp, q);
    double[] md = sensitivity ? RaterErrorModel.goldMoments(down, sp, se, sp, q)
        : RaterErrorModel.goldMoments(se, down, se, sp, q);
    double eu = q * mu[5] + (1 - q) * mu[4];
    double ed = q * md[5] + (1 - q) * md[4];
    return (eu - ed) / (2 * h);
  }

  /**
   * The sets of counted raters (indexes) answering an item: every {@code perItem}-subset of the panel of
   * counted + excluded raters, the excluded removed, sets with no counted rater left out; null when there would be
   * more than {@link #MAX_SETS}.
   */
  static List<int[]> sets(int counted, int excluded, int perItem) {
    int all = counted + excluded;
    int r = Math.min(perItem, all);
    double count = 1;
    for (int i = 0; i < r; i++) {
      count = count * (all - i) / (i + 1);
    }
    if (count > MAX_SETS) {
      return null;
    }
    List<int[]> out = new ArrayList<>();
    int[] pick = new int[r];
    for (int i = 0; i < r; i++) {
      pick[i] = i;
    }
    while (true) {
      int n = 0;
      for (int x : pick) {
        if (x < counted) {
          n++;
        }
      }
      if (n > 0) {
        int[] set = new int[n];
        int a = 0;
        for (int x : pick) {
          if (x < counted) {
            set[a++] = x;
          }
        }
        out.add(set);
      }
      int i = r - 1;
      while (i >= 0 && pick[i] == all - r + i) {
        i--;
      }
      if (i < 0) {
        return out;
      }
      pick[i]++;
      for (int t = i + 1; t < r; t++) {
        pick[t] = pick[t - 1] + 1;
      }
    }
  }

  /** One rater with the panel's mean rates, and the variance of those means if the raters' estimates are independent. */
  private static ReviewPanel.Rater pooled(List<ReviewPanel.Rater> raters) {
    double se = 0;
    double sp = 0;
    double vse = 0;
    double vsp = 0;
    int k = raters.size();
    for (ReviewPanel.Rater r : raters) {
      se += r.sensitivity() / k;
      sp += r.specificity() / k;
      vse += r.seVariance() / ((double) k * k);
      vsp += r.spVariance() / ((double) k * k);
    }
    return new ReviewPanel.Rater("panel", se, sp, vse, vsp);
  }
}
