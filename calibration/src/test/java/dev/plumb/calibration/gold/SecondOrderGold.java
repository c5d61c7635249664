package dev.plumb.calibration.gold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A candidate, tried as an arm of {@link GoldCoverageSimulation} only (docs/calibration.md, "The bias at 0.1%"): the
 * unbiased gold less its second-order (delta-method) bias in the raters' estimated rates.
 *
 * <p>g_i(θ) = (q_i − e0_i)/(e1_i − e0_i) is unbiased at the true rates θ, but it is nonlinear in them (a clean unit with
 * two positive answers of three has likelihood ratio (Se/(1 − Sp))²(1 − Se)/Sp, convex in Sp), so at the fitted rates
 * θ̂, E[g_i(θ̂)] − g_i(θ) ≈ ½ tr(H_i Σ) by a second-order Taylor expansion, H_i = ∂²g_i/∂θ² and Σ = Cov(θ̂) (the
 * delta method's bias term; e.g. Bickel &amp; Doksum 2015, <i>Mathematical Statistics</i> I, §5.3.1). The corrected
 * gold is g_i − ½ tr(H_i Σ) with both evaluated at θ̂:
 * <ul>
 *   <li>θ = every counted rater's (Se_j, Sp_j); g_i depends only on its own raters' six, at its leave-one-out prior π_i
 *       held fixed (g is unbiased whatever π, so the prior's own error adds no bias to first order);
 *   <li>H_i by central differences (step 1e-4) of g_i through {@link UnbiasedGold#patterns};
 *   <li>Σ the inverse of the observed information of the rates: minus the Hessian (central differences) of the
 *       observed-data log-likelihood Σ_i log[π_i Π_j L1_ij + (1 − π_i) Π_j L0_ij] + Σ_honeypots log Π_j L_known,j at
 *       θ̂, the priors held at the fit's (Louis 1982's observed information, here by differencing the marginal
 *       likelihood instead of his identity);
 *   <li>π_i is recovered from the fit's posterior: logit π_i = logit q_i − Σ_j log LR_ij.
 * </ul>
 * Ignored: the rates' own first-order bias E[θ̂] − θ and their correlation with unit i's answers (the leave-one-out
 * prior removes the prior's). Units whose posterior is within 1e-12 of 0 or 1 are not corrected; a rate within 1e-3 of
 * 0 or 1 is held fixed (exact raters: nothing to correct, and its information is not finite); with Σ not positive
 * definite nothing is corrected.
 */
final class SecondOrderGold {
  private static final double STEP = 1e-4;
  private static final double EDGE = 1e-3;

  private SecondOrderGold() {}

  /**
   * The fitted rates θ̂ (rater j's Se at 2j, Sp at 2j + 1, raters in the fit's order), each reviewed unit's prior π_i
   * recovered from its posterior, and Σ, the inverse observed information of θ̂ (null when not positive definite).
   */
  record State(Map<String, Integer> index, double[] theta, Map<String, Double> prior, double[][] sigma) {}

  /**
   * The {@link State} of a fit. A rate within 1e-3 of 0 or 1 (exact raters, or a sensitivity the EM pushed to the
   * boundary) has no finite information: it is held fixed (its row and column of Σ are 0).
   */
  static State state(List<ReviewItem> items, RaterErrorFit fit) {
    return state(items, fit, false);
  }

  /**
   * With {@code interior}, a rate whose θ̂ ± 2 SD leaves (0, 1) is held fixed as well (Σ re-formed from the
   * information of the others, until every rate left passes): the delta method's normal approximation needs the
   * estimate inside its space, and a sensitivity the EM left near 1 has a flat likelihood there (SD 0.15–0.3 seen
   * at Se 0.997–0.999), over which the quadratic term extrapolates.
   */
  static State state(List<ReviewItem> items, RaterErrorFit fit, boolean interior) {
    Map<String, Integer> index = new HashMap<>();
    for (RaterError r : fit.raters()) {
      index.put(r.rater(), index.size());
    }
    int p = 2 * index.size();
    double[] theta = new double[p];
    for (RaterError r : fit.raters()) {
      theta[2 * index.get(r.rater())] = r.sensitivity();
      theta[2 * index.get(r.rater()) + 1] = r.specificity();
    }
    List<Integer> free = new ArrayList<>();
    for (int k = 0; k < p; k++) {
      if (theta[k] < 1 - EDGE && theta[k] > EDGE) {
        free.add(k);
      }
    }
    Map<String, Double> prior = new HashMap<>();
    for (ReviewItem it : items) {
      if (!it.honeypot()) {
        double q = fit.posterior().get(it.item());
        if (q > 1e-12 && q < 1 - 1e-12) {
          prior.put(it.item(), UnbiasedGold.sigmoid(UnbiasedGold.logit(q) - logLikelihoodRatio(it, theta, index)));
        }
      }
    }
    double[][] information = new double[p][p];
    for (int k = 0; k < free.size(); k++) {
      for (int l = k; l < free.size(); l++) {
        int a = free.get(k);
        int b = free.get(l);
        double h = -secondDifference(t -> logLikelihood(items, t, index, prior), theta, a, b);
        information[a][b] = h;
        information[b][a] = h;
      }
    }
    while (true) {
      int f = free.size();
      double[][] sub = new double[f][f];
      for (int k = 0; k < f; k++) {
        for (int l = 0; l < f; l++) {
          sub[k][l] = information[free.get(k)][free.get(l)];
        }
      }
      double[][] inverse = invert(sub);
      if (inverse == null) {
        return new State(index, theta, prior, null);
      }
      double[][] sigma = new double[p][p];
      List<Integer> inside = new ArrayList<>();
      for (int k = 0; k < f; k++) {
        double t = theta[free.get(k)];
        double sd = Math.sqrt(inverse[k][k]);
        if (!interior || (t - 2 * sd > 0 && t + 2 * sd < 1)) {
          inside.add(free.get(k));
        }
        for (int l = 0; l < f; l++) {
          sigma[free.get(k)][free.get(l)] = inverse[k][l];
        }
      }
      if (inside.size() == f) {
        return new State(index, theta, prior, sigma);
      }
      free = inside;
    }
  }

  /** Reviewed item → ½ tr(H_i Σ), the amount to subtract from its unbiased gold; empty when Σ cannot be formed. */
  static Map<String, Double> bias(List<ReviewItem> items, RaterErrorFit fit) {
    return bias(items, fit, false);
  }

  /** {@link #bias(List, RaterErrorFit)}, with {@code interior} as {@link #state(List, RaterErrorFit, boolean)}. */
  static Map<String, Double> bias(List<ReviewItem> items, RaterErrorFit fit, boolean interior) {
    State s = state(items, fit, interior);
    if (s.sigma() == null) {
      return Map.of();
    }
    Map<String, Double> out = new HashMap<>();
    for (ReviewItem it : items) {
      if (!it.honeypot() && s.prior().containsKey(it.item())) {
        out.put(it.item(), half(it, s));
      }
    }
    return out;
  }

  /** ½ tr(H_i Σ) of one reviewed unit, over the six rates of its own raters. */
  static double half(ReviewItem it, State s) {
    List<String> who = new ArrayList<>(it.answers().keySet());
    int[] at = new int[2 * who.size()];
    for (int j = 0; j < who.size(); j++) {
      at[2 * j] = 2 * s.index().get(who.get(j));
      at[2 * j + 1] = at[2 * j] + 1;
    }
    double pi = s.prior().get(it.item());
    double half = 0;
    for (int k = 0; k < at.length; k++) {
      for (int l = k; l < at.length; l++) {
        if (s.sigma()[at[k]][at[l]] == 0) {
          continue;
        }
        double h = secondDifference(t -> gold(it, t, s.index(), pi), s.theta(), at[k], at[l]);
        // off-diagonal pairs twice: H and Σ are symmetric
        half += (k == l ? 0.5 : 1) * s.sigma()[at[k]][at[l]] * h;
      }
    }
    return half;
  }

  /** g_i at rates θ and prior π, as {@code RaterErrorModel.scored} computes it. */
  static double gold(ReviewItem it, double[] theta, Map<String, Integer> index, double prior) {
    List<String> who = new ArrayList<>(it.answers().keySet());
    double[] se = new double[who.size()];
    double[] sp = new double[who.size()];
    int mask = 0;
    for (int j = 0; j < who.size(); j++) {
      int r = index.get(who.get(j));
      se[j] = theta[2 * r];
      sp[j] = theta[2 * r + 1];
      mask |= it.answers().get(who.get(j)) ? 1 << j : 0;
    }
    return UnbiasedGold.patterns(se, sp, se, sp, prior)[0][mask];
  }

  private static double logLikelihoodRatio(ReviewItem it, double[] theta, Map<String, Integer> index) {
    double out = 0;
    for (Map.Entry<String, Boolean> a : it.answers().entrySet()) {
      int r = index.get(a.getKey());
      double se = UnbiasedGold.clamp(theta[2 * r]);
      double sp = UnbiasedGold.clamp(theta[2 * r + 1]);
      out += a.getValue() ? Math.log(se) - Math.log(1 - sp) : Math.log(1 - se) - Math.log(sp);
    }
    return out;
  }

  /** The observed-data log-likelihood of the rates, the priors held fixed; honeypots at their known class. */
  private static double logLikelihood(List<ReviewItem> items, double[] theta, Map<String, Integer> index,
      Map<String, Double> prior) {
    double out = 0;
    for (ReviewItem it : items) {
      if (!it.honeypot() && !prior.containsKey(it.item())) {
        continue;
      }
      double l1 = 0;
      double l0 = 0;
      for (Map.Entry<String, Boolean> a : it.answers().entrySet()) {
        int r = index.get(a.getKey());
        double se = theta[2 * r];
        double sp = theta[2 * r + 1];
        l1 += Math.log(a.getValue() ? se : 1 - se);
        l0 += Math.log(a.getValue() ? 1 - sp : sp);
      }
      if (it.honeypot()) {
        out += it.known() ? l1 : l0;
      } else {
        double pi = prior.get(it.item());
        double m = Math.max(l1, l0);
        out += m + Math.log(pi * Math.exp(l1 - m) + (1 - pi) * Math.exp(l0 - m));
      }
    }
    return out;
  }

  /** ∂²f/∂θ_k∂θ_l by central differences. */
  private static double secondDifference(java.util.function.ToDoubleFunction<double[]> f, double[] theta, int k, int l) {
    if (k == l) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[k] += STEP;
      down[k] -= STEP;
      return (f.applyAsDouble(up) - 2 * f.applyAsDouble(theta) + f.applyAsDouble(down)) / (STEP * STEP);
    }
    double[] pp = theta.clone();
    double[] pm = theta.clone();
    double[] mp = theta.clone();
    double[] mm = theta.clone();
    pp[k] += STEP;
    pp[l] += STEP;
    pm[k] += STEP;
    pm[l] -= STEP;
    mp[k] -= STEP;
    mp[l] += STEP;
    mm[k] -= STEP;
    mm[l] -= STEP;
    return (f.applyAsDouble(pp) - f.applyAsDouble(pm) - f.applyAsDouble(mp) + f.applyAsDouble(mm)) / (4 * STEP * STEP);
  }

  /** The lower Cholesky factor L of a symmetric matrix (A = L Lᵀ), or null when it is not positive definite. */
  static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(s > 0)) {
            return null;
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  /** The inverse of a symmetric positive-definite matrix by Cholesky, or null when it is not positive definite. */
  static double[][] invert(double[][] a) {
    int n = a.length;
    double[][] l = cholesky(a);
    if (l == null) {
      return null;
    }
    // L⁻¹ column by column, then A⁻¹ = L⁻ᵀ L⁻¹
    double[][] inv = new double[n][n];
    for (int c = 0; c < n; c++) {
      for (int i = c; i < n; i++) {
        double s = i == c ? 1 : 0;
        for (int k = c; k < i; k++) {
          s -= l[i][k] * inv[k][c];
        }
        inv[i][c] = s / l[i][i];
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = Math.max(i, j); k < n; k++) {
          s += inv[k][i] * inv[k][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }
}
