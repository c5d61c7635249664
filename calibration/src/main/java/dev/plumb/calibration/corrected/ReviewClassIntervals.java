package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.CertaintyFloor;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.GammaInterval;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.calibration.stats.Mover;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Human-only's intervals built from its review classes one by one rather than from (P̂, V̂) alone: the
 * MOVER-Wilson interval, the gamma interval's weight of one more event, and the certainty floor. {@code domain} limits both to a domain's units
 * (null: every unit).
 */
final class ReviewClassIntervals {
  private ReviewClassIntervals() {}

  /** The reviewed units split by overall π₁π₂ = 1 or not ({@link CertaintyFloor}). */
  static CertaintyFloor certaintyFloor(TwoPhaseSample s, boolean[] domain) {
    DesignSample p1 = s.phase1;
    double[] w = new double[p1.size()];
    double[] pi = new double[p1.size()];
    boolean[] gold = new boolean[p1.size()];
    for (int i : s.goldIndex) {
      if (domain == null || domain[i]) {
        gold[i] = true;
        w[i] = p1.exposure(i) * p1.designWeight(i) / s.pi2[i];
        pi[i] = s.pi2[i] / p1.designWeight(i);
      }
    }
    return CertaintyFloor.of(w, s.y, s.call, pi, gold);
  }

  /**
   * A note for a design interval (Korn–Graubard and the like) when a review stratum reviewed in part
   * holds no gold positive: its reviews add nothing to V2, so the interval treats what they did not see
   * as known — the runs where the gold-error simulation's 0.1% design misses (docs/calibration.md, "What
   * the 0.1% design cannot do"). The note names the stratum, its reviews and exposure share, and the
   * {@link #kgGamma} interval, which allows one more violation in the stratum (narrower than MOVER-Wilson at
   * equal coverage: docs/calibration.md). Empty when no such stratum carries at least a tenth of the
   * estimated exposure, and for a Poisson (active) review, which has no classes. Same rule as {@link #kgGamma}:
   * the note says what kg-gamma would give.
   *
   * @param v the estimator's variance V̂ (phase 1, phase 2 and the gold's)
   */
  static String unseenClassNote(TwoPhaseSample s, boolean[] domain, double p, double v, double level) {
    Switched g = kgGamma(s, domain, p, v, level);
    if (g == null) {
      return "";
    }
    return String.format(Locale.ROOT, "%s — this interval treats what those reviews did not see as known; "
        + "kg-gamma, which allows one more violation there, gives [%.4g%%, %.4g%%] (--interval kg-gamma; "
        + "docs/calibration.md, \"What the 0.1%% design cannot do\")", g.classes(), 100 * g.interval().lower(),
        100 * g.interval().upper());
  }

  /**
   * A review stratum (an LLM-call group such as {@code llm_negative}, all its weight classes together) reviewed
   * in part — some class has π2 &lt; 1 — whose {@code reviewed} units hold no gold positive and stand for
   * {@code share} ≥ 0.1 of the estimated exposure; {@code meanC} = share / reviewed is the mean coefficient
   * c_i = m·d1/(π2·M̂) of its reviewed units (the weight of one more violation there); {@code classes} is the
   * number of its weight classes (1 without them).
   */
  record Unseen(String name, int classes, int reviewed, double share, double meanC) {
    /**
     * e.g. {@code llm_negative: no violation among 600 reviewed units standing for 93% of the exposure}, or
     * {@code llm_negative (4 weight classes): …}.
     */
    String words() {
      return String.format(Locale.ROOT, "%s%s: no violation among %,d reviewed units standing for %.0f%% of the exposure",
          name, classes > 1 ? " (" + classes + " weight classes)" : "", reviewed, 100 * share);
    }
  }

  /**
   * The strata the unseen-class note names ({@link Unseen}), in review-stratum order; none for a Poisson
   * (active) review, which has no classes. The rule looks at the review's strata, not at its weight classes
   * (docs/calibration.md, "Korn–Graubard, gamma where a class saw nothing"): with heavy-tailed exposure some
   * weight class of the cleared stratum almost always saw nothing, while what Korn–Graubard misses is a
   * stratum whose whole review saw nothing.
   */
  static List<Unseen> unseenClasses(TwoPhaseSample s, boolean[] domain) {
    if (s.poisson) {
      return List.of();
    }
    Classes k = Classes.of(s, domain);
    int strata = s.reviewStrata.size();
    int[] classes = new int[strata];
    int[] reviewed = new int[strata];
    int[] positives = new int[strata];
    double[] exposure = new double[strata];
    boolean[] inPart = new boolean[strata];
    for (int g = 0; g < k.sw().length; g++) {
      int r = s.reviewStratum[g];
      if (k.reviewed()[g] > 0) {
        classes[r]++;
        reviewed[r] += k.reviewed()[g];
        positives[r] += k.positives()[g];
        exposure[r] += k.sw()[g] / k.pi()[g];
        inPart[r] |= k.pi()[g] < 1;
      }
    }
    List<Unseen> out = new ArrayList<>();
    for (int r = 0; r < strata; r++) {
      double share = exposure[r] / k.total();
      if (reviewed[r] > 0 && positives[r] == 0 && inPart[r] && share >= 0.1) {
        // c_i = w_i/(π2 M̂) summed over the stratum is its share; its mean is share / reviewed
        out.add(new Unseen(s.reviewStrata.get(r), classes[r], reviewed[r], share, share / reviewed[r]));
      }
    }
    return out;
  }

  /**
   * {@link IntervalMethod#KG_GAMMA} (docs/calibration.md, "Korn–Graubard, gamma where a class saw nothing"): when a
   * stratum of {@link #unseenClasses} exists, the gamma interval ({@link GammaInterval}, Fay &amp; Feuer 1997) of
   * (P̂, V̂) with w = the largest of those strata's mean c_i (Tiwari, Clegg &amp; Zou 2006's mean, taken in the
   * stratum that showed nothing, over all its weight classes; with several such strata the largest, so that the
   * upper limit allows for the heaviest stratum's unit), labelled {@code gamma}, with a note naming the strata;
   * else null (Korn–Graubard stands).
   */
  static Switched kgGamma(TwoPhaseSample s, boolean[] domain, double p, double v, double level) {
    List<Unseen> unseen = unseenClasses(s, domain);
    if (unseen.isEmpty()) {
      return null;
    }
    double w = unseen.stream().mapToDouble(Unseen::meanC).max().orElseThrow();
    Interval ci = GammaInterval.of(Math.max(0, Math.min(1, p)), Math.max(0, v), w, level);
    String classes = unseen.stream().map(Unseen::words).collect(Collectors.joining("; "));
    String note = String.format(Locale.ROOT, "%s — the upper limit allows one more violation at %s mean weight "
        + "(gamma interval, kg-gamma; docs/calibration.md, \"What the 0.1%% design cannot do\")", classes,
        unseen.size() == 1 ? "that stratum's" : "the heaviest such stratum's");
    return new Switched(ci, classes, note);
  }

  /** The interval {@link #kgGamma} switched to and the note that says why. */
  record Switched(Interval interval, String classes, String note) {}

  /**
   * Human-only's MOVER-Wilson interval (docs/calibration.md, "Small counts in a review class"). With
   * w = m·d1, a phase-2 stratum g contributes the Hájek rate r_g = Σ_{G_g} w y / Σ_{G_g} w with weight
   * c_g = T̂_g/T̂, T̂_g = Σ_{G_g} w/π2_g, so that Σ c_g r_g is exactly the human-only P̂. Each stratum
   * reviewed in part gets a Wilson interval for r_g on Kish's n of its weights divided by 1 − π2_g
   * (the finite-population correction); a stratum reviewed whole is known. MOVER combines them with
   * the phase-1 term ±z√V1. Why: a stratum whose reviews hold no (or one) positive adds nothing (or
   * little) to V2, and a Korn–Graubard interval then treats what the review did not see as known.
   */
  static Interval moverWilson(TwoPhaseSample s, boolean[] domain, double p, double v1, double level) {
    Classes k = Classes.of(s, domain);
    int strata = k.sw().length;
    double[] sw = k.sw();
    double[] swy = k.swy();
    double[] sw2 = k.sw2();
    double[] pi = k.pi();
    double total = k.total();
    // term 0 is the phase-1 part ±z√V1; term g + 1 is class g (a class reviewed whole, or absent
    // from this domain, has no spread), so MOVER's centre Σ c r is P̂ itself
    double z = BinomialInterval.z(level);
    double[] c = new double[strata + 1];
    double[] r = new double[strata + 1];
    double[] lo = new double[strata + 1];
    double[] hi = new double[strata + 1];
    c[0] = 1;
    lo[0] = -z * Math.sqrt(Math.max(0, v1));
    hi[0] = -lo[0];
    for (int g = 0; g < strata; g++) {
      if (sw[g] > 0) {
        int j = g + 1;
        c[j] = sw[g] / pi[g] / total;
        // the error model's unbiased gold may put a class's rate slightly outside [0, 1]; Wilson's
        // limits are for a proportion
        r[j] = Math.max(0, Math.min(1, swy[g] / sw[g]));
        lo[j] = r[j];
        hi[j] = r[j];
        if (pi[g] < 1) {
          double n = sw[g] * sw[g] / sw2[g] / (1 - pi[g]);
          Interval w = BinomialInterval.WILSON.interval(r[j] * n, n, level);
          lo[j] = Math.min(w.lower(), r[j]);
          hi[j] = Math.max(w.upper(), r[j]);
        }
      }
    }
    double[] limits = Mover.limits(c, r, lo, hi);
    return Interval.clamped(Math.min(p, limits[0]), Math.max(p, limits[1]), 0, 1,
        level, IntervalMethod.MOVER_WILSON.label(), false);
  }

  /**
   * Where the gamma interval's one more event gets its weight w: the largest or the mean coefficient c_i
   * = m·d1/(π2·M̂) over the domain's reviewed units (Fay &amp; Feuer 1997; Tiwari, Clegg &amp; Zou 2006), or the
   * largest or mean c_i of the review classes reviewed in part that hold no gold positive — where a
   * violation can hide unseen — falling back to the mean over all when there is none; or that class mean
   * and 0 when there is none ({@code UNSEEN_CLASS_ONLY}: no extra event where every class showed one).
   */
  enum GammaWeight { MAX, MEAN, UNSEEN_CLASS_MAX, UNSEEN_CLASS_MEAN, UNSEEN_CLASS_ONLY }

  /** The rule {@link IntervalMethod#GAMMA} uses (docs/calibration.md, "A gamma interval for rare unseen events"). */
  static final GammaWeight GAMMA_WEIGHT = GammaWeight.MEAN;

  /**
   * Human-only's gamma interval ({@link GammaInterval}, Fay &amp; Feuer 1997) with P̂ = Σ c_i y_i, V̂ the
   * estimator's own variance (phase 1, phase 2 and the gold's) and w by {@link #GAMMA_WEIGHT}.
   */
  static Interval gamma(TwoPhaseSample s, boolean[] domain, double p, double v, double level) {
    return GammaInterval.of(Math.max(0, Math.min(1, p)), Math.max(0, v), gammaWeight(s, domain, GAMMA_WEIGHT), level);
  }

  /** The weight w of the gamma interval's one more event under {@code rule}. */
  static double gammaWeight(TwoPhaseSample s, boolean[] domain, GammaWeight rule) {
    Classes k = Classes.of(s, domain);
    boolean unseenRule = rule != GammaWeight.MAX && rule != GammaWeight.MEAN;
    boolean[] unseen = new boolean[k.sw().length];
    boolean any = false;
    for (int g = 0; g < unseen.length && unseenRule && !s.poisson; g++) {
      unseen[g] = k.reviewed()[g] > 0 && k.positives()[g] == 0 && k.pi()[g] < 1;
      any |= unseen[g];
    }
    double max = 0;
    double sum = 0;
    int n = 0;
    for (int i : s.goldIndex) {
      if ((domain == null || domain[i]) && (!any || unseen[s.stratum2[i]])) {
        double c = s.phase1.exposure(i) * s.phase1.designWeight(i) / s.pi2[i] / k.total();
        max = Math.max(max, c);
        sum += c;
        n++;
      }
    }
    if (rule == GammaWeight.UNSEEN_CLASS_ONLY && !any) {
      return 0;
    }
    boolean largest = rule == GammaWeight.MAX || (rule == GammaWeight.UNSEEN_CLASS_MAX && any);
    return n == 0 ? 0 : largest ? max : sum / n;
  }

  /**
   * Per review class g of the domain's reviewed units, with w = m·d1: Σ w, Σ w y, Σ w², π2, the units
   * reviewed and their gold positives (calls); {@code total} = Σ w/π2, the estimated exposure.
   */
  private record Classes(double[] sw, double[] swy, double[] sw2, double[] pi, int[] reviewed, int[] positives,
      double total) {
    static Classes of(TwoPhaseSample s, boolean[] domain) {
      DesignSample p1 = s.phase1;
      int strata = s.strata2.size();
      double[] sw = new double[strata];
      double[] swy = new double[strata];
      double[] sw2 = new double[strata];
      double[] pi = new double[strata];
      int[] reviewed = new int[strata];
      int[] positives = new int[strata];
      double total = 0;
      for (int i : s.goldIndex) {
        if (domain == null || domain[i]) {
          int g = s.stratum2[i];
          double w = p1.exposure(i) * p1.designWeight(i);
          sw[g] += w;
          swy[g] += w * s.y[i];
          sw2[g] += w * w;
          pi[g] = s.pi2[i];
          reviewed[g]++;
          positives[g] += s.call[i] ? 1 : 0;
          total += w / s.pi2[i];
        }
      }
      return new Classes(sw, swy, sw2, pi, reviewed, positives, total);
    }
  }
}
