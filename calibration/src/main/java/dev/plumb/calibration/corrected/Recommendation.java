package dev.plumb.calibration.corrected;

/**
 * The estimator to headline for a policy and why.
 *
 * @param estimator the recommended estimator
 * @param reason one or two sentences a metric owner can read
 */
public record Recommendation(CorrectedEstimator estimator, String reason) {}
