package dev.plumb.calibration.gold;

import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.stats.GammaInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.Locale;

/**
 * Korn–Graubard and kg-gamma on the same replicates, split by whether kg-gamma's switch fired (its interval is
 * labelled gamma): coverage and mean width of both in each part (docs/calibration.md, "The default interval").
 * Where the switch did not fire the two intervals must be the same; {@link #unswitchedDiffering} counts the
 * replicates where they are not (0 when kg-gamma does what it says).
 */
final class KgGammaSplit {
  /** [0]: switch did not fire, [1]: it fired. */
  final int[] runs = new int[2];
  final int[] kgCovered = new int[2];
  final int[] kgGammaCovered = new int[2];
  final double[] kgWidth = new double[2];
  final double[] kgGammaWidth = new double[2];
  int unswitchedDiffering;

  /** One replicate: human-only under Korn–Graubard and under kg-gamma, against the true prevalence. */
  void add(Corrected kg, Corrected kgGamma, double target) {
    Interval a = interval(kg);
    Interval b = interval(kgGamma);
    int k = b != null && GammaInterval.LABEL.equals(b.method()) ? 1 : 0;
    runs[k]++;
    if (a != null) {
      kgCovered[k] += a.contains(target) ? 1 : 0;
      kgWidth[k] += a.upper() - a.lower();
    }
    if (b != null) {
      kgGammaCovered[k] += b.contains(target) ? 1 : 0;
      kgGammaWidth[k] += b.upper() - b.lower();
    }
    if (k == 0 && (a == null ? b != null : !a.equals(b))) {
      unswitchedDiffering++;
    }
  }

  private static Interval interval(Corrected c) {
    if (c instanceof Corrected.Estimated e) {
      return e.interval();
    }
    return c instanceof Corrected.UpperBound u ? u.bound() : null;
  }

  /**
   * e.g. {@code switched 151: KG 0.868 / 0.081, kg-gamma 1.000 / 0.512; not 49: 1.000 / 0.094 (same interval in
   * all)}; coverage / mean width in percentage points.
   */
  String line() {
    String not = runs[0] == 0 ? "not 0" : String.format(Locale.ROOT, "not %d: KG %.3f / %.3f, kg-gamma %.3f / %.3f",
        runs[0], kgCovered[0] / (double) runs[0], 100 * kgWidth[0] / runs[0], kgGammaCovered[0] / (double) runs[0],
        100 * kgGammaWidth[0] / runs[0]);
    String on = runs[1] == 0 ? "switched 0" : String.format(Locale.ROOT,
        "switched %d: KG %.3f / %.3f, kg-gamma %.3f / %.3f", runs[1], kgCovered[1] / (double) runs[1],
        100 * kgWidth[1] / runs[1], kgGammaCovered[1] / (double) runs[1], 100 * kgGammaWidth[1] / runs[1]);
    return on + "; " + not + (unswitchedDiffering == 0 ? " (same interval in all)"
        : " (" + unswitchedDiffering + " with a different interval)");
  }
}
