package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.IntervalMethod;
import java.util.Objects;

/**
 * Settings of the corrected-prevalence estimators.
 *
 * @param level confidence level of every interval, in (0, 1)
 * @param interval how an estimate and its variance become an interval (the estimation core's
 *     methods; Korn–Graubard by default)
 * @param preferPpiPlusPlus headline PPI++ instead of human-only when at least {@code
 *     minGoldPositives} gold positives were reviewed. Off by default: in the simulation
 *     (docs/calibration.md) PPI++ undercovered (83–90%) when the LLM erred on units with large design
 *     weights, while human-only held 93–95% everywhere
 * @param minGoldPositives the gold positives PPI++ needs before {@code preferPpiPlusPlus} applies
 * @param moverWilson human-only's interval by MOVER over a Wilson interval per phase-2 stratum
 *     ({@code --interval mover-wilson}, docs/calibration.md "Small counts in a review class"); the
 *     other estimators keep {@code interval}
 */
public record CalibrationOptions(
    double level, IntervalMethod interval, boolean preferPpiPlusPlus, int minGoldPositives, boolean moverWilson) {
  public CalibrationOptions {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    Objects.requireNonNull(interval, "interval");
    if (minGoldPositives < 1) {
      throw new IllegalArgumentException("minGoldPositives must be at least 1: " + minGoldPositives);
    }
  }

  /** The name of human-only's MOVER-Wilson interval ({@code --interval}, {@code Interval.method()}). */
  public static final String MOVER_WILSON = "mover-wilson";

  /** Human-only's interval from {@code interval}, like the other estimators'. */
  public CalibrationOptions(double level, IntervalMethod interval, boolean preferPpiPlusPlus, int minGoldPositives) {
    this(level, interval, preferPpiPlusPlus, minGoldPositives, false);
  }

  /** The interval method of the human-only estimator. */
  public String humanOnlyInterval() {
    return moverWilson ? MOVER_WILSON : interval.label();
  }

  /** 95%, Korn–Graubard, human-only headline (PPI++ only on request, with at least 50 gold positives). */
  public static CalibrationOptions defaults() {
    return new CalibrationOptions(0.95, IntervalMethod.KORN_GRAUBARD, false, 50);
  }
}
