package dev.plumb.calibration.gold;

import dev.plumb.calibration.stats.Interval;

/**
 * How often a rater (or the panel) answers correctly, by the true class.
 *
 * @param rater the rater id, or {@code panel} for all answers pooled
 * @param answers how many answers the estimate rests on
 * @param positives the expected number of those answers given on truly violating items (Σ posterior)
 * @param sensitivity P(answer positive | violating)
 * @param specificity P(answer negative | not violating)
 * @param sensitivityInterval percentile bootstrap interval
 * @param specificityInterval percentile bootstrap interval
 */
public record RaterError(
    String rater, int answers, double positives, double sensitivity, Interval sensitivityInterval,
    double specificity, Interval specificityInterval) {}
