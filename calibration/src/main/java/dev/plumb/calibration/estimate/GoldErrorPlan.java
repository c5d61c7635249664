package dev.plumb.calibration.estimate;

/**
 * {@code plumb plan gold}: how far rater error moves the gold, and how many honeypots, overlaps and
 * expert reviews keep it under a target (docs/calibration.md, "Planning against gold error").
 *
 * <p>Every rater answers positive with probability Se on a violating unit and 1 − Sp on a clean one,
 * independently; p is the prevalence among the reviewed units (plan each review stratum on its own
 * when they differ), n the reviewed units, r the raters per unit.
 *
 * <ul>
 *   <li><b>Majority of r.</b> Se_M = P(Bin(r, Se) &gt; r/2) and F_M = P(Bin(r, 1 − Sp) &gt; r/2), a tie
 *       (even r) counting half (adjudicated either way). The gold-positive rate is g = p·Se_M + (1 −
 *       p)·F_M, so the bias is b_M = g − p = (1 − p)F_M − p(1 − Se_M).
 *   <li><b>Error model</b> (Dawid–Skene with honeypots): unbiased at the true rates, its estimate moves
 *       with the estimated ones. At low prevalence the units with a majority of positive answers carry
 *       the estimate, so it behaves as the Rogan–Gladen correction of the majority call, p = (g − F_M)/
 *       (Se_M − F_M), with F_M and Se_M functions of the per-rater rates (F = 1 − Sp). Linearised:
 *       ∂p/∂F = −(1 − p)·F_M'(F)/(Se_M − F_M), ∂p/∂Se = −p·Se_M'(Se)/(Se_M − F_M) (the majority's
 *       derivatives, by central differences), and with the rates learned from every answer on a unit of
 *       known class — r per overlapped unit (r ≥ 2) and per honeypot — Var F̂ = F(1 − F)/(r·(h₋ + n(1 −
 *       p))), Var Sê = Se(1 − Se)/(r·(h₊ + np)). The error it leaves is e_EM = √(((1 − p)F_M')² Var F̂ +
 *       (p·Se_M')² Var Sê)/(Se_M − F_M), one standard deviation — not a systematic bias, but how far one
 *       review's estimate sits from the truth through its rates. A first-order planning figure: it treats
 *       the classes of the overlapped units as known and assumes the model holds (conditional
 *       independence, one Se and Sp per rater).
 *   <li><b>Expert tier</b> (exact experts on every consensus-positive and k of the N₀ = n(1 − g)
 *       consensus-negatives, {@code plumb queue export --expert-from}): no bias; the misses m₀ = p(1 −
 *       Se_M)/(1 − g) among the consensus-negatives are estimated from the k, with standard deviation
 *       e_X = (N₀/n)·√((1/k − 1/N₀)·m₀(1 − m₀)) on the prevalence. Experts on the consensus-positives
 *       only leave the misses: bias −p(1 − Se_M).
 * </ul>
 *
 * The target t (a fraction of p) bounds the gold's error: the |bias| of a biased gold, the standard
 * deviation of an unbiased one. The smallest numbers for it solve e ≤ t·p: clean honeypots h₋ for the
 * error model (first raising violating honeypots h₊ until the sensitivity term alone takes at most
 * half of the budget (t·p·(Se_M − F_M))² when both together are over), and k = ⌈1/((t·p·n/N₀)²/(m₀(1 − m₀)) + 1/N₀)⌉, at least 2, for the
 * expert tier — or none when the consensus-positives alone leave a bias within the target.
 */
public final class GoldErrorPlan {
  private GoldErrorPlan() {}

  /**
   * @param sensitivity a rater's sensitivity, in (0, 1]
   * @param specificity a rater's specificity, in (0, 1]; Se + Sp &gt; 1
   * @param overlap raters per reviewed unit, ≥ 1
   * @param prevalence the prevalence among the reviewed units, in (0, 1)
   * @param review the reviewed units, ≥ 1
   * @param honeypotsViolating violating honeypots, ≥ 0
   * @param honeypotsClean clean honeypots, ≥ 0
   * @param target the largest error wanted, as a fraction of the prevalence (&gt; 0)
   * @param expertNegatives the share of consensus-negatives the experts review, in (0, 1], or NaN
   */
  public record Request(double sensitivity, double specificity, int overlap, double prevalence, int review,
      int honeypotsViolating, int honeypotsClean, double target, double expertNegatives) {
    public Request {
      check(sensitivity > 0 && sensitivity <= 1, "sensitivity", "in (0, 1]", sensitivity);
      check(specificity > 0 && specificity <= 1, "specificity", "in (0, 1]", specificity);
      check(sensitivity + specificity > 1, "sensitivity",
          "such that sensitivity + specificity exceeds 1 (raters better than chance)", sensitivity + specificity);
      check(overlap >= 1, "overlap", "at least 1", overlap);
      check(prevalence > 0 && prevalence < 1, "prevalence", "in (0, 1)", prevalence);
      check(review >= 1, "review", "at least 1", review);
      check(honeypotsViolating >= 0, "honeypots-violating", "at least 0", honeypotsViolating);
      check(honeypotsClean >= 0, "honeypots-clean", "at least 0", honeypotsClean);
      check(target > 0, "target", "above 0", target);
      check(Double.isNaN(expertNegatives) || expertNegatives > 0 && expertNegatives <= 1, "expert-negatives",
          "in (0, 1]", expertNegatives);
    }
  }

  /**
   * The plan; errors are on the prevalence scale (multiply by 1/p for relative).
   *
   * @param majoritySensitivity Se_M
   * @param majorityFalsePositive F_M
   * @param majorityBias b_M
   * @param errorModel e_EM, or NaN when the rates cannot be estimated (one rater per unit and no honeypot)
   * @param cleanHoneypots the smallest h₋ for the target (with {@code violatingHoneypots}), or -1 when
   *     the rates cannot be estimated
   * @param violatingHoneypots h₊ used for {@code cleanHoneypots} (the request's, or raised)
   * @param consensusPositives n·g, the units every expert tier reviews
   * @param consensusNegatives N₀ = n(1 − g)
   * @param positivesOnlyBias −p(1 − Se_M)
   * @param expertReviews k at the request's share (⌈share·N₀⌉, at least 2), or 0 without one
   * @param expertError e_X at that k, or NaN
   * @param expertReviewsNeeded the smallest k for the target: 0 when the consensus-positives alone
   *     meet it (|−p(1 − Se_M)| ≤ t·p), else at least 2
   */
  public record Plan(double majoritySensitivity, double majorityFalsePositive, double majorityBias, double errorModel,
      int cleanHoneypots, int violatingHoneypots, double consensusPositives, double consensusNegatives,
      double positivesOnlyBias, int expertReviews, double expertError, int expertReviewsNeeded) {}

  /** Thrown by {@link Request} for a bad value: {@code field} names it (as the CLI flag without dashes). */
  public static final class BadValue extends IllegalArgumentException {
    private final String field;

    BadValue(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private static void check(boolean ok, String field, String must, double found) {
    if (!ok) {
      throw new BadValue(field, "must be " + must + ", found " + (found == Math.rint(found) && Math.abs(found) < 1e15
          ? Long.toString((long) found) : Double.toString(found)));
    }
  }

  /** The plan for {@code r}; see the class comment for every formula. */
  public static Plan plan(Request r) {
    double p = r.prevalence();
    double se = r.sensitivity();
    double fp = 1 - r.specificity();
    double seM = majority(r.overlap(), se);
    double fpM = majority(r.overlap(), fp);
    double g = p * seM + (1 - p) * fpM;
    double budget = Math.pow(r.target() * p * (seM - fpM), 2);
    double dF = slope(r.overlap(), fp);
    double dSe = slope(r.overlap(), se);
    double emError = Double.NaN;
    int clean = -1;
    int violating = r.honeypotsViolating();
    boolean overlapped = r.overlap() >= 2;
    if (overlapped || r.honeypotsViolating() + r.honeypotsClean() > 0) {
      double fpUnit = Math.pow((1 - p) * dF, 2) * fp * (1 - fp) / r.overlap();
      double seUnit = Math.pow(p * dSe, 2) * se * (1 - se) / r.overlap();
      double fpInfo = r.honeypotsClean() + (overlapped ? r.review() * (1 - p) : 0);
      double seInfo = violating + (overlapped ? r.review() * p : 0);
      double fpTerm = term(fpUnit, fpInfo);
      double seTerm = term(seUnit, seInfo);
      emError = Math.sqrt(fpTerm + seTerm) / (seM - fpM);
      if (seTerm > budget / 2 && fpTerm + seTerm > budget) {
        // the sensitivity term alone is over half the budget: raise violating honeypots first
        double needed = seUnit / (budget / 2) - (overlapped ? r.review() * p : 0);
        violating = Math.max(violating, (int) Math.ceil(needed - 1e-9));
        seTerm = term(seUnit, violating + (overlapped ? r.review() * p : 0));
      }
      double units = fpUnit / (budget - seTerm) - (overlapped ? r.review() * (1 - p) : 0);
      clean = fp == 0 ? 0 : Math.max(0, (int) Math.ceil(units - 1e-9));
    }
    double n0 = r.review() * (1 - g);
    double miss = p * (1 - seM) / (1 - g);
    int k = 0;
    double xError = Double.NaN;
    if (!Double.isNaN(r.expertNegatives())) {
      k = (int) Math.min(Math.max(1, Math.floor(n0)), Math.max(2, Math.ceil(r.expertNegatives() * n0 - 1e-9)));
      xError = expertError(r.review(), n0, miss, k);
    }
    double tp = r.target() * p;
    int needed = miss == 0 ? 2 : (int) Math.ceil(1 / (Math.pow(tp * r.review() / n0, 2) / (miss * (1 - miss)) + 1 / n0) - 1e-9);
    // the consensus-positives alone may already meet the target: their only error is the misses
    needed = p * (1 - seM) <= tp ? 0 : Math.max(2, needed);
    return new Plan(seM, fpM, g - p, emError, clean, violating, r.review() * g, n0, -p * (1 - seM), k, xError, needed);
  }

  /** P(a majority of r answers is positive) when each is with probability q; a tie counts half. */
  static double majority(int r, double q) {
    double out = 0;
    for (int k = 0; k <= r; k++) {
      double pk = binomial(r, k) * Math.pow(q, k) * Math.pow(1 - q, r - k);
      out += 2 * k > r ? pk : 2 * k == r ? pk / 2 : 0;
    }
    return out;
  }

  private static double binomial(int n, int k) {
    double c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c;
  }

  /** A term's variance from its per-unit part and the units of known class (infinite with none, unless exact). */
  private static double term(double perUnit, double units) {
    return perUnit == 0 ? 0 : units == 0 ? Double.POSITIVE_INFINITY : perUnit / units;
  }

  /** d/dq of {@link #majority}, by a central difference clipped to [0, 1]. */
  static double slope(int r, double q) {
    double h = 1e-6;
    double lo = Math.max(0, q - h);
    double hi = Math.min(1, q + h);
    return (majority(r, hi) - majority(r, lo)) / (hi - lo);
  }

  private static double expertError(int n, double n0, double miss, int k) {
    return n0 / n * Math.sqrt(Math.max(0, 1.0 / k - 1 / n0) * miss * (1 - miss));
  }
}
