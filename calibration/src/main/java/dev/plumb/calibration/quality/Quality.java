package dev.plumb.calibration.quality;

import java.util.Map;

/**
 * Decision quality of the LLM against gold under one weighting.
 *
 * @param overall positive/negative quality over all judgements
 * @param byCategory one-vs-rest quality per category: positive means "positive with this
 *     category", for every category that the LLM or gold used on a positive decision
 * @param byStratum positive/negative quality within each phase-1 stratum
 * @param decisions the full decision × decision confusion matrix, in the policy's decision order
 * @param reliability the LLM's confidence against its observed accuracy
 * @param agreement the LLM against gold over every decision (borderline included), per decision
 */
public record Quality(
    BinaryQuality overall, Map<String, BinaryQuality> byCategory, Map<String, BinaryQuality> byStratum,
    ConfusionMatrix decisions, ReliabilityTable reliability, DecisionAgreement agreement) {
  public Quality {
    byCategory = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byCategory));
    byStratum = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byStratum));
  }
}
