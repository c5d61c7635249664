package dev.plumb.calibration.estimate;

import dev.plumb.calibration.estimate.Planner.LlmQuality;
import dev.plumb.calibration.estimate.Planner.Target;
import dev.plumb.calibration.estimate.Planner.TwoPhasePlan;
import dev.plumb.calibration.stats.BinomialInterval;
import java.util.ArrayList;
import java.util.List;

/** The two-phase planning of {@link Planner#twoPhase}: its formulas are stated there. */
final class TwoPhasePlanner {
  private TwoPhasePlanner() {}

  static TwoPhasePlan plan(Target target, double prevalence, LlmQuality quality, double phase1) {
    double p = prevalence;
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("prevalence must be between 0 and 1 (exclusive), found " + p);
    }
    if (!(phase1 > 1)) {
      throw new IllegalArgumentException("the phase-1 size must be > 1, found " + phase1);
    }
    double se = quality.sensitivity();
    double sp = quality.specificity();
    double w = p * se + (1 - p) * (1 - sp);
    double rPos = p * se / w;
    double rNeg = w < 1 ? p * (1 - se) / (1 - w) : 0;
    double[] share = {w, 1 - w};
    double[] s2 = {rPos * (1 - rPos), rNeg * (1 - rNeg)};
    double[] rate = {rPos, rNeg};
    double between = w * (rPos - p) * (rPos - p) + (1 - w) * (rNeg - p) * (rNeg - p);
    double z = BinomialInterval.z(target.confidence());
    double h = target.absolute(p);
    double budget = h * h / (z * z);
    boolean finite = Double.isFinite(phase1);
    double[] cap = {finite ? phase1 * share[0] : Double.POSITIVE_INFINITY,
        finite ? phase1 * share[1] : Double.POSITIVE_INFINITY};
    long[] lo = new long[2];
    for (int g = 0; g < 2; g++) {
      lo[g] = share[g] > 0 ? (long) Math.min(2, Math.floor(cap[g])) : 0;
    }
    long minimum = Math.max(1, lo[0] + lo[1]);
    long maximum = finite ? (long) Math.floor(cap[0]) + (long) Math.floor(cap[1]) : 1L << 40;
    maximum = Math.max(maximum, minimum);
    java.util.function.LongToDoubleFunction variance = n2 -> {
      long[] x = allocateReview(n2, share, s2, lo, cap);
      double v = finite ? between / phase1 : 0;
      for (int g = 0; g < 2; g++) {
        if (share[g] == 0 || s2[g] == 0) {
          continue;
        }
        v += share[g] * share[g] * s2[g] / x[g];
      }
      return Math.max(0, v);
    };
    boolean reached = variance.applyAsDouble(maximum) <= budget;
    long a = reached ? minimum : maximum;
    long b = maximum;
    while (a < b) {
      long mid = a + (b - a) / 2;
      if (variance.applyAsDouble(mid) <= budget) {
        b = mid;
      } else {
        a = mid + 1;
      }
    }
    long[] x = allocateReview(a, share, s2, lo, cap);
    double v = variance.applyAsDouble(a);
    double human = z * z * p * (1 - p) / (h * h);
    long humanMax = finite ? (long) Math.floor(phase1) : Long.MAX_VALUE;
    boolean humanReached = human <= humanMax;
    long humanOnly = humanReached ? (long) Math.ceil(human - 1e-9) : humanMax;
    double positives = x[0] * rPos + x[1] * rNeg;
    List<String> warnings = new ArrayList<>();
    if (!reached) {
      warnings.add(String.format(java.util.Locale.ROOT,
          "the target half-width is not reached even by reviewing all %.0f phase-1 units; label more units with the LLM",
          Math.floor(phase1)));
    }
    if (positives < 10) {
      warnings.add(String.format(java.util.Locale.ROOT,
          "only %.1f gold positives expected; plan for at least 10 (docs/estimation.md, \"Planning human labels\")",
          positives));
    }
    if (x[0] < 30 || x[1] < 30) {
      warnings.add("fewer than 30 reviews in an LLM group: the group's gold rate, and the interval, rest on very few units");
    }
    return new TwoPhasePlan(p, phase1, w, rPos, rNeg, a, x[0], x[1], positives, Math.sqrt(v), z * Math.sqrt(v),
        reached, humanOnly, humanReached, warnings);
  }

  /** n2 split over the two LLM groups ∝ W_g S_g, within [lo_g, cap_g] (proportional to W_g when both S_g are 0). */
  private static long[] allocateReview(long n2, double[] share, double[] s2, long[] lo, double[] cap) {
    double a0 = share[0] * Math.sqrt(s2[0]);
    double a1 = share[1] * Math.sqrt(s2[1]);
    double f = a0 + a1 > 0 ? a0 / (a0 + a1) : share[0];
    long hi0 = (long) Math.min(Math.floor(cap[0]), 1L << 50);
    long hi1 = (long) Math.min(Math.floor(cap[1]), 1L << 50);
    long x0 = Math.round(n2 * f);
    x0 = Math.max(lo[0], Math.min(x0, Math.min(hi0, n2 - lo[1])));
    long x1 = n2 - x0;
    if (x1 > hi1) {
      x1 = hi1;
      x0 = Math.min(hi0, n2 - x1);
    }
    return new long[] {x0, x1};
  }
}
