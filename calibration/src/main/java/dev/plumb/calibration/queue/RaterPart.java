package dev.plumb.calibration.queue;

import dev.plumb.calibration.gold.UnbiasedGold;
import java.util.ArrayList;
import java.util.List;

/**
 * What the raters add to a planned review's variance under {@code consensus: error-model} (docs/review.md, "The
 * raters' part of a planned half-width"), from the same unbiased gold g the estimators take
 * ({@link UnbiasedGold#moments}, the sums {@code queue import} scores each item with).
 *
 * <p><b>The answers' noise.</b> A reviewed unit j answered by a rater set A has noise
 * v_j = q_j·Var(g | violating) + (1 − q_j)·Var(g | clean) about its true class (the {@code y_variance} import writes),
 * q_j the plan's chance that the unit violates. g is scored at the prior import would give the unit: its review
 * stratum's prevalence among the reviewed units, π_h (import's intercept; the weight slope is left out). Which raters
 * answer an item is not known in advance: v_j is averaged over the equally likely sets of {@code perItem} raters
 * from the panel, the excluded raters' answers dropped (a set with no counted rater gives no gold and is left out).
 * The plan adds it where the estimator's variance takes it ({@link ReviewPlan}, {@link ActiveReviewPlan}).
 *
 * <p><b>The error rates' and the prior's uncertainty.</b> The estimators add the variance of Σ_G c_j g_j(a_j; θ̂^(b))
 * over the error model's bootstrap replicates θ̂^(b) (calibration.corrected.TwoPhaseVariance#gold): each rater's
 * Se and Sp, and the stratum's prior, re-fitted. To first order it is D'ΣD with D = Σ_G c_j ∂g_j(a_j)/∂θ at the
 * review's own answers a_j. Over the review, with x_j = ∂g_j(a_j)/∂θ (random through the unit's class and
 * answers) and the parameters independent,
 *
 * <pre>  E[V_θ] = Σ_θ Var(θ̂)·[(Σ_S (w_j/M)·E x_j)² + Σ_S (w_j/M)²·(E[x_j²]/π2_j − (E x_j)²)]</pre>
 *
 * (Poisson sampling with c_j = w_j/(π2_j M)). The first term is small — g's expectation is the true class whatever
 * the prior and nearly so near the true rates — the second is not: a given unit's g moves with the prior and
 * the rates even though its expectation does not, and at low prevalence that dominates. Var(θ̂): each rater's
 * from the panel; the prior's intercept (logit scale) 1/(n_h π_h(1 − π_h)), n_h the stratum's expected reviews
 * (the binomial information of a logit). ∂g/∂θ by central differences of {@link UnbiasedGold#patterns}.
 * Stateless.
 */
final class RaterPart {
  /** Beyond this many rater sets per item the panel is pooled into one mean rater (see {@link #sets}). */
  static final int MAX_SETS = 256;

  private RaterPart() {}

  /**
   * One policy's raters' part, per sampled unit j (see the class comment).
   *
   * @param noise v_j, the answers' noise in its gold about its true class
   * @param square Σ_θ Var(θ̂)·E[x_j²]
   * @param meanSquare Σ_θ Var(θ̂)·(E x_j)²
   * @param systematic Σ_θ Var(θ̂)·(Σ_S (w_j/M) E x_j)²
   * @param sets rater sets averaged over (1 when the panel was pooled)
   */
  record Parts(double[] noise, double[] square, double[] meanSquare, double systematic, int sets) {
    /** E[V_θ] at inclusion probabilities π2 (null: every unit at π2 = 1), M = Σ_S w. */
    double rates(double[] w, double total, double[] pi2) {
      double v = systematic;
      for (int j = 0; j < w.length; j++) {
        double c = w[j] / total;
        double p = pi2 == null ? 1 : pi2[j];
        if (!(p > 0)) {
          continue; // a unit never reviewed brings no gold
        }
        v += c * c * (square[j] / p - meanSquare[j]);
      }
      return Math.max(0, v);
    }
  }

  /**
   * @param raters the policy's counted raters
   * @param excluded raters on the panel whose answers do not count
   * @param perItem raters asked per item
   * @param q each sampled unit's chance of violating
   * @param prior each sampled unit's prior in the error model (its review stratum's expected prevalence)
   * @param priorVariance Var of the logit of each unit's prior (0: taken as known)
   * @param w each sampled unit's contribution weight m·d1
   * @param total M = Σ_S w
   */
  static Parts of(List<ReviewPanel.Rater> raters, int excluded, int perItem, double[] q, double[] prior,
      double[] priorVariance, double[] w, double total) {
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
    int n = q.length;
    double[] v = new double[n];
    double[] square = new double[n];
    double[] meanSquare = new double[n];
    double[][] mean = new double[2 * k][n]; // E x_j per rate (Se_r at 2r, Sp_r at 2r + 1), averaged over the sets
    double[] priorMean = new double[n];
    double share = 1.0 / sets.size();
    for (int[] set : sets) {
      int m = set.length;
      double[] se = new double[m];
      double[] sp = new double[m];
      for (int a = 0; a < m; a++) {
        se[a] = panel.get(set[a]).sensitivity();
        sp[a] = panel.get(set[a]).specificity();
      }
      for (int j = 0; j < n; j++) {
        double[] mo = UnbiasedGold.moments(se, sp, se, sp, prior[j]);
        v[j] += share * (q[j] * mo[3] + (1 - q[j]) * mo[2]);
        for (int a = 0; a < m; a++) {
          for (int which = 0; which < 2; which++) {
            double[] ex = slope(se, sp, a, which == 0, prior[j], q[j]);
            if (ex == null) {
              continue;
            }
            ReviewPanel.Rater r = panel.get(set[a]);
            double var = which == 0 ? r.seVariance() : r.spVariance();
            mean[2 * set[a] + which][j] += share * ex[0];
            square[j] += share * var * ex[1];
          }
        }
        if (priorVariance[j] > 0) {
          double[] ex = priorSlope(se, sp, prior[j], q[j]);
          priorMean[j] += share * ex[0];
          square[j] += share * priorVariance[j] * ex[1];
        }
      }
    }
    double systematic = 0;
    for (int t = 0; t < 2 * k; t++) {
      ReviewPanel.Rater r = panel.get(t / 2);
      double var = t % 2 == 0 ? r.seVariance() : r.spVariance();
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += w[j] / total * mean[t][j];
        meanSquare[j] += var * mean[t][j] * mean[t][j];
      }
      systematic += var * sum * sum;
    }
    for (int j = 0; j < n; j++) {
      meanSquare[j] += priorVariance[j] * priorMean[j] * priorMean[j];
    }
    // the prior is one parameter per stratum: its systematic term sums over the stratum's units, which share the
    // prior; taking them together over S is exact for one stratum and an upper bound across strata
    double priorSum = 0;
    double priorVar = 0;
    for (int j = 0; j < n; j++) {
      priorSum += w[j] / total * priorMean[j] * Math.sqrt(priorVariance[j]);
    }
    priorVar = priorSum * priorSum;
    return new Parts(v, square, meanSquare, systematic + priorVar, sets.size());
  }

  /**
   * {E x, E x²} for x = ∂g(a)/∂θ, θ rater a's sensitivity ({@code sensitivity}) or specificity in the set, over the
   * answers a at the given rates and the class (violating with chance q); null at a rate of 0 or 1, where the
   * moments are clamped and a bootstrap cannot move it either.
   */
  private static double[] slope(double[] se, double[] sp, int a, boolean sensitivity, double prior, double q) {
    double x = sensitivity ? se[a] : sp[a];
    double h = Math.min(1e-4, Math.min(x, 1 - x) / 2);
    if (!(h > 1e-12)) {
      return null;
    }
    double[] up = (sensitivity ? se : sp).clone();
    double[] down = up.clone();
    up[a] = x + h;
    down[a] = x - h;
    double[][] gu = sensitivity ? UnbiasedGold.patterns(up, sp, se, sp, prior)
        : UnbiasedGold.patterns(se, up, se, sp, prior);
    double[][] gd = sensitivity ? UnbiasedGold.patterns(down, sp, se, sp, prior)
        : UnbiasedGold.patterns(se, down, se, sp, prior);
    return moments(gu, gd, 2 * h, q);
  }

  /** {E x, E x²} for x = ∂g(a)/∂δ, δ a shift of the prior's logit (see {@link #slope}). */
  private static double[] priorSlope(double[] se, double[] sp, double prior, double q) {
    double h = 1e-3;
    double logit = Math.log(prior) - Math.log1p(-prior);
    double[][] gu = UnbiasedGold.patterns(se, sp, se, sp, 1 / (1 + Math.exp(-(logit + h))));
    double[][] gd = UnbiasedGold.patterns(se, sp, se, sp, 1 / (1 + Math.exp(-(logit - h))));
    return moments(gu, gd, 2 * h, q);
  }

  private static double[] moments(double[][] up, double[][] down, double step, double q) {
    double m1 = 0;
    double m2 = 0;
    for (int a = 0; a < up[0].length; a++) {
      double x = (up[0][a] - down[0][a]) / step;
      double p = q * up[1][a] + (1 - q) * up[2][a];
      m1 += p * x;
      m2 += p * x * x;
    }
    return new double[] {m1, m2};
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
