package dev.plumb.calibration.agreement;

import dev.plumb.calibration.stats.Interval;

/**
 * A rater's accuracy on known-answer units (honeypots).
 *
 * @param rater the rater
 * @param correct honeypots answered with the known decision
 * @param answered honeypots answered
 * @param accuracy correct/answered
 * @param interval Wilson score interval of the accuracy
 * @param flagged true when the accuracy is below the configured bar
 * @param reason why the rater was flagged, empty when not flagged
 */
public record HoneypotScore(
    String rater, int correct, int answered, double accuracy, Interval interval, boolean flagged,
    String reason) {}
