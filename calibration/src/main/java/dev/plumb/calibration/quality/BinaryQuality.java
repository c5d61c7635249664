package dev.plumb.calibration.quality;

import dev.plumb.calibration.stats.Interval;

/**
 * How well the LLM's positive/negative call matches gold, over one set of judgements.
 * Counts are weighted sums (plain counts when unweighted).
 *
 * @param units judgements in the set
 * @param truePositive LLM positive, gold positive
 * @param falsePositive LLM positive, gold negative
 * @param falseNegative LLM negative, gold positive
 * @param trueNegative LLM negative, gold negative
 * @param sensitivity TP/(TP+FN), recall
 * @param specificity TN/(TN+FP)
 * @param precision TP/(TP+FP), positive predictive value
 * @param npv TN/(TN+FN), negative predictive value
 * @param accuracy (TP+TN)/all
 * @param f1 2TP/(2TP+FP+FN); NaN when TP+FP+FN = 0
 * @param f1Interval Wilson interval on the effective n of F1's delta-method variance (see
 *     docs/calibration.md), or {@code null} when F1 is undefined or 0/1 with no information
 * @param kappa Cohen's κ of the weighted 2 × 2 table
 * @param ac1 Gwet's AC1 of the weighted 2 × 2 table
 */
public record BinaryQuality(
    int units, double truePositive, double falsePositive, double falseNegative, double trueNegative,
    Rate sensitivity, Rate specificity, Rate precision, Rate npv, Rate accuracy, double f1,
    Interval f1Interval, double kappa, double ac1) {}
