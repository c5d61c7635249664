/**
 * Design-based estimation of prevalence from a probability sample (docs/estimation.md).
 *
 * <p>One code path for every design: a {@link dev.plumb.calibration.estimate.DesignSample} holds the
 * sampled units with their exposure {@code m_i}, their design records (inclusion probability, or
 * per-draw probability and draws) and the strata totals; {@link
 * dev.plumb.calibration.estimate.Estimator#ratio} computes the Hájek ratio with its linearised
 * variance under that design; {@link dev.plumb.calibration.estimate.IntervalMethod} turns an {@link
 * dev.plumb.calibration.estimate.Estimate} into a confidence interval; {@link
 * dev.plumb.calibration.estimate.Bootstrap} produces design-respecting replicate estimates. {@link
 * dev.plumb.calibration.estimate.Prevalence} and {@link dev.plumb.calibration.estimate.Planner} are
 * the file-level entry points behind {@code plumb estimate} and {@code plumb plan}.
 *
 * <p>The reference implementation is R's {@code survey} package; the tests carry its numbers and the
 * R code that produced them.
 */
package dev.plumb.calibration.estimate;
