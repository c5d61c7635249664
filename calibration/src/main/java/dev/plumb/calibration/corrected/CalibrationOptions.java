package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.IntervalMethod;
import java.util.Objects;

/**
 * Settings of the corrected-prevalence estimators.
 *
 * @param level confidence level of every interval, in (0, 1)
 * @param interval how an estimate and its variance become an interval (the estimation core's
 *     methods; Korn–Graubard by default)
 * @param minGoldPositives below this many gold positives the recommendation prefers the
 *     human-only/double-sampling estimators, whose intervals need no estimated regression
 *     coefficient (PPI++'s λ is noisy when few positives were reviewed)
 */
public record CalibrationOptions(double level, IntervalMethod interval, int minGoldPositives) {
  public CalibrationOptions {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    Objects.requireNonNull(interval, "interval");
    if (minGoldPositives < 1) {
      throw new IllegalArgumentException("minGoldPositives must be at least 1: " + minGoldPositives);
    }
  }

  /** 95%, Korn–Graubard, at least 10 gold positives for PPI++. */
  public static CalibrationOptions defaults() {
    return new CalibrationOptions(0.95, IntervalMethod.KORN_GRAUBARD, 10);
  }
}
