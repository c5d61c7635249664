package dev.plumb.calibration.quality;

/**
 * The LLM's decision quality against gold, both ways.
 *
 * @param weighted every unit weighted by exposure × 1/(π₁π₂): estimates of the population's
 *     quality (what the prevalence correction needs)
 * @param unweighted every reviewed unit counts once: the quality on the reviewed set as drawn
 *     (oversampled LLM-positives make this differ from the population)
 */
public record QualityReport(Quality weighted, Quality unweighted) {}
