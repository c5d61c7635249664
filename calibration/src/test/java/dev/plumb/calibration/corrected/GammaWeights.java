package dev.plumb.calibration.corrected;

import dev.plumb.calibration.corrected.ReviewClassIntervals.GammaWeight;
import dev.plumb.calibration.stats.GammaInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * For the coverage simulations (other packages): human-only's gamma interval under every rule for the
 * weight of one more event ({@link GammaWeight}), so that one run measures them side by side. The
 * rule {@code calibrate --interval gamma} uses is {@link ReviewClassIntervals#GAMMA_WEIGHT}.
 */
public final class GammaWeights {
  private GammaWeights() {}

  /** Arm name suffix (e.g. {@code "unseen-class max"}) → the gamma interval of {@code e} on {@code s}. */
  public static Map<String, Interval> intervals(TwoPhaseSample s, Corrected.Estimated e, double level) {
    Map<String, Interval> out = new LinkedHashMap<>();
    for (GammaWeight rule : GammaWeight.values()) {
      out.put(name(rule), GammaInterval.of(Math.max(0, Math.min(1, e.estimate())), e.se() * e.se(),
          ReviewClassIntervals.gammaWeight(s, null, rule), level));
    }
    return out;
  }

  /** The arm names, in {@link GammaWeight}'s order. */
  public static java.util.List<String> names() {
    return java.util.Arrays.stream(GammaWeight.values()).map(GammaWeights::name).toList();
  }

  private static String name(GammaWeight rule) {
    return rule.name().toLowerCase(Locale.ROOT).replace("unseen_class_", "unseen-class ");
  }
}
