/**
 * Label scores (the labeler's probability of the violating decision, a label's {@code score}):
 * their calibration against gold ({@link dev.plumb.calibration.scores.ScoreQuality},
 * {@link dev.plumb.calibration.scores.LabelScores}), maps fitted on gold that turn them into
 * probabilities ({@link dev.plumb.calibration.scores.Recalibration},
 * {@link dev.plumb.calibration.scores.ScoreMap}, {@code plumb.score-map/1}), and their use as the
 * units' risk scores ({@link dev.plumb.calibration.scores.FrameScores}). docs/calibration.md,
 * "Label scores".
 */
package dev.plumb.calibration.scores;
