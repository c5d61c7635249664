package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.IntervalMethod;
import java.util.Objects;

/**
 * Settings of the corrected-prevalence estimators.
 *
 * @param level confidence level of every interval, in (0, 1)
 * @param interval how an estimate and its variance become an interval (the estimation core's
 *     methods; by default {@link IntervalMethod#KG_GAMMA}: Korn–Graubard, human-only's gamma interval where a
 *     review stratum reviewed in part saw no violation, docs/calibration.md "The default interval").
 *     {@link IntervalMethod#MOVER_WILSON} gives human-only MOVER
 *     over a Wilson interval per phase-2 stratum (docs/calibration.md "Small counts in a review
 *     class") and the other estimators {@link IntervalMethod#forDesignEstimate() Korn–Graubard}
 * @param preferPpiPlusPlus headline PPI++ instead of human-only when at least {@code
 *     minGoldPositives} gold positives were reviewed. Off by default: in the simulation
 *     (docs/calibration.md) PPI++ undercovered (83–90%) when the LLM erred on units with large design
 *     weights, while human-only held 93–95% everywhere
 * @param minGoldPositives the gold positives PPI++ needs before {@code preferPpiPlusPlus} applies
 * @param headline the estimator to headline whenever it is estimable ({@code plumb calibrate
 *     --estimator}), or {@code null} for the pre-specified rule ({@link Calibration})
 * @param scoreFloor floor human-only's phase-2 variance by what a Platt model of the gold on the policy's risk score
 *     anticipates, where every reviewed unit has a score and the review has classes (on by default with
 *     {@link FloorGuard#DEFAULT}; {@code plumb calibrate --no-score-floor} turns it off; docs/calibration.md,
 *     "Two-phase variance")
 * @param floorGuard which review classes' models may floor ({@link FloorGuard#DEFAULT}: those whose gold holds 5
 *     positives and 5 negatives; {@link FloorGuard#NONE}: all, h44's unguarded floor)
 */
public record CalibrationOptions(
    double level, IntervalMethod interval, boolean preferPpiPlusPlus, int minGoldPositives,
    CorrectedEstimator headline, boolean scoreFloor, FloorGuard floorGuard) {
  /**
   * Which review classes' score models may floor V2 (docs/calibration.md, "A guard on the score floor (h48)"): a class
   * whose gold has fewer than {@code minPositives} positives or negatives (Σ y and Σ (1 − y), gold clipped to [0, 1]),
   * or, with {@code minAuc} &gt; 0, whose within-class AUC of the score on the gold (weights m·d1) is below
   * {@code minAuc}, keeps its own V2. {@link #NONE} lets every class floor (h44's floor).
   */
  public record FloorGuard(int minPositives, double minAuc) {
    /** No guard: every class's model floors (h44's floor, which h46 found 1.55–1.68× wider at 0.5% with a weak score). */
    public static final FloorGuard NONE = new FloorGuard(0, 0);
    /**
     * h48's G1, the default: a class floors only if its gold holds at least 5 positives and 5 negatives (a Platt slope
     * on fewer is guesswork; docs/calibration.md, "A guard on the score floor (h48)").
     */
    public static final FloorGuard DEFAULT = new FloorGuard(5, 0);

    public FloorGuard {
      if (minPositives < 0 || !(minAuc >= 0 && minAuc <= 1)) {
        throw new IllegalArgumentException("floor guard: minPositives ≥ 0 and minAuc in [0, 1], found " + minPositives
            + ", " + minAuc);
      }
    }
  }

  /** The pre-specified headline rule, with the guarded score floor. */
  public CalibrationOptions(double level, IntervalMethod interval, boolean preferPpiPlusPlus, int minGoldPositives) {
    this(level, interval, preferPpiPlusPlus, minGoldPositives, null, true, FloorGuard.DEFAULT);
  }

  /** The same options headlining {@code estimator} ({@code null}: the rule). */
  public CalibrationOptions withHeadline(CorrectedEstimator estimator) {
    return new CalibrationOptions(level, interval, preferPpiPlusPlus, minGoldPositives, estimator, scoreFloor,
        floorGuard);
  }

  /** The same options with human-only's score floor on or off. */
  public CalibrationOptions withScoreFloor(boolean on) {
    return new CalibrationOptions(level, interval, preferPpiPlusPlus, minGoldPositives, headline, on, floorGuard);
  }

  /** The same options with {@code guard} on the score floor. */
  public CalibrationOptions withFloorGuard(FloorGuard guard) {
    return new CalibrationOptions(level, interval, preferPpiPlusPlus, minGoldPositives, headline, scoreFloor, guard);
  }

  public CalibrationOptions {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(floorGuard, "floorGuard");
    if (minGoldPositives < 1) {
      throw new IllegalArgumentException("minGoldPositives must be at least 1: " + minGoldPositives);
    }
  }

  /** The interval method of the human-only estimator: {@code interval} itself. */
  public String humanOnlyInterval() {
    return interval.label();
  }

  /** The interval method of the estimators other than human-only. */
  public String designInterval() {
    return interval.forDesignEstimate().label();
  }

  /**
   * 95%, kg-gamma, human-only headline (PPI++ only on request, with at least 50 gold positives), the score floor with
   * its guard.
   */
  public static CalibrationOptions defaults() {
    return new CalibrationOptions(0.95, IntervalMethod.KG_GAMMA, false, 50);
  }

  /** The same options with {@code method} as the interval. */
  public CalibrationOptions withInterval(IntervalMethod method) {
    return new CalibrationOptions(level, method, preferPpiPlusPlus, minGoldPositives, headline, scoreFloor,
        floorGuard);
  }
}
