package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.Locale;
import java.util.Map;

/**
 * Rogan–Gladen correction of an apparent (LLM-flagged) prevalence for the classifier's sensitivity
 * and specificity: P = (AP + Sp − 1)/(Se + Sp − 1) (Rogan &amp; Gladen 1978, American Journal of
 * Epidemiology 107:71–76), clipped to [0, 1].
 *
 * <p>Counts may be fractional (design-based effective sample sizes).
 */
public final class RoganGladen {
  private RoganGladen() {}

  /**
   * A corrected prevalence and its interval.
   *
   * @param estimate the Rogan–Gladen estimate clipped to [0, 1]
   * @param se the delta-method standard error
   *     √(AP(1−AP)/n + Se(1−Se)/n_Se·P² + Sp(1−Sp)/n_Sp·(1−P)²)/(Se + Sp − 1) at the unadjusted values
   *     (0 for the known-accuracy form's Se and Sp terms)
   * @param interval the confidence interval, within [0, 1]
   */
  public record Result(double estimate, double se, Interval interval) {}

  /**
   * Rogan–Gladen with Se and Sp estimated from a validation set, with the adjusted Wald interval of
   * Lang &amp; Reiczigel (2014, "Confidence limits for prevalence of disease adjusted for estimated
   * sensitivity and specificity", Preventive Veterinary Medicine 113:13–22), which carries the
   * uncertainty of all three proportions:
   * <ol>
   *   <li>add z²/2 positives and z²/2 negatives to the apparent prevalence (ÃP = (x + z²/2)/(n + z²))
   *       and one success and one failure to Se and Sp (S̃e = (x_Se + 1)/(n_Se + 2), likewise Sp);
   *   <li>P̃ = (ÃP + S̃p − 1)/(S̃e + S̃p − 1), with delta-method standard error s̃ at the adjusted
   *       values;
   *   <li>shift d = 2z²(P̃ S̃e(1−S̃e)/ñ_Se − (1−P̃) S̃p(1−S̃p)/ñ_Sp);
   *   <li>interval P̃ + d ± z s̃, clipped to [0, 1].
   * </ol>
   *
   * @param x test positives (LLM-flagged) among n tested
   * @param xSe positives found among nSe true positives
   * @param xSp negatives found among nSp true negatives
   * @throws IllegalArgumentException when Se + Sp ≤ 1 (the classifier is no better than chance and
   *     the correction is undefined) or a count is out of range
   */
  public static Result langReiczigel(
      double x, double n, double xSe, double nSe, double xSp, double nSp, double level) {
    check(x, n, "apparent");
    check(xSe, nSe, "sensitivity");
    check(xSp, nSp, "specificity");
    double ap = x / n;
    double se = xSe / nSe;
    double sp = xSp / nSp;
    double youden = se + sp - 1;
    if (!(youden > 0)) {
      throw new IllegalArgumentException(
          "sensitivity + specificity = " + (se + sp) + " is not above 1: the correction is undefined");
    }
    double p = clip((ap + sp - 1) / youden);
    double seP = Math.sqrt(ap * (1 - ap) / n + se * (1 - se) / nSe * p * p
        + sp * (1 - sp) / nSp * (1 - p) * (1 - p)) / youden;
    double z = BinomialInterval.z(level);
    double z2 = z * z;
    double nA = n + z2;
    double apA = (x + z2 / 2) / nA;
    double nSeA = nSe + 2;
    double seA = (xSe + 1) / nSeA;
    double nSpA = nSp + 2;
    double spA = (xSp + 1) / nSpA;
    double youdenA = seA + spA - 1;
    double pA = (apA + spA - 1) / youdenA;
    double sA = Math.sqrt(apA * (1 - apA) / nA + seA * (1 - seA) / nSeA * pA * pA
        + spA * (1 - spA) / nSpA * (1 - pA) * (1 - pA)) / Math.abs(youdenA);
    double shift = 2 * z2 * (pA * seA * (1 - seA) / nSeA - (1 - pA) * spA * (1 - spA) / nSpA);
    double lo = clip(pA + shift - z * sA);
    double hi = clip(pA + shift + z * sA);
    return new Result(p, seP, new Interval(lo, hi, level, "lang-reiczigel", false));
  }

  /**
   * Rogan–Gladen with Se and Sp taken as known (validated elsewhere on a large set): the interval
   * of the apparent prevalence by {@code method}, transformed by the same formula and clipped to
   * [0, 1] — R {@code epiR::epi.prev(pos, tested, se, sp, method)} for methods "wilson" and "c-p"
   * (epiR does not clip).
   */
  public static Result knownAccuracy(
      double x, double n, double se, double sp, BinomialInterval method, double level) {
    check(x, n, "apparent");
    double youden = se + sp - 1;
    if (!(youden > 0) || se > 1 || sp > 1) {
      throw new IllegalArgumentException(
          "sensitivity " + se + " and specificity " + sp + " must be at most 1 and sum to more than 1");
    }
    double ap = x / n;
    Interval apCi = method.interval(x, n, level);
    double p = clip((ap + sp - 1) / youden);
    double seP = Math.sqrt(ap * (1 - ap) / n) / youden;
    Interval ci = new Interval(clip((apCi.lower() + sp - 1) / youden),
        clip((apCi.upper() + sp - 1) / youden), level, "rogan-gladen-" + method.label(), false);
    return new Result(p, seP, ci);
  }

  private static double clip(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static void check(double x, double n, String what) {
    if (!(n > 0) || !(x >= 0 && x <= n)) {
      throw new IllegalArgumentException(what + ": need 0 <= x <= n and n > 0, got x = " + x + ", n = " + n);
    }
  }

  /**
   * Rogan–Gladen over a two-phase sample: the apparent prevalence is the LLM's over phase 1, Se and Sp
   * are the LLM's on the reviewed units (each weighted m·d1·d2, a unit counting toward each class by
   * its gold probability), every count an effective one (Kish's n), and the interval Lang–Reiczigel's.
   */
  static Corrected of(Estimators e) {
    CorrectedEstimator me = CorrectedEstimator.ROGAN_GLADEN;
    if (e.goldN() == 0) {
      return e.noGold(me);
    }
    if (e.goldPositives() == 0) {
      return new Corrected.NotEstimable(me, "no gold positive" + e.where + ": sensitivity cannot be estimated");
    }
    if (e.goldPositives() == e.goldN()) {
      return new Corrected.NotEstimable(me, "no gold negative" + e.where + ": specificity cannot be estimated");
    }
    Estimate apparent;
    try {
      apparent = Estimator.ratio(e.p1, e.s.llm, e.domain);
    } catch (IllegalArgumentException ex) {
      return new Corrected.NotEstimable(me, ex.getMessage());
    }
    double[] w = new double[2];
    double[] w2 = new double[2];
    double[] hit = new double[2];
    for (int i : e.s.goldIndex) {
      if (e.in(i)) {
        // a unit counts toward each class by its probability of being in it (0 or 1 for exact gold);
        // the error model's unbiased gold, which may lie slightly outside [0, 1], is clipped to it, since
        // a class's share cannot be negative
        double wi = e.weight2(i);
        double yi = Math.max(0, Math.min(1, e.s.y[i]));
        double[] share = {1 - yi, yi};
        for (int y = 0; y < 2; y++) {
          w[y] += wi * share[y];
          w2[y] += wi * wi * share[y] * share[y];
          if (e.s.llm[i] == y) {
            hit[y] += wi * share[y];
          }
        }
      }
    }
    double se = hit[1] / w[1];
    double sp = hit[0] / w[0];
    double nSe = w[1] * w[1] / w2[1];
    double nSp = w[0] * w[0] / w2[0];
    double ap = apparent.estimate();
    double nAp = Double.isFinite(apparent.nEff()) ? apparent.nEff() : apparent.kishNEff();
    Map<String, Double> details = Map.of("apparent", ap, "sensitivity", se, "specificity", sp,
        "sensitivity_n", nSe, "specificity_n", nSp, "apparent_n", nAp);
    if (!(se + sp > 1)) {
      return new Corrected.NotEstimable(me, String.format(Locale.ROOT,
          "sensitivity %.3f + specificity %.3f is not above 1: the LLM is no better than chance%s", se, sp, e.where));
    }
    RoganGladen.Result r = langReiczigel(ap * nAp, nAp, se * nSe, nSe, sp * nSp, nSp, e.level());
    double nEff = r.se() > 0 ? r.estimate() * (1 - r.estimate()) / (r.se() * r.se()) : Double.POSITIVE_INFINITY;
    return new Corrected.Estimated(me, r.estimate(), r.se(), r.interval(), nEff, details,
        "assumes the LLM's sensitivity and specificity on the reviewed units hold for the whole sample");
  }
}
